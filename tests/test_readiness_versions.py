"""Versions of an assessment: reopen a finished one, clone one, and compare two versions of one client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from readiness_support import make_service, profile, run_command

from advisor.readiness.errors import AssessmentNotFound, NotComparable, StatusConflict
from advisor.readiness.service import AssessmentService

IMPROVED = {"proc_documented": 4, "gov_exit_plan": {"value": "yes", "note": "Exit plan signed off in March"}}


@pytest.fixture
def service(tmp_path: Path) -> AssessmentService:
    return make_service(tmp_path)


@pytest.fixture
def finished(service: AssessmentService) -> str:
    return service.import_answers("Acme", profile("unprepared")["answers"]).assessment.id


def test_reopening_a_finished_assessment_makes_the_next_version_with_its_answers(
    service: AssessmentService, finished: str
) -> None:
    version = service.reopen(finished)
    assert version.version == 2 and version.parent_id == finished and version.status == "in_progress"
    assert version.name.startswith("Acme, ") and version.name.endswith(", version 2")
    copied = {r.question_id: r.value for r in service.responses(version.id)}
    assert copied == {r.question_id: r.value for r in service.responses(finished)}
    assert service.get(finished).status == "finished"


def test_a_finished_assessment_cannot_be_changed_and_says_to_reopen_it(
    service: AssessmentService, finished: str
) -> None:
    with pytest.raises(StatusConflict, match="reopen it"):
        service.answer(finished, "proc_documented", value=5)
    with pytest.raises(StatusConflict):
        service.back(finished)
    with pytest.raises(StatusConflict):
        service.finish(finished)


def test_an_assessment_in_progress_cannot_be_reopened(service: AssessmentService) -> None:
    with pytest.raises(StatusConflict, match="in progress"):
        service.reopen(service.start("Acme").id)


def test_clone_copies_answers_and_notes_for_the_same_or_another_client(
    service: AssessmentService, finished: str
) -> None:
    service_note = service.reopen(finished)
    service.note(service_note.id, "str_core", "Board undecided")
    same = service.clone(service_note.id)
    other = service.clone(finished, client="Globex")
    assert same.client == "Acme" and same.version == 3 and same.status == "in_progress"
    assert other.client == "Globex" and other.version == 1 and other.answered == service.get(finished).answered
    assert {r.question_id: r.note for r in service.responses(same.id)}["str_core"] == "Board undecided"


def test_comparing_two_versions_lists_changed_answers_and_risks_closed(
    service: AssessmentService, finished: str
) -> None:
    version = service.reopen(finished)
    service.revise(version.id, IMPROVED)
    comparison = service.compare(finished, version.id)
    changes = {c.question_id: c for c in comparison.changes}
    assert set(changes) == {"proc_documented", "gov_exit_plan"}
    assert changes["gov_exit_plan"].before == "No" and "Exit plan signed off" in changes["gov_exit_plan"].after
    assert changes["proc_documented"].before.startswith("1") and changes["proc_documented"].after.startswith("4")
    assert comparison.deltas["process"] is not None and comparison.deltas["process"] > 0
    assert not {r.id for r in comparison.risks_closed} & {r.id for r in comparison.risks_opened}


def test_comparing_well_prepared_after_unprepared_closes_risks(service: AssessmentService) -> None:
    before = service.import_answers("Acme", profile("unprepared")["answers"]).assessment.id
    after = service.import_answers("Acme", profile("well_prepared")["answers"]).assessment.id
    comparison = service.compare(before, after)
    assert comparison.risks_closed and not comparison.risks_opened
    assert comparison.after.assessment.version == 2


def test_versions_of_another_owner_are_not_found(service: AssessmentService, finished: str) -> None:
    for attempt in (
        lambda: service.reopen(finished, owner="mallory"),
        lambda: service.clone(finished, owner="mallory"),
        lambda: service.compare(finished, finished, owner="mallory"),
    ):
        with pytest.raises(AssessmentNotFound, match=finished):
            attempt()


def test_comparing_different_clients_names_both_by_client_and_date(service: AssessmentService, finished: str) -> None:
    other = service.import_answers("Globex", profile("unprepared")["answers"]).assessment.id
    with pytest.raises(NotComparable, match=r"Acme, .* version 1 and Globex, .* version 1"):
        service.compare(finished, other)


def test_cli_reopen_with_changes_finishes_the_new_version(
    service: AssessmentService, finished: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = tmp_path / "changes.json"
    changes.write_text(json.dumps(IMPROVED), encoding="utf-8")
    assert run_command(service, "reopen", finished, "--answers", str(changes)) == 0
    assert "Acme" in capsys.readouterr().out and "version 2" in service.list()[0].name
    assert service.list()[0].status == "finished"


def test_cli_reopen_with_a_bad_change_reports_it_and_keeps_the_version_open(
    service: AssessmentService, finished: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changes = tmp_path / "changes.json"
    changes.write_text(json.dumps({"proc_documented": 9, "nope": 1}), encoding="utf-8")
    assert run_command(service, "reopen", finished, "--answers", str(changes)) == 2
    error = capsys.readouterr().err
    assert "2 problems" in error and "proc_documented" in error and "nope" in error


def test_cli_clone_and_compare_print_names_changes_and_risks(
    service: AssessmentService, finished: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_command(service, "clone", finished, "--json") == 0
    copy = json.loads(capsys.readouterr().out)
    service.revise(copy["id"], IMPROVED)
    report = tmp_path / "comparison.md"
    assert run_command(service, "compare", finished, copy["id"], "--report", str(report)) == 0
    out = capsys.readouterr().out
    assert "Acme, " in out and "version 1 -> Acme" in out and "Answers changed: 2" in out
    assert "Risks closed:" in out and "Risks opened:" in out
    written = report.read_text(encoding="utf-8")
    assert "**Before:** Acme, " in written and "version 1" in written and "**After:** Acme, " in written
    assert "Answers changed" in written and (tmp_path / "comparison-radar.png").is_file()


def test_cli_compare_with_an_unknown_id_fails_clearly(
    service: AssessmentService, finished: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_command(service, "compare", finished, "nope") == 2
    assert capsys.readouterr().err.strip() == "error: no assessment with id 'nope'"
