"""Stored conversations (JSON and Markdown) and feedback on answers."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _ask(client: TestClient, question: str = "What should an outsourcing contract include?") -> dict:
    response = client.post("/v1/ask", json={"question": question})
    assert response.status_code == 200
    return response.json()


def test_conversation_holds_turns_with_citations(client: TestClient) -> None:
    reply = _ask(client)
    conversation = client.get(f"/v1/conversations/{reply['conversation_id']}").json()
    assert conversation["title"] == "What should an outsourcing contract include?"
    user, assistant = conversation["messages"]
    assert user["role"] == "user" and user["citations"] == []
    assert assistant["id"] == reply["message_id"] and assistant["text"] == reply["answer"]
    assert assistant["citations"][0]["source"] == "contracts.md"


def test_conversation_exports_as_markdown(client: TestClient) -> None:
    reply = _ask(client)
    response = client.get(f"/v1/conversations/{reply['conversation_id']}", params={"format": "md"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("# What should an outsourcing contract include?")
    assert "**You:** What should an outsourcing contract include?" in response.text
    assert "(`contracts.md`)" in response.text


def test_conversations_are_listed_newest_first(client: TestClient) -> None:
    first, second = _ask(client), _ask(client, "Which countries are popular for offshore outsourcing?")
    listed = client.get("/v1/conversations").json()
    assert [c["id"] for c in listed] == [second["conversation_id"], first["conversation_id"]]
    assert listed[0]["turns"] == 2


def test_conversation_rejects_unknown_id_and_format(client: TestClient) -> None:
    missing = client.get("/v1/conversations/unknown")
    assert missing.status_code == 404 and "unknown" in missing.json()["error"]["message"]
    reply = _ask(client)
    bad = client.get(f"/v1/conversations/{reply['conversation_id']}", params={"format": "docx"})
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("query.format:")


def test_feedback_is_stored_and_listed(client: TestClient) -> None:
    reply = _ask(client)
    created = client.post("/v1/feedback", json={"message_id": reply["message_id"], "rating": "up", "comment": "clear"})
    assert created.status_code == 201
    assert created.json()["conversation_id"] == reply["conversation_id"]
    listed = client.get("/v1/feedback").json()
    assert [(f["message_id"], f["rating"], f["comment"]) for f in listed] == [(reply["message_id"], "up", "clear")]


def test_feedback_rejects_bad_rating_unknown_message_and_questions(client: TestClient) -> None:
    reply = _ask(client)
    rating = client.post("/v1/feedback", json={"message_id": reply["message_id"], "rating": "meh"})
    assert rating.status_code == 422 and rating.json()["error"]["message"].startswith("rating:")
    missing = client.post("/v1/feedback", json={"message_id": "nope", "rating": "down"})
    assert missing.status_code == 404
    question_id = client.get(f"/v1/conversations/{reply['conversation_id']}").json()["messages"][0]["id"]
    question = client.post("/v1/feedback", json={"message_id": question_id, "rating": "down"})
    assert question.status_code == 422 and "answer" in question.json()["error"]["message"]
    no_rating = client.post("/v1/feedback", json={"message_id": reply["message_id"]})
    assert no_rating.status_code == 422 and no_rating.json()["error"]["message"] == "rating: field required"


def test_markdown_export_escapes_raw_html_from_a_question(client: TestClient) -> None:
    asked = client.post("/v1/ask", json={"question": "<script>alert(1)</script> What is nearshore outsourcing?"})
    conversation_id = asked.json()["conversation_id"]
    markdown = client.get(f"/v1/conversations/{conversation_id}", params={"format": "md"}).text
    assert "<script>" not in markdown and "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
