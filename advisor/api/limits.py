"""Request limits: rate limits, quotas and failed-login throttling (the `limits` library), and a body size limit."""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advisor.settings import Settings

log = logging.getLogger(__name__)


class Limited(Exception):
    """A caller is over a limit: ``message`` says which, ``wait`` how many seconds until it may retry."""

    def __init__(self, message: str, wait: float) -> None:
        super().__init__(message)
        self.wait = wait

    @property
    def retry_after(self) -> str:
        """The Retry-After header value: whole seconds, at least 1."""
        return str(max(1, math.ceil(self.wait)))


class LimitsUnavailable(Exception):
    """The rate-limit storage (Redis) cannot be reached."""


@dataclass(frozen=True)
class _Rule:
    item: RateLimitItem
    message: str


class RequestLimits:
    """Per-caller rate limit and daily quota, and per-client failed-login throttle, in one `limits` storage.

    The storage is process memory by default, or Redis when ``settings.rate_limit_url`` is set, so that
    every replica of the app counts against the same windows.
    """

    def __init__(self, settings: Settings) -> None:
        url = settings.rate_limit_url or "memory://"
        self.storage = storage_from_string(url, wrap_exceptions=True)
        self.limiter = MovingWindowRateLimiter(self.storage)
        per_minute = settings.rate_limit_per_minute
        self.rules = [_Rule(RateLimitItemPerMinute(per_minute), f"rate limit of {per_minute} requests per minute")]
        if settings.quota_per_day:
            quota = settings.quota_per_day
            self.rules.append(_Rule(RateLimitItemPerDay(quota), f"daily quota of {quota} requests"))
        failures = settings.failed_logins_per_minute
        self.logins = _Rule(RateLimitItemPerMinute(failures), f"{failures} failed sign-ins per minute")

    def take(self, caller: str) -> None:
        """Count one request by ``caller``; raise Limited when a limit is reached.

        A refused request is counted nowhere, except when concurrent requests (on any replica) fill a later
        rule's window between the check and the count: each count is one atomic hit that must succeed, so
        no more than the limit ever pass.
        """
        with _storage_errors():
            for rule in self.rules:
                if not self.limiter.test(rule.item, "request", caller):
                    raise self._refusal(rule, caller)
            for rule in self.rules:
                if not self.limiter.hit(rule.item, "request", caller):
                    raise self._refusal(rule, caller)

    def _refusal(self, rule: _Rule, caller: str) -> Limited:
        return Limited(f"{rule.message} exceeded; retry later", self._wait(rule, "request", caller))

    def check_login(self, client: str) -> None:
        """Raise Limited while ``client`` has used up its failed sign-ins."""
        with _storage_errors():
            if not self.limiter.test(self.logins.item, "login", client):
                wait = self._wait(self.logins, "login", client)
                raise Limited(f"too many failed sign-ins from this address ({self.logins.message}); retry later", wait)

    def login_failed(self, client: str) -> None:
        """Count one failed sign-in (a bad API key or password) by ``client``."""
        with _storage_errors():
            self.limiter.hit(self.logins.item, "login", client)
        log.warning("login_failed client=%s", client)

    def _wait(self, rule: _Rule, *identifiers: str) -> float:
        reset_at = self.limiter.get_window_stats(rule.item, *identifiers).reset_time
        return max(1.0, reset_at - time.time())


@contextmanager
def _storage_errors() -> Iterator[None]:
    try:
        yield
    except StorageError as exc:
        log.error("rate_limit_storage_failed error=%s", type(exc.storage_error).__name__)
        raise LimitsUnavailable("the rate-limit store is unavailable; retry later") from exc


class LoginThrottle:
    """ASGI middleware throttling failed web UI sign-ins (a POST to ``.../login`` answered 4xx) per client address."""

    def __init__(self, app: ASGIApp, limits: RequestLimits, skip_prefix: str = "/v1") -> None:
        self.app = app
        self.limits = limits
        self.skip_prefix = skip_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or scope.get("method") != "POST" or not _is_login(path, self.skip_prefix):
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        try:
            await run_in_threadpool(self.limits.check_login, client)
        except (Limited, LimitsUnavailable) as exc:
            await _send_json(send, *_refusal(exc))
            return

        async def watched_send(message: Message) -> None:
            if message["type"] == "http.response.start" and 400 <= message["status"] < 500:
                await run_in_threadpool(self.limits.login_failed, client)
            await send(message)

        await self.app(scope, receive, watched_send)


def _is_login(path: str, skip_prefix: str) -> bool:
    return path.rstrip("/").endswith("/login") and not path.startswith(skip_prefix)


def _refusal(exc: Exception) -> tuple[int, str, str, list[tuple[bytes, bytes]]]:
    if isinstance(exc, Limited):
        return 429, "rate_limited", str(exc), [(b"retry-after", exc.retry_after.encode())]
    return 503, "unavailable", str(exc), []


class BodyTooLarge(HTTPException):
    """The request body is bigger than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


class BodySizeLimit:
    """ASGI middleware answering 413 when a body under ``prefix`` exceeds ``max_bytes`` (others pass through)."""

    def __init__(self, app: ASGIApp, max_bytes: int, prefix: str = "/v1") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            message = f"the request body is larger than the limit of {self.max_bytes} bytes"
            await _send_json(send, 413, "body_too_large", message)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the endpoint's body read, so the app's error handler answers 413.
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_json(
    send: Send, status: int, type_: str, message: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"error": {"type": type_, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
