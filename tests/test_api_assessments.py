"""Readiness assessments over the API: start, answer (typed and free text), go back, report, questionnaire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

PROFILES = Path(__file__).parent.parent / "advisor" / "readiness" / "profiles"


@pytest.fixture
def assessment(client: TestClient) -> str:
    response = client.post("/v1/assessments", json={"client": "Acme Insurance", "interviewer": "Dana"})
    assert response.status_code == 201
    return str(response.json()["id"])


def test_start_and_read_an_assessment(client: TestClient, assessment: str) -> None:
    body = client.get(f"/v1/assessments/{assessment}").json()
    assert body["assessment"]["client"] == "Acme Insurance" and body["assessment"]["interviewer"] == "Dana"
    assert body["assessment"]["status"] == "in_progress" and body["answers"] == []
    assert body["progress"]["answered"] == 0 and body["progress"]["remaining"] > 0


def test_list_filters_by_client(client: TestClient, assessment: str) -> None:
    client.post("/v1/assessments", json={"client": "Globex"})
    assert [a["client"] for a in client.get("/v1/assessments", params={"client": "acme"}).json()] == ["Acme Insurance"]
    assert len(client.get("/v1/assessments").json()) == 2


def test_next_answer_typed_and_free_text_then_back(client: TestClient, assessment: str) -> None:
    first = client.get(f"/v1/assessments/{assessment}/next").json()["question"]
    assert first["id"] == "ctx_company_size" and first["type"] == "number" and first["allowed"]
    typed = client.post(f"/v1/assessments/{assessment}/answers", json={"question_id": first["id"], "value": 250})
    assert typed.status_code == 200
    assert typed.json()["response"]["value"] == 250 and typed.json()["progress"]["answered"] == 1
    second = typed.json()["next"]
    assert second["id"] == "ctx_industry"
    free = client.post(
        f"/v1/assessments/{assessment}/answers",
        json={"question_id": "ctx_industry", "value": "insurance", "note": "P&C and life"},
    )
    assert free.json()["response"]["label"] == "Insurance" and free.json()["response"]["note"] == "P&C and life"
    back = client.post(f"/v1/assessments/{assessment}/back").json()
    assert back["question"]["id"] == "ctx_industry" and back["question"]["previous"]["value"] == "insurance"
    assert back["progress"]["answered"] == 1


def test_free_text_replies_go_through_the_parser(client: TestClient, assessment: str) -> None:
    response = client.post(
        f"/v1/assessments/{assessment}/answers", json={"question_id": "ctx_company_size", "text": "about 200 people"}
    )
    assert response.status_code == 200
    reply = response.json()["response"]
    assert (reply["value"], reply["raw_text"], reply["reading"]) == (200, "about 200 people", "Read as: 200 people")
    stored = client.get(f"/v1/assessments/{assessment}").json()["answers"][0]
    assert (stored["value"], stored["raw_text"]) == (200, "about 200 people")


def test_unclear_free_text_is_422_ask_back_with_the_clarifying_question(client: TestClient, assessment: str) -> None:
    url = f"/v1/assessments/{assessment}/answers"
    unclear = client.post(url, json={"question_id": "ctx_company_size", "text": "a few hundred"})
    assert unclear.status_code == 422 and unclear.json()["error"]["type"] == "ask_back"
    assert unclear.json()["error"]["message"].startswith("ctx_company_size: Roughly how many?")


def test_invalid_answers_are_422_with_the_allowed_answers(client: TestClient, assessment: str) -> None:
    url = f"/v1/assessments/{assessment}/answers"
    out_of_range = client.post(url, json={"question_id": "ctx_company_size", "value": -5})
    assert out_of_range.status_code == 422
    assert out_of_range.json()["error"]["type"] == "invalid_answer"
    assert "expected a number" in out_of_range.json()["error"]["message"]
    unreadable = client.post(url, json={"question_id": "ctx_company_size", "text": "purple"})
    assert unreadable.status_code == 422 and "could not read 'purple'" in unreadable.json()["error"]["message"]
    bad_option = client.post(url, json={"question_id": "ctx_industry", "value": "mining"})
    assert bad_option.status_code == 422 and "one of:" in bad_option.json()["error"]["message"]
    unknown = client.post(url, json={"question_id": "favourite_colour", "value": 3})
    assert unknown.status_code == 422 and "unknown question" in unknown.json()["error"]["message"]
    nothing = client.post(url, json={"question_id": "ctx_company_size"})
    assert nothing.status_code == 422 and "no answer given" in nothing.json()["error"]["message"]
    wrong_type = client.post(url, json={"question_id": "ctx_company_size", "value": {"people": 5}})
    assert wrong_type.status_code == 422 and wrong_type.json()["error"]["message"].startswith("value")
    missing_id = client.post(url, json={"value": 5})
    assert missing_id.status_code == 422 and "question_id: field required" in missing_id.json()["error"]["message"]


@pytest.mark.parametrize(
    ("fmt", "media", "start"),
    [("json", "application/json", b"{"), ("md", "text/markdown", b"# "), ("html", "text/html", b"<!DOCTYPE html>"),
     ("pdf", "application/pdf", b"%PDF")],
)  # fmt: skip
def test_report_in_every_format(client: TestClient, assessment: str, fmt: str, media: str, start: bytes) -> None:
    client.post(f"/v1/assessments/{assessment}/answers", json={"question_id": "ctx_company_size", "value": 80})
    response = client.get(f"/v1/assessments/{assessment}/report", params={"format": fmt, "provisional": "true"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media) and response.content.startswith(start)
    if fmt == "json":
        body = json.loads(response.content)
        assert body["assessment"]["client"] == "Acme Insurance" and body["scores"]["provisional"] is True
    elif fmt != "pdf":
        assert "PROVISIONAL" in response.text and "Provisional result:" in response.text


def test_report_of_an_incomplete_assessment_is_409_unless_provisional(client: TestClient, assessment: str) -> None:
    client.post(f"/v1/assessments/{assessment}/answers", json={"question_id": "ctx_company_size", "value": 80})
    response = client.get(f"/v1/assessments/{assessment}/report")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["type"] == "incomplete_assessment" and "ctx_industry" in error["message"]
    assert "provisional=true" in error["message"]


def test_report_of_a_complete_profile_names_its_knock_out(client: TestClient) -> None:
    answers = json.loads((PROFILES / "regional_bank_works_council.json").read_text(encoding="utf-8"))["answers"]
    aid = client.post("/v1/assessments", json={"client": "Rhineland Regional Bank"}).json()["id"]
    for question_id, entry in answers.items():
        body = entry if isinstance(entry, dict) else {"value": entry}
        reply = client.post(f"/v1/assessments/{aid}/answers", json={"question_id": question_id, **body})
        assert reply.status_code == 200, reply.text
    scores = client.get(f"/v1/assessments/{aid}/report").json()["scores"]
    assert scores["provisional"] is False and scores["band"] == "emerging" and scores["score_band"] == "ready"
    assert [k["id"] for k in scores["knockouts"]] == ["floor_people"]
    assert "26/100" in scores["knockouts"][0]["reason"]


def test_unknown_report_format_is_422(client: TestClient, assessment: str) -> None:
    response = client.get(f"/v1/assessments/{assessment}/report", params={"format": "docx"})
    assert response.status_code == 422
    assert "'json', 'md', 'html' or 'pdf'" in response.json()["error"]["message"]


def test_unknown_assessment_is_404_on_every_route(client: TestClient) -> None:
    for method, path, body in [
        ("GET", "/v1/assessments/nope", None),
        ("GET", "/v1/assessments/nope/next", None),
        ("POST", "/v1/assessments/nope/answers", {"question_id": "ctx_company_size", "value": 5}),
        ("POST", "/v1/assessments/nope/back", None),
        ("GET", "/v1/assessments/nope/report", None),
    ]:
        response = client.request(method, path, json=body)
        assert response.status_code == 404, path
        assert response.json() == {"error": {"type": "not_found", "message": "no assessment with id 'nope'"}}


def test_start_rejects_missing_or_blank_client_and_bad_mode(client: TestClient) -> None:
    missing = client.post("/v1/assessments", json={"interviewer": "Dana"})
    assert missing.status_code == 422 and missing.json()["error"]["message"] == "client: field required"
    blank = client.post("/v1/assessments", json={"client": "   "})
    assert blank.status_code == 422 and "client name is required" in blank.json()["error"]["message"]
    mode = client.post("/v1/assessments", json={"client": "Acme", "mode": "audit"})
    assert mode.status_code == 422 and mode.json()["error"]["message"].startswith("mode:")


def test_questionnaire_lists_dimensions_and_questions(client: TestClient) -> None:
    questionnaire = client.get("/v1/questionnaire").json()
    assert questionnaire["dimensions"] and questionnaire["questions"][0]["id"] == "ctx_company_size"
