"""Dependencies shared by the routers: the advisor, the caller (owner) behind the API key, the rate limit."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from advisor.api.errors import ApiError
from advisor.api.limits import RateLimiter
from advisor.service import Advisor

LOCAL_OWNER = "local"
_bearer = HTTPBearer(auto_error=False, description="An API key from `advisor keys create NAME`")


def get_advisor(request: Request) -> Advisor:
    """The advisor the app was built with."""
    advisor: Advisor = request.app.state.advisor
    return advisor


AdvisorDep = Annotated[Advisor, Depends(get_advisor)]


def current_owner(
    advisor: AdvisorDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> str:
    """Who owns the data of this request: the API key's id, or "local" while no key exists."""
    if not advisor.keys.any_active():
        return LOCAL_OWNER
    if credentials is None:
        raise _unauthorized("missing API key; send the header 'Authorization: Bearer KEY'")
    key_id = advisor.keys.verify(credentials.credentials)
    if key_id is None:
        raise _unauthorized("invalid or revoked API key")
    return str(key_id)


OwnerDep = Annotated[str, Depends(current_owner)]


def enforce_rate_limit(request: Request, owner: OwnerDep) -> None:
    """Answer 429 with Retry-After when the caller (key, or client address without keys) is over the limit."""
    limiter: RateLimiter = request.app.state.rate_limiter
    caller = owner if owner != LOCAL_OWNER else f"ip:{request.client.host if request.client else 'unknown'}"
    wait = limiter.check(caller)
    if wait:
        raise ApiError(
            429, f"rate limit of {int(limiter.capacity)} requests per minute exceeded; retry later",
            headers={"Retry-After": RateLimiter.retry_after(wait)},
        )  # fmt: skip


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})
