"""POST /v1/ask: answers with citations in a server-kept conversation, as JSON and as Server-Sent Events."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

QUESTION = "Which countries are popular for offshore outsourcing?"


def test_ask_answers_with_citations_and_ids(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert "India" in body["answer"] and not body["refused"]
    assert body["citations"][0]["source"] == "offshore.md"
    assert {"n", "source", "title", "section", "snippet", "score"} <= set(body["citations"][0])
    assert body["conversation_id"] and body["message_id"]


def test_ask_follow_up_sends_only_the_new_question(client: TestClient) -> None:
    first = client.post("/v1/ask", json={"question": "What is nearshore outsourcing?"}).json()
    follow = client.post(
        "/v1/ask", json={"question": "What are its downsides?", "conversation_id": first["conversation_id"]}
    )
    assert follow.status_code == 200
    assert follow.json()["conversation_id"] == first["conversation_id"]
    assert "nearshore.md" in {c["source"] for c in follow.json()["citations"]}
    turns = client.get(f"/v1/conversations/{first['conversation_id']}").json()["messages"]
    assert [t["role"] for t in turns] == ["user", "assistant", "user", "assistant"]


def test_ask_refuses_off_topic_questions(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "What is the best recipe for lasagne?"}).json()
    assert body["refused"] is True and body["citations"] == []


def test_ask_stream_sends_tokens_then_answer_with_citations_then_done(client: TestClient, read_sse) -> None:
    response = client.post("/v1/ask", json={"question": QUESTION, "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = read_sse(response.text)
    names = [name for name, _ in events]
    assert names[-2:] == ["answer", "done"] and set(names[:-2]) == {"token"}
    tokens = "".join(json.loads(data)["text"] for name, data in events if name == "token")
    answer = json.loads(events[-2][1])
    assert tokens == answer["answer"]
    assert answer["citations"] and answer["message_id"] and answer["conversation_id"]
    stored = client.get(f"/v1/conversations/{answer['conversation_id']}").json()
    assert stored["messages"][-1]["id"] == answer["message_id"]


def test_ask_stream_rejects_bad_input_before_streaming(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "   ", "stream": True})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "question: question is empty"
    unknown = client.post("/v1/ask", json={"question": QUESTION, "conversation_id": "nope", "stream": True})
    assert unknown.status_code == 404


def test_ask_rejects_malformed_json(client: TestClient) -> None:
    response = client.post("/v1/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "malformed_json"
    assert "not valid JSON" in response.json()["error"]["message"]


def test_ask_rejects_wrong_types_missing_and_unknown_fields(client: TestClient) -> None:
    wrong = client.post("/v1/ask", json={"question": 42})
    assert wrong.status_code == 422 and wrong.json()["error"]["message"].startswith("question:")
    missing = client.post("/v1/ask", json={})
    assert missing.status_code == 422 and missing.json()["error"]["message"] == "question: field required"
    misspelt = client.post("/v1/ask", json={"question": QUESTION, "conversation": "x"})
    assert misspelt.status_code == 422 and "conversation: unknown field" in misspelt.json()["error"]["message"]
    not_object = client.post("/v1/ask", json=["a question"])
    assert not_object.status_code == 422


def test_ask_rejects_over_long_binary_and_broken_unicode_questions(client: TestClient) -> None:
    long = client.post("/v1/ask", json={"question": "outsourcing " * 300})
    assert long.status_code == 422 and "too long" in long.json()["error"]["message"]
    binary = client.post("/v1/ask", json={"question": "offshore \x00\x01\x02"})
    assert binary.status_code == 422 and "binary" in binary.json()["error"]["message"]
    surrogate = client.post(
        "/v1/ask", content=b'{"question": "offshore \\ud800 costs"}', headers={"content-type": "application/json"}
    )
    assert surrogate.status_code == 422 and "unicode" in surrogate.json()["error"]["message"].lower()


def test_ask_with_unknown_conversation_is_404(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": QUESTION, "conversation_id": "does-not-exist"})
    assert response.status_code == 404
    assert response.json() == {"error": {"type": "not_found", "message": "no conversation with id 'does-not-exist'"}}


def test_oversized_body_is_413_with_a_json_error(client: TestClient) -> None:
    big = json.dumps({"question": "a" * 70_000}).encode()
    response = client.post("/v1/ask", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "body_too_large"


def test_oversized_chunked_body_is_413(client: TestClient) -> None:
    def chunks():
        yield b'{"question": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    response = client.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "limit of 64000 bytes" in response.json()["error"]["message"]


def test_ask_stream_sends_the_answer_sentence_by_sentence(client: TestClient, read_sse) -> None:
    response = client.post("/v1/ask", json={"question": "What should an outsourcing contract include?", "stream": True})
    events = read_sse(response.text)
    pieces = [json.loads(data)["text"] for name, data in events if name == "token"]
    answer = json.loads(next(data for name, data in events if name == "answer"))["answer"]
    assert len(pieces) >= 2 and "".join(pieces) == answer
    assert pieces[0].rstrip().endswith(".") and answer.startswith(pieces[0])
