"""Serving: the start-up completes an interrupted or stale index, and the readiness probe reports it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from langchain_core.embeddings import Embeddings
from test_generations import interrupted_ingest

from advisor.api import create_app
from advisor.api.server import prepare_index
from advisor.service import Advisor
from advisor.settings import Settings


def test_readyz_reports_an_interrupted_ingest_and_serving_completes_it(
    settings: Settings,
    embeddings: Embeddings,
    make_advisor: Callable[[Settings], Advisor],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    interrupted_ingest(settings, embeddings, monkeypatch)
    advisor = make_advisor(settings)
    client = TestClient(create_app(advisor))

    before = client.get("/readyz")
    assert before.status_code == 503
    assert "did not finish" in before.json()["error"]["message"]

    assert prepare_index(advisor).complete
    after = client.get("/readyz").json()
    assert after == {"status": "ready", "chunks": 10, "index": "complete", "generation": 2, "detail": None}


def test_readyz_reports_a_stale_index_and_serving_refreshes_it(advisor: Advisor) -> None:
    client = TestClient(create_app(advisor))
    (advisor.settings.knowledge_dir / "offshore.md").unlink()

    stale = client.get("/readyz").json()
    assert stale["index"] == "stale" and "offshore.md" in stale["detail"]

    prepare_index(advisor)
    fresh = client.get("/readyz").json()
    assert fresh["index"] == "complete" and fresh["chunks"] == 7
    assert advisor.search("offshore destinations India Philippines", k=4)[0].source != "offshore.md"
