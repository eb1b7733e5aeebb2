"""The readiness sub-commands: import and report, questionnaire, assessments, and one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from readiness_support import PROFILES, make_service, run_command

from advisor.readiness.service import AssessmentService
from advisor.readiness.terminal import run_interview


@pytest.fixture
def service(tmp_path: Path) -> AssessmentService:
    return make_service(tmp_path)


def test_interview_with_answers_file_writes_the_report_without_prompting(
    service: AssessmentService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.pdf"
    code = run_command(
        service, "interview", "--answers", str(PROFILES / "cost_driven_transactional.json"), "--report", str(out)
    )
    assert code == 0
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Lean Orders Co" in text and "Offshore" in text
    assert "Location model: Offshore" in capsys.readouterr().out


def test_flat_answers_file_takes_the_client_from_the_option(service: AssessmentService, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"str_sponsor": "yes", "perf_kpis": 3}), encoding="utf-8")
    out = tmp_path / "out.json"
    args = ("--answers", str(answers), "--client", "Flat Co", "--report", str(out), "--provisional")
    assert run_command(service, "interview", *args) == 0
    report = json.loads(out.read_text())
    assert report["assessment"]["client"] == "Flat Co" and report["scores"]["provisional"] is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"client": "X", "answers": {"str_objectives": 9}}', "str_objectives"),
        ('{"client": "X", "answers": {"horoscope": "leo"}}', "unknown question 'horoscope'"),
        ('{"answers": {"str_sponsor": "yes"}}', "--client"),
    ],
)
def test_bad_answers_file_prints_an_error_naming_the_problem_and_returns_2(
    service: AssessmentService, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(content, encoding="utf-8")
    assert run_command(service, "interview", "--answers", str(answers)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_resuming_an_unknown_id_prints_an_error_and_returns_2(
    service: AssessmentService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_command(service, "interview", "--resume", "nope") == 2
    assert capsys.readouterr().err == "error: no assessment with id 'nope'\n"


def test_questionnaire_json_includes_each_options_score(
    service: AssessmentService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_command(service, "questionnaire", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    fit = next(q for q in data["questions"] if q["id"] == "str_fit")
    assert [o["score"] for o in fit["options"]] == [0, 30, 80, 100]
    regulations = next(q for q in data["questions"] if q["id"] == "ctx_regulations")
    assert regulations["condition"] == {"question": "ctx_data_sensitivity", "in": ["personal", "regulated"]}


def test_assessments_lists_and_filters_by_client(
    service: AssessmentService, capsys: pytest.CaptureFixture[str]
) -> None:
    service.start("Acme")
    service.start("Globex")
    assert run_command(service, "assessments", "--client", "glob", "--json") == 0
    assert [a["client"] for a in json.loads(capsys.readouterr().out)] == ["Globex"]


def test_terminal_interview_reads_replies_supports_back_notes_and_quit(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    replies = iter(
        ["about 200 people", "banana", "a bank", "note: ask about insurance arm", "back", "insurance", "quit"]
    )
    said: list[str] = []
    assert run_interview(service, assessment.id, "local", ask=lambda _: next(replies), say=said.append) == 0
    stored = {r.question_id: r for r in service.responses(assessment.id)}
    assert stored["ctx_company_size"].value == 200
    assert stored["ctx_industry"].value == "insurance"
    assert stored["ctx_industry"].note == "ask about insurance arm"
    assert any("could not read 'banana'" in line for line in said)
    assert said[-1] == f"Saved. Resume with: advisor interview --resume {assessment.id}"


def test_terminal_interview_shows_each_reading_and_asks_back_when_unsure(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    replies = iter(["a few hundred", "roughly 200 people", "quit"])
    said: list[str] = []
    run_interview(service, assessment.id, "local", ask=lambda _: next(replies), say=said.append)
    assert any(line.startswith("Roughly how many?") for line in said)
    assert "  Read as: 200 people. (Say 'back' to correct it.)" in said
    assert service.responses(assessment.id)[0].raw_text == "roughly 200 people"


def test_terminal_interview_finishes_with_a_summary_when_all_questions_are_done(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    said: list[str] = []
    run_interview(service, assessment.id, "local", ask=lambda _: "skip", say=said.append)
    assert service.get(assessment.id).status == "finished"
    assert "Location model:" in said[-1]


def _profile_answers(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((PROFILES / f"{name}.json").read_text(encoding="utf-8"))["answers"]
    return data


def test_every_error_in_an_answers_file_is_reported_at_once_and_nothing_is_stored(
    service: AssessmentService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {
        **_profile_answers("cost_driven_transactional"),
        "str_objectives": 9,
        "proc_stable": "perhaps on Tuesdays",
        "horoscope": "leo",
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"client": "Many Errors Ltd", "answers": answers}), encoding="utf-8")
    assert run_command(service, "interview", "--answers", str(path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 3 problems in the answers:")
    assert "str_objectives: 9 is out of range" in err and "proc_stable:" in err and "horoscope" in err
    assert "Traceback" not in err and service.list() == []


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_an_answers_file_are_refused_with_a_clear_message(
    service: AssessmentService, tmp_path: Path, capsys: pytest.CaptureFixture[str], literal: str
) -> None:
    body = json.dumps({"client": "Odd Numbers", "answers": _profile_answers("cost_driven_transactional")})
    path = tmp_path / "answers.json"
    path.write_text(body.replace('"ctx_company_size": 400', f'"ctx_company_size": {literal}'), encoding="utf-8")
    assert run_command(service, "interview", "--answers", str(path)) == 2
    err = capsys.readouterr().err
    assert "ctx_company_size:" in err and "NaN and infinity are refused" in err and "Traceback" not in err
    assert service.list() == []


def test_incomplete_answers_file_is_refused_naming_what_is_missing(
    service: AssessmentService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"client": "Half Done", "answers": {"str_sponsor": "yes", "perf_kpis": 3}}))
    assert run_command(service, "interview", "--answers", str(path), "--report", str(tmp_path / "r.md")) == 2
    err = capsys.readouterr().err
    assert "missing: 50 questions that apply have no entry (ctx_company_size," in err and "--provisional" in err
    assert not (tmp_path / "r.md").exists() and service.list() == []


def test_incomplete_answers_file_with_provisional_is_scored_and_labelled_provisional_everywhere(
    service: AssessmentService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"client": "Half Done", "answers": {"str_sponsor": "yes", "perf_kpis": 3}}))
    args = ("--answers", str(path), "--report", str(tmp_path / "r.md"), "--provisional")
    assert run_command(service, "interview", *args) == 0
    assert "(provisional)" in capsys.readouterr().out
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert report.startswith("# PROVISIONAL Outsourcing readiness report: Half Done")
    assert "**Provisional result:** 50 questions that apply have no answer yet" in report
    assert "(provisional)" in report


def test_a_complete_profile_file_is_scored_without_provisional(
    service: AssessmentService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bank.json"
    path = PROFILES / "regional_bank_works_council.json"
    assert run_command(service, "interview", "--answers", str(path), "--report", str(out)) == 0
    assert "Knock-out: People and change management below the floor" in capsys.readouterr().out
    assert json.loads(out.read_text())["scores"]["provisional"] is False


def test_markdown_report_writes_its_chart_beside_it_and_links_it(service: AssessmentService, tmp_path: Path) -> None:
    out = tmp_path / "acme.md"
    assert run_command(service, "interview", "--answers", str(PROFILES / "unprepared.json"), "--report", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert "](acme-radar.png)" in text and "base64" not in text
    assert (tmp_path / "acme-radar.png").read_bytes().startswith(b"\x89PNG")


def test_pdf_report_puts_the_logo_on_the_cover(service: AssessmentService, tmp_path: Path) -> None:
    from PIL import Image

    logo, out = tmp_path / "logo.png", tmp_path / "acme.pdf"
    Image.new("RGB", (120, 40), "#1f6feb").save(logo)
    answers = str(PROFILES / "unprepared.json")
    assert run_command(service, "interview", "--answers", answers, "--report", str(out), "--logo", str(logo)) == 0
    cover = pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages[0]
    assert len(cover.images) == 1 and "Outsourcing readiness report" in cover.extract_text()
