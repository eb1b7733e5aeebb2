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


def test_deleting_a_conversation_removes_it_with_its_turns_and_feedback(client: TestClient, advisor) -> None:
    kept, gone = _ask(client), _ask(client, "Which countries are popular for offshore outsourcing?")
    client.post("/v1/feedback", json={"message_id": gone["message_id"], "rating": "up"})
    response = client.delete(f"/v1/conversations/{gone['conversation_id']}")
    assert response.status_code == 204 and response.content == b""
    assert [c["id"] for c in client.get("/v1/conversations").json()] == [kept["conversation_id"]]
    assert client.get(f"/v1/conversations/{gone['conversation_id']}").status_code == 404
    assert client.get("/v1/feedback").json() == []
    again = client.delete(f"/v1/conversations/{gone['conversation_id']}")
    assert again.status_code == 404 and again.json()["error"]["type"] == "not_found"


def test_another_keys_conversation_cannot_be_deleted_or_renamed(client: TestClient, advisor) -> None:
    _, alice = advisor.keys.create("alice")
    _, bob = advisor.keys.create("bob")
    reply = client.post(
        "/v1/ask", json={"question": "What is offshore outsourcing?"}, headers={"Authorization": f"Bearer {alice}"}
    ).json()
    path = f"/v1/conversations/{reply['conversation_id']}"
    as_bob = {"Authorization": f"Bearer {bob}"}
    assert client.delete(path, headers=as_bob).json()["error"]["type"] == "not_found"
    assert client.patch(path, json={"title": "mine now"}, headers=as_bob).status_code == 404
    kept = client.get(path, headers={"Authorization": f"Bearer {alice}"}).json()
    assert kept["title"] == "What is offshore outsourcing?" and kept["turns"] == 2


def test_a_conversation_can_be_renamed_and_found_by_its_words(client: TestClient) -> None:
    contract, offshore = _ask(client), _ask(client, "Which countries are popular for offshore outsourcing?")
    renamed = client.patch(f"/v1/conversations/{contract['conversation_id']}", json={"title": "  Our   MSA  "})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Our MSA"
    assert [c["id"] for c in client.get("/v1/conversations", params={"q": "msa"}).json()] == [
        contract["conversation_id"]
    ]
    # Words from the answers count too, not only the title.
    found = client.get("/v1/conversations", params={"q": "philippines"}).json()
    assert [c["id"] for c in found] == [offshore["conversation_id"]]
    assert client.get("/v1/conversations", params={"q": "100%_"}).json() == []
    blank = client.patch(f"/v1/conversations/{contract['conversation_id']}", json={"title": "   "})
    assert blank.status_code == 422


def test_delete_is_documented_with_the_api_error_body(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/conversations/{conversation_id}"]["delete"]
    assert "204" in operation["responses"]
    assert operation["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorPublic")
