"""Building the FastAPI app over an `Advisor`: routers, auth, limits, CORS and error handling."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import Receive, Scope, Send

from advisor.api.deps import enforce_rate_limit
from advisor.api.docs import add_docs
from advisor.api.errors import error_response, install_error_handlers
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
    '`{"error": {"type", "message"}}`; a body that is not valid JSON is 400 `malformed_json`.'
)
_ERRORS = {status: {"model": ErrorPublic} for status in (400, 401, 404, 413, 422, 429, 503)}
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def create_app(advisor: Advisor, settings: Settings | None = None) -> FastAPI:
    """The API app for this advisor; settings default to the advisor's own."""
    settings = settings or advisor.settings
    app = FastAPI(title="BPO Advisor API", version="1.0", description=_DESCRIPTION, docs_url=None, redoc_url=None)
    app.state.advisor = advisor
    app.state.limits = RequestLimits(settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, prefix=API_PREFIX)
    # Always installed, so the mounted UI adds no CORS of its own: only configured origins, credentials opt-in.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=settings.cors_allow_credentials,
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.add_middleware(LoginThrottle, limits=app.state.limits, skip_prefix=API_PREFIX)
    app.add_middleware(ForwardedClient, trusted=settings.trusted_proxies)  # outermost: first to see the peer
    install_error_handlers(app)
    app.include_router(health.router)
    add_docs(app)
    app.include_router(_api_router(), prefix=API_PREFIX)
    # Last, before the UI is mounted at "/": unknown API paths and methods get the API's error body, not the UI's.
    health_paths = [route.path for route in health.router.routes if isinstance(route, APIRoute)]
    for path in (*health_paths, API_PREFIX, API_PREFIX + "/{path:path}"):
        app.router.routes.append(Route(path, _Unmatched(), include_in_schema=False))
    return app


def _api_router() -> APIRouter:
    api = APIRouter(dependencies=[Depends(enforce_rate_limit)], responses=_ERRORS)  # type: ignore[arg-type]
    for module in (ask, search, conversations, feedback, assessments, chat):
        api.include_router(module.router)
    return api


class _Unmatched:
    """An ASGI app, so that its route takes every method (QUERY, TRACE...): 405 with Allow, else 404."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        routes = [r for r in request.app.router.routes if not isinstance(getattr(r, "endpoint", None), _Unmatched)]
        allowed = [m for m in _METHODS if any(_serves(route, scope, m) for route in routes)]
        if allowed:
            message = f"{request.method} is not allowed here; allowed: {', '.join(allowed)}"
            response = error_response(405, "method_not_allowed", message, headers={"Allow": ", ".join(allowed)})
        else:
            response = error_response(404, "not_found", "no such endpoint; see /docs for the API")
        await response(scope, receive, send)


def _serves(route: BaseRoute, scope: Scope, method: str) -> bool:
    # Asking each route with the method swapped works for included routers too, whose routes are not listed.
    if isinstance(route, Mount):
        return False
    match, _ = route.matches({**scope, "method": method})
    return match is Match.FULL
