"""Serving the app: complete the index, mount the web UI when present, refuse an open bind without keys, run uvicorn."""

from __future__ import annotations

import gc
import ipaddress
import logging
import threading
from typing import TYPE_CHECKING

from fastapi import FastAPI

from advisor.api.app import create_app
from advisor.generations import IndexStatus
from advisor.service import Advisor
from advisor.settings import SettingsError

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)


class UnsafeBind(SettingsError):
    """Serving on a non-loopback address with no API keys, without settings.allow_open."""


def build_app(advisor: Advisor) -> FastAPI:
    """The API app with the web UI mounted into it when `advisor.ui` is installed."""
    app = create_app(advisor, advisor.settings)
    try:
        from advisor.ui import mount_ui
    except ModuleNotFoundError as exc:
        if exc.name not in ("advisor.ui",):
            raise
        log.info("ui_not_mounted reason=advisor.ui_missing")
    else:
        mount_ui(app, advisor)
    return app


def _size_threads(app: FastAPI, threads: int) -> None:
    """Answer on `threads` worker threads (off the event loop), each running numpy's BLAS single-threaded."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # BLAS threads on top of request threads would only fight for the same cores

    async def limit() -> None:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = threads

    app.router.on_startup.append(limit)
    log.info("serve_threads threads=%d", threads)


def _freeze_startup_objects() -> None:
    """Keep the objects built at start-up (the index's chunks, vectors, the UI) out of every later GC pass.

    Full collections would otherwise walk hundreds of thousands of long-lived objects while requests wait. Only the
    young generations are collected first: a full collection here cost 0.15 s of the start-up, and what start-up
    garbage survives into the frozen set is a few MB at most.
    """
    gc.collect(1)
    gc.freeze()


def check_bind(host: str, has_keys: bool, allow_open: bool) -> None:
    """Raise UnsafeBind for a non-loopback host when no key exists and open serving was not allowed."""
    if has_keys or allow_open or is_loopback(host):
        return
    raise UnsafeBind(
        f"refusing to serve on {host} without API keys: create one with `advisor keys create NAME`, "
        "or set ADVISOR_ALLOW_OPEN=true to serve openly"
    )


def is_loopback(host: str) -> bool:
    """Whether the host is a loopback address (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(advisor: Advisor, host: str | None = None, port: int | None = None) -> int:
    """Complete the index, check the bind, print the URL and run the server until stopped."""
    import uvicorn

    settings = advisor.settings
    host, port = host or settings.host, port or settings.port
    check_bind(host, advisor.keys.any_active(), settings.allow_open)
    prepare_index(advisor)
    warming = threading.Thread(target=advisor.warm, name="warm")  # reads and numpy, beside the UI's imports
    warming.start()
    app = build_app(advisor)
    _size_threads(app, settings.resolved_serve_threads)
    warming.join()
    _freeze_startup_objects()
    shown = f"[{host}]" if ":" in host else host
    print(f"BPO Advisor: http://{shown}:{port}  (API docs at /docs)", flush=True)
    uvicorn.Server(uvicorn_config(app, host, port)).run()
    return 0


def prepare_index(advisor: Advisor) -> IndexStatus:
    """Complete an empty, interrupted or stale index before serving (never claim ready on part of it)."""
    status = advisor.index.status()
    if not status.complete:
        log.warning("index_not_complete state=%s action=ingest detail=%s", status.state, status.describe())
        report = advisor.ingest()
        status = advisor.index.status()
        log.warning("index_completed state=%s generation=%s errors=%d", status.state, status.generation,
                    len(report.errors))  # fmt: skip
    return status


def uvicorn_config(app: FastAPI, host: str, port: int, log_level: str = "info") -> uvicorn.Config:
    """How `serve` runs uvicorn: forwarded headers are judged by the app (settings.trusted_proxies), not uvicorn."""
    import uvicorn

    # uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1, letting any local client pick its address.
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, proxy_headers=False)
