"""Helpers for tests that start servers: loopback addresses only."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], bool], process: subprocess.Popen[bytes], what: str, timeout: float = 60) -> None:
    """Poll ``check`` until it is true; fail if ``process`` exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{what} exited with code {process.returncode}"
        try:
            if check():
                return
        except Exception:  # not up yet: connection refused, half-started, ...
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not start within {timeout} s")


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A real `redis-server` on a free loopback port (no persistence); yields its redis:// URL."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: `make redis` installs it (apt-get install redis-server)"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
               "--dir", str(folder), "--protected-mode", "yes"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        import redis

        wait_until(lambda: bool(redis.Redis.from_url(url).ping()), process, "redis-server", timeout=20)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def uvicorn_in_thread(config: uvicorn.Config) -> Iterator[str]:
    """Serve a uvicorn config in a daemon thread; yields its http:// URL and stops the server afterwards."""
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://{config.host}:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
