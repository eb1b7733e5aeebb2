"""Server mode: ingest into and answer from a real `chroma run` on a loopback port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from loopback import chroma_server

from advisor.service import Advisor
from advisor.settings import Settings, load_settings


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A Chroma server started for the test on 127.0.0.1 and stopped after it."""
    with chroma_server(tmp_path / "chroma-server") as url:
        yield url


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
