"""Versions over the API: finish, reopen, clone and compare two assessments of one client, owner-scoped."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisor.service import Advisor

PROFILES = Path(__file__).parent.parent / "advisor" / "readiness" / "profiles"
TODAY = f"{datetime.now(UTC):%Y-%m-%d}"


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _finished(client: TestClient, name: str = "Acme", headers: dict[str, str] | None = None) -> str:
    answers = json.loads((PROFILES / "unprepared.json").read_text(encoding="utf-8"))["answers"]
    aid = str(client.post("/v1/assessments", json={"client": name}, headers=headers).json()["id"])
    for question_id, entry in answers.items():
        body = entry if isinstance(entry, dict) else {"value": entry}
        reply = client.post(
            f"/v1/assessments/{aid}/answers", json={"question_id": question_id, **body}, headers=headers
        )
        assert reply.status_code == 200, reply.text
    finished = client.post(f"/v1/assessments/{aid}/finish", headers=headers)
    assert finished.status_code == 200 and finished.json()["assessment"]["status"] == "finished"
    return aid


@pytest.fixture
def finished(client: TestClient) -> str:
    return _finished(client)


def test_a_finished_assessment_refuses_answers_and_a_second_finish_with_409(client: TestClient, finished: str) -> None:
    answer = client.post(f"/v1/assessments/{finished}/answers", json={"question_id": "proc_documented", "value": 5})
    assert answer.status_code == 409 and answer.json()["error"]["type"] == "status_conflict"
    assert "reopen" in answer.json()["error"]["message"]
    assert client.post(f"/v1/assessments/{finished}/finish").status_code == 409


def test_reopen_edit_and_compare_shows_changed_answers_and_risks(client: TestClient, finished: str) -> None:
    reopened = client.post(f"/v1/assessments/{finished}/reopen")
    assert reopened.status_code == 201
    version = reopened.json()
    assert version["version"] == 2 and version["parent_id"] == finished and version["name"].endswith("version 2")
    changed = client.post(
        f"/v1/assessments/{version['id']}/answers", json={"question_id": "gov_exit_plan", "value": "yes"}
    )
    assert changed.status_code == 200
    assert client.post(f"/v1/assessments/{version['id']}/finish").status_code == 200
    comparison = client.get(f"/v1/assessments/{finished}/compare/{version['id']}").json()
    assert [c["question_id"] for c in comparison["changes"]] == ["gov_exit_plan"]
    assert comparison["changes"][0]["before"] == "No" and comparison["changes"][0]["after"] == "Yes"
    assert {"risks_closed", "risks_opened", "risks_open"} <= comparison.keys()
    assert comparison["before"]["assessment"]["name"].startswith("Acme, ")


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_comparison_report_in_other_formats(client: TestClient, finished: str, fmt: str) -> None:
    copy = client.post(f"/v1/assessments/{finished}/clone").json()["id"]
    response = client.get(f"/v1/assessments/{finished}/compare/{copy}", params={"format": fmt, "provisional": True})
    assert response.status_code == 200
    assert response.headers["content-disposition"].endswith(f'comparison-acme-{TODAY}-v1-to-{TODAY}-v2.{fmt}"')


def test_report_file_is_named_by_client_date_and_version(client: TestClient, finished: str) -> None:
    response = client.get(f"/v1/assessments/{finished}/report", params={"format": "pdf"})
    assert response.headers["content-disposition"] == f'inline; filename="acme-{TODAY}-v1.pdf"'


def test_reopening_an_assessment_in_progress_is_409(client: TestClient) -> None:
    aid = client.post("/v1/assessments", json={"client": "Acme"}).json()["id"]
    response = client.post(f"/v1/assessments/{aid}/reopen")
    assert response.status_code == 409 and "in progress" in response.json()["error"]["message"]


def test_clone_for_another_client_starts_its_first_version(client: TestClient, finished: str) -> None:
    copy = client.post(f"/v1/assessments/{finished}/clone", json={"client": "Globex"})
    assert copy.status_code == 201
    assert copy.json()["client"] == "Globex" and copy.json()["version"] == 1 and copy.json()["answered"] > 30
    blank = client.post(f"/v1/assessments/{finished}/clone", json={"client": "  "})
    assert blank.status_code == 422


def test_comparing_different_clients_is_422_naming_them(client: TestClient, finished: str) -> None:
    other = client.post(f"/v1/assessments/{finished}/clone", json={"client": "Globex"}).json()["id"]
    response = client.get(f"/v1/assessments/{finished}/compare/{other}", params={"provisional": True})
    assert response.status_code == 422 and "Globex" in response.json()["error"]["message"]


def test_unknown_ids_are_404_on_the_version_routes(client: TestClient, finished: str) -> None:
    for method, path in [
        ("POST", "/v1/assessments/nope/finish"),
        ("POST", "/v1/assessments/nope/reopen"),
        ("POST", "/v1/assessments/nope/clone"),
        ("GET", f"/v1/assessments/nope/compare/{finished}"),
        ("GET", f"/v1/assessments/{finished}/compare/nope"),
        ("GET", "/v1/assessments/nope/chart.png"),
        ("GET", f"/v1/assessments/{finished}/compare/nope/chart.png"),
    ]:
        response = client.request(method, path)
        assert response.status_code == 404, path
        assert response.json()["error"] == {"type": "not_found", "message": "no assessment with id 'nope'"}


def test_another_owners_assessment_is_404_on_the_version_routes(client: TestClient, advisor: Advisor) -> None:
    _, alice = advisor.keys.create("alice")
    _, bob = advisor.keys.create("bob")
    mine = _finished(client, headers=_bearer(alice))
    theirs = _finished(client, headers=_bearer(bob))
    for method, path in [
        ("POST", f"/v1/assessments/{mine}/finish"),
        ("POST", f"/v1/assessments/{mine}/reopen"),
        ("POST", f"/v1/assessments/{mine}/clone"),
        ("GET", f"/v1/assessments/{theirs}/compare/{mine}"),
        ("GET", f"/v1/assessments/{mine}/chart.png"),
    ]:
        response = client.request(method, path, headers=_bearer(bob))
        assert response.status_code == 404, path
        assert "Acme" not in response.text


def test_markdown_report_and_comparison_link_charts_the_api_serves(client: TestClient, finished: str) -> None:
    report = client.get(f"/v1/assessments/{finished}/report", params={"format": "md"}).text
    assert "](chart.png)" in report and "base64" not in report
    chart = client.get(f"/v1/assessments/{finished}/chart.png")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
    copy = client.post(f"/v1/assessments/{finished}/clone").json()["id"]
    params = {"format": "md", "provisional": True}
    comparison = client.get(f"/v1/assessments/{finished}/compare/{copy}", params=params).text
    assert f"]({copy}/chart.png?provisional=true)" in comparison
    both = client.get(f"/v1/assessments/{finished}/compare/{copy}/chart.png", params={"provisional": True})
    assert both.status_code == 200 and both.content.startswith(b"\x89PNG")
