"""Server mode: ingest into and answer from a real `chroma run` on a loopback port."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from loopback import free_port

from advisor.service import Advisor
from advisor.settings import Settings, load_settings


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A Chroma server started for the test on 127.0.0.1 and stopped after it."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "chroma server exited"
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("chroma server did not start")


def test_ingest_into_a_chroma_server_and_answer_from_it(
    chroma_url: str, settings: Settings, make_advisor: Callable[[Settings], Advisor]
) -> None:
    served = load_settings(**{**settings.model_dump(), "chroma_url": chroma_url})
    advisor = make_advisor(served)
    report = advisor.ingest()
    assert report.added == 10 and not report.errors

    answer = advisor.ask("Which countries are popular offshore destinations?")

    assert not answer.refused
    assert answer.citations[0].source == "offshore.md"
    assert not (settings.data_dir / "chroma").exists()
    assert advisor.ingest().skipped == 10
