"""API keys, per-owner isolation, rate limiting, and errors that never leak a traceback."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from fastapi.testclient import TestClient

from advisor.answer import Event, Token
from advisor.api import create_app
from advisor.service import Advisor


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_without_keys_the_api_is_open(client: TestClient) -> None:
    assert client.get("/v1/topics").status_code == 200


def test_once_a_key_exists_every_v1_route_needs_it(client: TestClient, advisor: Advisor) -> None:
    _, key = advisor.keys.create("crm")
    for method, path in [("GET", "/v1/topics"), ("POST", "/v1/ask"), ("GET", "/v1/assessments"),
                         ("GET", "/v1/questionnaire"), ("POST", "/v1/chat/completions")]:  # fmt: skip
        response = client.request(method, path, json={})
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer" in response.json()["error"]["message"]
    wrong = client.get("/v1/topics", headers=_bearer("bpo_not-a-key"))
    assert wrong.status_code == 401 and wrong.json()["error"]["message"] == "invalid or revoked API key"
    assert client.get("/v1/topics", headers=_bearer(key)).status_code == 200
    assert client.get("/healthz").status_code == 200  # probes stay open


def test_a_revoked_key_is_refused(client: TestClient, advisor: Advisor) -> None:
    _, key = advisor.keys.create("crm")
    advisor.keys.create("other")
    advisor.keys.revoke("crm")
    assert client.get("/v1/topics", headers=_bearer(key)).status_code == 401


def test_data_belongs_to_the_key_that_created_it(client: TestClient, advisor: Advisor) -> None:
    _, alice = advisor.keys.create("alice")
    _, bob = advisor.keys.create("bob")
    reply = client.post("/v1/ask", json={"question": "What is offshore outsourcing?"}, headers=_bearer(alice)).json()
    assessment = client.post("/v1/assessments", json={"client": "Acme"}, headers=_bearer(alice)).json()["id"]
    client.post("/v1/feedback", json={"message_id": reply["message_id"], "rating": "up"}, headers=_bearer(alice))
    as_bob = _bearer(bob)
    for method, path, body in [
        ("GET", f"/v1/conversations/{reply['conversation_id']}", None),
        ("POST", "/v1/ask", {"question": "And nearshore?", "conversation_id": reply["conversation_id"]}),
        ("POST", "/v1/feedback", {"message_id": reply["message_id"], "rating": "down"}),
        ("GET", f"/v1/assessments/{assessment}", None),
        ("POST", f"/v1/assessments/{assessment}/answers", {"question_id": "ctx_company_size", "value": 9}),
        ("GET", f"/v1/assessments/{assessment}/report", None),
    ]:
        response = client.request(method, path, json=body, headers=as_bob)
        assert response.status_code == 404, path
        assert "Acme" not in response.text and reply["answer"] not in response.text
    assert client.get("/v1/conversations", headers=as_bob).json() == []
    assert client.get("/v1/feedback", headers=as_bob).json() == []
    assert client.get("/v1/assessments", headers=as_bob).json() == []
    assert len(client.get("/v1/feedback", headers=_bearer(alice)).json()) == 1


def test_rate_limit_answers_429_with_retry_after(make_client) -> None:
    client = make_client(rate_limit_per_minute=3)
    assert [client.get("/v1/topics").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/v1/topics")
    assert limited.status_code == 429
    assert limited.json()["error"]["type"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # probes are not limited


def test_rate_limit_is_per_key(make_client, advisor: Advisor) -> None:
    client = make_client(rate_limit_per_minute=2)
    _, alice = advisor.keys.create("alice")
    _, bob = advisor.keys.create("bob")
    assert [client.get("/v1/topics", headers=_bearer(alice)).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/v1/topics", headers=_bearer(bob)).status_code == 200


class _BrokenAdvisor(Advisor):
    """An advisor whose internals fail, to show that failures never leak details."""

    def topics(self) -> dict[str, list[dict[str, str]]]:
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")

    def stream(self, question: str, history: Sequence[tuple[str, str]] | None = None) -> Iterator[Event]:
        yield Token("A first piece")
        raise RuntimeError("secret hunter2 in the middle of a stream")


@pytest.fixture
def broken_client(advisor: Advisor) -> TestClient:
    broken = _BrokenAdvisor(advisor.settings, advisor.embeddings, advisor.index)
    return TestClient(create_app(broken), raise_server_exceptions=False)


def test_an_unexpected_error_is_a_500_without_details(broken_client: TestClient, caplog) -> None:
    response = broken_client.get("/v1/topics")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"type": "internal_error", "message": "internal error; the server log has the details"}
    }
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert "hunter2" in caplog.text  # logged for the operator


def test_an_error_mid_stream_ends_the_stream_with_an_error_event(broken_client: TestClient, read_sse) -> None:
    response = broken_client.post(
        "/v1/chat/completions",
        json={"model": "bpo-advisor", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
    )
    assert response.status_code == 200 and "hunter2" not in response.text
    events = read_sse(response.text)
    assert '"internal_error"' in events[-2][1] and events[-1][1] == "[DONE]"
