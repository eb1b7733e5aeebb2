"""Uniform JSON error bodies, ``{"error": {"type", "message"}}``, for every failure; tracebacks go to the log."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from advisor.answering.responder import InvalidQuestion
from advisor.readiness.errors import (
    AskBack,
    AssessmentNotFound,
    IncompleteAssessment,
    InvalidAnswer,
    NotComparable,
    StatusConflict,
)
from advisor.storage import NotFound

log = logging.getLogger(__name__)

_TYPES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    503: "not_ready",
}


class ApiError(HTTPException):
    """An HTTP error with a chosen error type (default: derived from the status)."""

    def __init__(self, status: int, message: str, type_: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(status_code=status, detail=message, headers=headers)
        self.type = type_ or _TYPES.get(status, "error")


def error_response(status: int, type_: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The JSON error body with the given status."""
    return JSONResponse({"error": {"type": type_, "message": message}}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map HTTP errors, validation errors, domain errors and anything unexpected to JSON error bodies."""
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    for exc_type, status, type_ in _DOMAIN_ERRORS:
        app.add_exception_handler(exc_type, _domain_handler(status, type_))
    app.add_exception_handler(Exception, _unexpected_error)


_DOMAIN_ERRORS: list[tuple[type[Exception], int, str]] = [
    (NotFound, 404, "not_found"),
    (AssessmentNotFound, 404, "not_found"),
    (InvalidQuestion, 422, "invalid_question"),
    (InvalidAnswer, 422, "invalid_answer"),
    (AskBack, 422, "ask_back"),  # a free-text reply too unclear to read: the message is the question to ask
    (NotComparable, 422, "not_comparable"),
    (IncompleteAssessment, 409, "incomplete_assessment"),
    (StatusConflict, 409, "status_conflict"),
]


async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    type_ = getattr(exc, "type", None) or _TYPES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and message == "Not Found":
        message = "no such endpoint; see /docs for the API"
    if exc.status_code == 405:
        message = "method not allowed on this endpoint; see /docs for the API"
    return error_response(exc.status_code, type_, message, headers=exc.headers)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    malformed = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if malformed is not None:
        reason = (malformed.get("ctx") or {}).get("error", "invalid JSON")
        where = malformed["loc"][-1] if malformed.get("loc") else "?"
        return error_response(400, "malformed_json", f"the body is not valid JSON: {reason} at character {where}")
    return error_response(422, "invalid_request", "; ".join(_describe(e) for e in errors) or "invalid request")


def _describe(error: Mapping[str, Any]) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"
    message = str(error.get("msg", "invalid value"))
    if error.get("type") == "missing":
        return f"{location}: field required"
    if error.get("type") == "extra_forbidden":
        return f"{location}: unknown field"
    if error.get("type") in ("string_too_short", "string_pattern_mismatch") and not str(error.get("input", "")).strip():
        return f"{location}: {location.rsplit('.', 1)[-1]} is empty"
    return f"{location}: {message}"


def _domain_handler(status: int, type_: str) -> Callable[[Request, Exception], Coroutine[Any, Any, JSONResponse]]:
    async def handle(_request: Request, exc: Exception) -> JSONResponse:
        return error_response(status, type_, str(exc) or type_.replace("_", " "))

    return handle


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled_error method=%s path=%s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal error; the server log has the details")
