"""Building the FastAPI app over an `Advisor`: routers, auth, limits and error handling."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from advisor.api.deps import enforce_rate_limit
from advisor.api.errors import install_error_handlers
from advisor.api.limits import BodySizeLimit, LoginThrottle, RequestLimits
from advisor.api.models import ErrorPublic
from advisor.api.proxies import ForwardedClient
from advisor.api.routes import ask, assessments, chat, conversations, feedback, health, search
from advisor.service import Advisor
from advisor.settings import Settings

API_PREFIX = "/v1"
_DESCRIPTION = (
    "Grounded answers about business process outsourcing, with sources; knowledge search; stored "
    "conversations and feedback; readiness assessments; and an OpenAI-compatible chat endpoint. "
    "When API keys exist, every /v1 route needs `Authorization: Bearer KEY`. Errors are "
    '`{"error": {"type", "message"}}`.'
)
_ERRORS = {status: {"model": ErrorPublic} for status in (401, 404, 413, 422, 429, 503)}


def create_app(advisor: Advisor, settings: Settings | None = None) -> FastAPI:
    """The API app for this advisor; settings default to the advisor's own."""
    settings = settings or advisor.settings
    app = FastAPI(title="BPO Advisor API", version="1.0", description=_DESCRIPTION)
    app.state.advisor = advisor
    app.state.limits = RequestLimits(settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, prefix=API_PREFIX)
    app.add_middleware(LoginThrottle, limits=app.state.limits, skip_prefix=API_PREFIX)
    app.add_middleware(ForwardedClient, trusted=settings.trusted_proxies)  # outermost: first to see the peer
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(_api_router(), prefix=API_PREFIX)
    return app


def _api_router() -> APIRouter:
    api = APIRouter(dependencies=[Depends(enforce_rate_limit)], responses=_ERRORS)  # type: ignore[arg-type]
    for module in (ask, search, conversations, feedback, assessments, chat):
        api.include_router(module.router)
    return api
