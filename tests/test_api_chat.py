"""The OpenAI-compatible /v1/chat/completions endpoint, through TestClient (the live `openai` client: test_api_live)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

QUESTION = "Which countries are popular for offshore outsourcing?"


def _chat(client: TestClient, messages: list[dict], **extra: object):  # type: ignore[no-untyped-def]
    return client.post("/v1/chat/completions", json={"model": "bpo-advisor", "messages": messages, **extra})


def test_completion_has_openai_shape_and_sources(client: TestClient) -> None:
    response = _chat(client, [{"role": "system", "content": "Be brief."}, {"role": "user", "content": QUESTION}])
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion" and body["model"] == "bpo-advisor" and body["id"].startswith("chatcmpl-")
    choice = body["choices"][0]
    assert choice["message"]["role"] == "assistant" and "India" in choice["message"]["content"]
    assert choice["finish_reason"] == "stop"
    assert body["bpo_sources"][0]["source"] == "offshore.md" and body["bpo_refused"] is False


def test_earlier_messages_are_the_history(client: TestClient) -> None:
    messages = [
        {"role": "user", "content": "What is nearshore outsourcing?"},
        {"role": "assistant", "content": "Nearshore outsourcing moves work to a neighbouring country."},
        {"role": "user", "content": [{"type": "text", "text": "What are its downsides?"}]},
    ]
    body = _chat(client, messages).json()
    assert "nearshore.md" in {s["source"] for s in body["bpo_sources"]}


def test_streaming_sends_chunks_then_sources_then_done(client: TestClient, read_sse) -> None:
    response = _chat(client, [{"role": "user", "content": QUESTION}], stream=True)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = read_sse(response.text)
    assert events[-1] == (None, "[DONE]")
    chunks = [json.loads(data) for _, data in events[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"} and len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "India" in text
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["bpo_sources"][0]["source"] == "offshore.md"


def test_bad_chat_requests_are_4xx(client: TestClient) -> None:
    model = _chat(client, [{"role": "user", "content": QUESTION}], model="gpt-4o")
    assert model.status_code == 404 and model.json()["error"]["type"] == "model_not_found"
    last = _chat(client, [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "Sure."}])
    assert last.status_code == 422 and "last message must have role 'user'" in last.json()["error"]["message"]
    empty = _chat(client, [])
    assert empty.status_code == 422 and empty.json()["error"]["message"].startswith("messages:")
    role = _chat(client, [{"role": "wizard", "content": QUESTION}])
    assert role.status_code == 422
    blank = _chat(client, [{"role": "user", "content": ""}], stream=True)
    assert blank.status_code == 422 and blank.json()["error"]["message"] == "question is empty"


def test_models_lists_bpo_advisor(client: TestClient) -> None:
    assert [m["id"] for m in client.get("/v1/models").json()["data"]] == ["bpo-advisor"]
