"""Search, topics and the health probes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from advisor.api import create_app
from advisor.index import KnowledgeIndex
from advisor.service import Advisor
from advisor.settings import load_settings


def test_search_returns_ranked_passages(client: TestClient) -> None:
    response = client.post("/v1/search", json={"query": "offshore destinations India", "k": 2})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert len(hits) == 2 and hits[0]["source"] == "offshore.md"
    assert hits[0]["score"] >= hits[1]["score"]
    assert {"source", "title", "section", "topic", "text", "score"} <= set(hits[0])


def test_search_filters_by_topic(client: TestClient) -> None:
    hits = client.post("/v1/search", json={"query": "outsourcing", "k": 5, "topic": "contracts"}).json()["hits"]
    assert hits and {h["topic"] for h in hits} == {"contracts"}


def test_search_rejects_unknown_topic_bad_k_and_empty_query(client: TestClient) -> None:
    topic = client.post("/v1/search", json={"query": "offshore", "topic": "astrology"})
    assert topic.status_code == 422 and "/v1/topics" in topic.json()["error"]["message"]
    k = client.post("/v1/search", json={"query": "offshore", "k": 0})
    assert k.status_code == 422 and k.json()["error"]["message"].startswith("k:")
    k_type = client.post("/v1/search", json={"query": "offshore", "k": "many"})
    assert k_type.status_code == 422
    empty = client.post("/v1/search", json={"query": " "})
    assert empty.status_code == 422 and empty.json()["error"]["message"] == "query: query is empty"
    mode = client.post("/v1/search", json={"query": "offshore", "mode": "psychic"})
    assert mode.status_code == 422 and "mode" in mode.json()["error"]["message"]


def test_topics_lists_documents_by_topic(client: TestClient) -> None:
    topics = client.get("/v1/topics").json()["topics"]
    assert set(topics) == {"benefits-and-risks", "contracts", "location-models"}
    assert [d["source"] for d in topics["location-models"]] == ["nearshore.md", "offshore.md"]
    assert topics["contracts"][0]["summary"] == "What an outsourcing contract must contain."


def test_healthz_and_readyz_report_ok_when_indexed(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready" and ready.json()["chunks"] > 0


def test_readyz_is_503_while_the_index_is_empty(tmp_path: Path, embeddings) -> None:
    settings = load_settings(knowledge_dir=tmp_path / "kb", data_dir=tmp_path / "data")
    empty = Advisor(settings, embeddings, KnowledgeIndex(settings, embeddings))
    with TestClient(create_app(empty, settings)) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["error"]["type"] == "not_ready"
        assert client.get("/healthz").status_code == 200


def test_unknown_route_and_method_are_json_errors(client: TestClient) -> None:
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "not_found"
    method = client.delete("/v1/topics")
    assert method.status_code == 405 and method.json()["error"]["type"] == "method_not_allowed"


def test_openapi_documents_every_route_with_a_summary(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/ask", "/v1/search", "/v1/topics", "/v1/conversations/{conversation_id}", "/v1/feedback",
                 "/v1/assessments", "/v1/assessments/{assessment_id}/next", "/v1/assessments/{assessment_id}/report",
                 "/v1/questionnaire", "/v1/chat/completions", "/healthz", "/readyz"):  # fmt: skip
        assert path in spec["paths"], path
        for operation in spec["paths"][path].values():
            assert operation.get("description"), path


def test_search_hits_carry_a_plain_snippet_cut_at_a_sentence_or_word(
    advisor_on: Callable[[dict[str, str]], Advisor],
) -> None:
    body = "**Offshore** work moves to *distant* countries with lower labour costs. " * 12
    advisor = advisor_on({"offshore.md": f"---\ntitle: Offshore\n---\n## Offshore\n{body}\nsee: nearshore.md\n"})
    client = TestClient(create_app(advisor, advisor.settings))
    hits = client.post("/v1/search", json={"query": "offshore labour costs"}).json()["hits"]
    snippet = hits[0]["snippet"]
    assert snippet.startswith("Offshore work moves to distant countries") and snippet.endswith("costs.")
    assert "**" not in snippet and "see:" not in snippet and len(snippet) <= 300
