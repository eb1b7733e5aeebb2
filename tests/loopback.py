"""Helpers for tests that start servers: loopback addresses only."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
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


@contextmanager
def chroma_server(folder: Path) -> Iterator[str]:
    """A real `chroma run` on a free loopback port, storing under ``folder``; yields its http:// URL."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    command = [str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200, process, "chroma")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL (`initdb`, `pg_ctl`) in a temporary folder on a loopback port; yields a SQLAlchemy URL."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    assert initdb and pg_ctl, "the PostgreSQL server binaries (initdb, pg_ctl) are not on the PATH"
    # PostgreSQL refuses to run as root: then it runs as the postgres user, in a folder that user may enter.
    root = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        os.chown(root, pwd.getpwnam("postgres").pw_uid, -1)
    data, port = root / "data", free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([*as_user, initdb, "-D", str(data), "-U", "advisor", "--auth=trust", "-E", "UTF8"], **quiet)
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"], **quiet)
    try:
        yield f"postgresql+psycopg://advisor@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], **quiet)
        shutil.rmtree(root, ignore_errors=True)
