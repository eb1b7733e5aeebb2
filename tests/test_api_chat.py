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


def _content_chunks(client: TestClient, read_sse, messages: list[dict], **extra: object) -> list[dict]:
    response = _chat(client, messages, stream=True, **extra)
    assert response.status_code == 200
    return [json.loads(data) for _, data in read_sse(response.text)[:-1]]


def test_usage_counts_words_and_punctuation_of_the_prompt_and_the_answer(client: TestClient) -> None:
    body = _chat(client, [{"role": "user", "content": QUESTION}]).json()
    usage = body["usage"]
    assert usage["prompt_tokens"] == 8  # seven words and "?"
    answer_words = len(body["choices"][0]["message"]["content"].split())
    assert answer_words <= usage["completion_tokens"] <= 2 * answer_words
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_max_tokens_cuts_the_answer_at_a_word_with_finish_reason_length(client: TestClient) -> None:
    full = _chat(client, [{"role": "user", "content": QUESTION}]).json()["choices"][0]["message"]["content"]
    body = _chat(client, [{"role": "user", "content": QUESTION}], max_tokens=5).json()
    text = body["choices"][0]["message"]["content"]
    assert body["choices"][0]["finish_reason"] == "length" and body["usage"]["completion_tokens"] == 5
    assert full.startswith(text) and len(text.split()) <= 5 and not text.endswith(" ")
    roomy = _chat(client, [{"role": "user", "content": QUESTION}], max_completion_tokens=10_000).json()
    assert roomy["choices"][0]["finish_reason"] == "stop" and roomy["choices"][0]["message"]["content"] == full


def test_max_tokens_that_is_not_a_positive_integer_is_rejected(client: TestClient) -> None:
    for wrong in (0, -3, "ten", 2.5):
        response = _chat(client, [{"role": "user", "content": QUESTION}], max_tokens=wrong)
        assert response.status_code == 422, wrong
        assert response.json()["error"]["message"].startswith("max_tokens")


def test_system_messages_are_said_to_be_ignored(client: TestClient) -> None:
    plain = _chat(client, [{"role": "user", "content": QUESTION}]).json()
    assert "bpo_notes" not in plain
    steered = _chat(client, [{"role": "system", "content": "Answer in French."}, {"role": "user", "content": QUESTION}])
    assert steered.json()["bpo_notes"] == [
        "system and developer messages are ignored: answers come only from the knowledge base"
    ]
    assert steered.json()["choices"][0]["message"]["content"] == plain["choices"][0]["message"]["content"]


def test_a_stream_sends_the_answer_sentence_by_sentence_and_usage_when_asked(client: TestClient, read_sse) -> None:
    chunks = _content_chunks(client, read_sse, [{"role": "user", "content": QUESTION}], stream_options={
        "include_usage": True
    })  # fmt: skip
    pieces = [
        c["choices"][0]["delta"]["content"] for c in chunks if c["choices"] and c["choices"][0]["delta"].get("content")
    ]
    whole = _chat(client, [{"role": "user", "content": QUESTION}]).json()
    assert len(pieces) >= 2 and "".join(pieces) == whole["choices"][0]["message"]["content"]
    assert all(p.rstrip().endswith((".", ":", "]", "?", "!")) for p in pieces[:-1])
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"] == whole["usage"]
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop" and "bpo_sources" in chunks[-2]


def test_a_stream_stops_at_max_tokens(client: TestClient, read_sse) -> None:
    chunks = _content_chunks(client, read_sse, [{"role": "user", "content": QUESTION}], max_tokens=4)
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert len(text.split()) <= 4 and chunks[-1]["choices"][0]["finish_reason"] == "length"
    assert "usage" not in chunks[-1]
