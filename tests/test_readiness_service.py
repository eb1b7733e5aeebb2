"""The assessments service: the interview flow, notes, owners, listing, importing and comparing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from readiness_support import make_service, profile

from advisor.readiness.errors import (
    AskBack,
    AssessmentNotFound,
    IncompleteAssessment,
    InvalidAnswer,
    NotComparable,
)
from advisor.readiness.service import AssessmentService


@pytest.fixture
def service(tmp_path: Path) -> AssessmentService:
    return make_service(tmp_path)


def test_interview_starts_with_the_first_question_and_moves_on_after_an_answer(service: AssessmentService) -> None:
    assessment = service.start("Acme", interviewer="Dana", mode="consultant")
    first = service.next_question(assessment.id)
    assert first is not None and first.id == "ctx_company_size" and first.position == 1
    service.answer(assessment.id, first.id, text="about 200 people")
    following = service.next_question(assessment.id)
    assert following is not None and following.id == "ctx_industry"


def test_free_text_answer_is_stored_typed_with_its_label_and_note(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    stored = service.answer(assessment.id, "str_sponsor", text="yes, mostly", note="CFO, informally")
    assert (stored.value, stored.label, stored.note) == ("partly", "Partly", "CFO, informally")
    assert service.responses(assessment.id)[0].raw_text == "yes, mostly"


def test_free_text_answer_keeps_the_client_words_beside_the_reading(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    stored = service.answer(assessment.id, "proc_documented", text="Key steps are written down")
    assert (stored.value, stored.raw_text) == (3, "Key steps are written down")
    assert stored.reading == "Read as: 3 of 5, key steps written down"
    assert service.responses(assessment.id)[0].reading == stored.reading
    report = json.loads(service.report(assessment.id, "json", provisional=True))
    assert report["answers"][0]["raw_text"] == "Key steps are written down"


def test_typed_answer_has_no_client_words_and_no_reading(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    stored = service.answer(assessment.id, "proc_documented", value=3)
    assert (stored.raw_text, stored.reading) == (None, "")


def test_unclear_free_text_is_asked_back_and_stores_nothing(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    with pytest.raises(AskBack, match="Is it 3 or 4"):
        service.answer(assessment.id, "proc_documented", text="3 or 4")
    assert service.responses(assessment.id) == []


def test_invalid_answer_says_what_is_allowed_and_stores_nothing(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    with pytest.raises(InvalidAnswer, match="whole number from 1 to 5"):
        service.answer(assessment.id, "proc_documented", value=9)
    with pytest.raises(InvalidAnswer, match="unknown question"):
        service.answer(assessment.id, "no_such_question", value="yes")
    assert service.responses(assessment.id) == []


def test_question_hidden_by_skip_logic_cannot_be_answered(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    service.answer(assessment.id, "ctx_data_sensitivity", value="low")
    with pytest.raises(InvalidAnswer, match="does not apply"):
        service.answer(assessment.id, "ctx_regulations", value=["gdpr"])


def test_skip_and_dont_know_are_stored_distinctly_and_counted_in_progress(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    service.skip(assessment.id, "ctx_company_size")
    service.dont_know(assessment.id, "ctx_industry", note="ask the CEO")
    service.answer(assessment.id, "ctx_functions", text="payroll")
    progress = service.progress(assessment.id)
    assert (progress.answered, progress.dont_know, progress.skipped) == (1, 1, 1)
    assert progress.remaining == progress.total - 3
    assert [r.status for r in service.responses(assessment.id)] == ["skipped", "dont_know", "answered"]


def test_back_withdraws_the_last_answer_and_asks_it_again_with_the_old_answer(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    service.answer(assessment.id, "ctx_company_size", value=50)
    service.answer(assessment.id, "ctx_industry", value="insurance")
    again = service.back(assessment.id)
    assert again is not None and again.id == "ctx_industry"
    assert again.previous is not None and again.previous.value == "insurance"
    following = service.next_question(assessment.id)
    assert following is not None and following.id == "ctx_industry"
    assert following.previous is not None and following.previous.label == "Insurance"
    assert [r.question_id for r in service.responses(assessment.id)] == ["ctx_company_size"]


def test_back_at_the_start_returns_nothing(service: AssessmentService) -> None:
    assert service.back(service.start("Acme").id) is None


def test_note_can_be_added_to_an_answer_and_is_kept_when_reanswering(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    service.answer(assessment.id, "str_core", value="no")
    service.note(assessment.id, "str_core", "board decides in May")
    service.answer(assessment.id, "str_core", value="partly")
    (reply,) = service.responses(assessment.id)
    assert (reply.value, reply.note) == ("partly", "board decides in May")


def test_finish_marks_the_assessment_finished_and_returns_its_result(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    service.answer(assessment.id, "str_objectives", value=5)
    result = service.finish(assessment.id, provisional=True)
    assert result.assessment.status == "finished" and result.assessment.finished_at is not None
    assert result.scores.confidence < 10
    assert result.scores.provisional and result.scores.band_label == "Ready (provisional)"
    assert service.progress(assessment.id).finished


def test_finish_refuses_an_incomplete_assessment_unless_provisional(service: AssessmentService) -> None:
    assessment = service.start("Acme")
    service.answer(assessment.id, "str_objectives", value=5)
    with pytest.raises(IncompleteAssessment, match="provisional") as refused:
        service.finish(assessment.id)
    assert "ctx_company_size" in refused.value.missing and "str_objectives" not in refused.value.missing
    assert not service.progress(assessment.id).finished
    with pytest.raises(IncompleteAssessment):
        service.report(assessment.id, "md")


def test_list_is_newest_first_and_searches_by_client(service: AssessmentService) -> None:
    first = service.start("Acme Retail")
    second = service.start("Globex")
    third = service.start("acme health")
    assert [a.id for a in service.list()] == [third.id, second.id, first.id]
    assert {a.id for a in service.list(client="ACME")} == {first.id, third.id}


def test_other_owners_assessment_is_reported_exactly_like_an_unknown_id(service: AssessmentService) -> None:
    mine = service.start("Acme", owner="key-a")
    with pytest.raises(AssessmentNotFound) as foreign:
        service.next_question(mine.id, owner="key-b")
    with pytest.raises(AssessmentNotFound) as unknown:
        service.next_question("000000000000", owner="key-b")
    assert str(foreign.value).replace(mine.id, "ID") == str(unknown.value).replace("000000000000", "ID")
    for call in (
        lambda: service.answer(mine.id, "str_core", value="yes", owner="key-b"),
        lambda: service.result(mine.id, owner="key-b"),
        lambda: service.report(mine.id, "md", owner="key-b"),
        lambda: service.back(mine.id, owner="key-b"),
    ):
        with pytest.raises(AssessmentNotFound):
            call()
    assert service.list(owner="key-b") == []


def test_import_scores_a_complete_answer_set_without_prompting(service: AssessmentService) -> None:
    data = profile("well_prepared")
    result = service.import_answers(data["client"], data["answers"], owner="key-a")
    assert result.assessment.status == "finished"
    assert result.scores.confidence == 100
    assert service.list(owner="key-a")[0].answered == len(data["answers"])
    assert any(a.note == "CFO sponsor confirmed." for a in result.answers)


def test_import_accepts_free_text_skips_and_dont_knows(service: AssessmentService) -> None:
    answers = {"str_sponsor": "yes, mostly", "perf_kpis": {"status": "skipped"}, "str_core": "not sure"}
    imported = service.import_answers("Acme", answers, provisional=True)
    statuses = {a.question_id: a.status for a in imported.answers}
    assert statuses == {"str_sponsor": "answered", "perf_kpis": "skipped", "str_core": "dont_know"}


def test_import_with_an_invalid_answer_creates_nothing(service: AssessmentService) -> None:
    with pytest.raises(InvalidAnswer, match="str_objectives"):
        service.import_answers("Acme", {"str_sponsor": "yes", "str_objectives": 11})
    assert service.list() == []


def test_compare_gives_the_change_per_dimension_for_the_same_client(service: AssessmentService) -> None:
    before = service.import_answers("Acme", profile("unprepared")["answers"])
    after = service.import_answers("acme", profile("well_prepared")["answers"])
    comparison = service.compare(before.assessment.id, after.assessment.id)
    assert all(delta is not None and delta > 0 for delta in comparison.deltas.values())
    assert comparison.overall_delta is not None and comparison.overall_delta > 50


def test_compare_refuses_assessments_of_different_clients(service: AssessmentService) -> None:
    a = service.start("Acme")
    b = service.start("Globex")
    with pytest.raises(NotComparable, match="different clients"):
        service.compare(a.id, b.id)


def test_start_requires_a_client_and_a_known_mode(service: AssessmentService) -> None:
    with pytest.raises(ValueError, match="client"):
        service.start("  ")
    with pytest.raises(ValueError, match="self, consultant"):
        service.start("Acme", mode="robot")


def test_question_total_counts_what_applies_and_is_fixed_once_the_deciding_answers_are_in(
    service: AssessmentService,
) -> None:
    supervised, unsupervised = service.start("Bank"), service.start("Shop")
    for assessment, regulated in ((supervised, "financial"), (unsupervised, "none")):
        service.answer(assessment.id, "ctx_company_size", value=100)
        service.answer(assessment.id, "ctx_regulated", value=regulated)
        service.answer(assessment.id, "ppl_representation", value="none")
    first = service.next_question(supervised.id)
    assert first is not None and first.total == service.next_question(unsupervised.id).total + 4  # type: ignore[union-attr]
    service.answer(supervised.id, first.id, text="skip")
    following = service.next_question(supervised.id)
    assert following is not None and following.total == first.total
