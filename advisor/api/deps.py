"""Dependencies shared by the routers: the advisor, the caller (owner) behind the API key, the rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from advisor.api.errors import ApiError
from advisor.api.limits import Limited, LimitsUnavailable, RequestLimits
from advisor.service import Advisor
from advisor.storage import LOCAL_OWNER

_bearer = HTTPBearer(auto_error=False, description="An API key from `advisor keys create NAME`")


def get_advisor(request: Request) -> Advisor:
    """The advisor the app was built with."""
    advisor: Advisor = request.app.state.advisor
    return advisor


AdvisorDep = Annotated[Advisor, Depends(get_advisor)]


def client_address(request: Request) -> str:
    """The client's address (the proxy's, unless it is one of settings.trusted_proxies)."""
    return request.client.host if request.client else "unknown"


def current_owner(
    request: Request,
    advisor: AdvisorDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """Who owns the data of this request: the API key's id, or "local" while no key exists."""
    if not advisor.keys.any_active():
        return LOCAL_OWNER
    if credentials is None:
        raise _unauthorized("missing API key; send the header 'Authorization: Bearer KEY'")
    limits: RequestLimits = request.app.state.limits
    client = client_address(request)
    with _limit_errors():
        limits.check_login(client)
    key_id = advisor.keys.verify(credentials.credentials)
    if key_id is None:
        with _limit_errors():
            limits.login_failed(client)
        raise _unauthorized("invalid or revoked API key")
    return str(key_id)


OwnerDep = Annotated[str, Depends(current_owner)]


def enforce_rate_limit(request: Request, owner: OwnerDep) -> None:
    """Answer 429 with Retry-After when the caller (key, or client address without keys) is over a limit."""
    limits: RequestLimits = request.app.state.limits
    caller = f"key:{owner}" if owner != LOCAL_OWNER else f"ip:{client_address(request)}"
    with _limit_errors():
        limits.take(caller)


@contextmanager
def _limit_errors() -> Iterator[None]:
    try:
        yield
    except Limited as exc:
        raise ApiError(429, str(exc), headers={"Retry-After": exc.retry_after}) from None
    except LimitsUnavailable as exc:
        raise ApiError(503, str(exc), type_="unavailable") from None


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})
