"""Scoring arithmetic, skip logic, and how "don't know" differs from a skip."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.readiness.questionnaire import Questionnaire, load_questionnaire
from advisor.readiness.results import Response
from advisor.readiness.rules import load_rules
from advisor.readiness.scoring import score, visible_questions

RULES = load_rules(load_questionnaire())

SMALL = Questionnaire.model_validate(
    {
        "dimensions": [{"id": "a", "name": "A", "weight": 1}, {"id": "b", "name": "B", "weight": 3}],
        "questions": [
            {"id": "q1", "text": "Scale question?", "help": "Because.", "type": "scale", "dimension": "a",
             "weight": 2, "anchors": {1: "low", 5: "high"}},
            {"id": "q2", "text": "Yes or no?", "help": "Because.", "type": "yes_partly_no", "dimension": "a"},
            {"id": "q3", "text": "Pick some?", "help": "Because.", "type": "multi", "dimension": "b",
             "options": [{"value": "x", "label": "X", "score": 60}, {"value": "y", "label": "Y", "score": 60},
                         {"value": "z", "label": "Z", "score": 10}]},
            {"id": "q4", "text": "Only after yes?", "help": "Because.", "type": "single", "dimension": "b",
             "condition": {"question": "q2", "equals": "yes"},
             "options": [{"value": "p", "label": "P", "score": 100}, {"value": "r", "label": "R", "score": 0}]},
            {"id": "q5", "text": "How many?", "help": "Because.", "type": "number"},
        ],
    }
)  # fmt: skip


def _responses(**replies: Any) -> dict[str, Response]:
    out = {}
    for qid, reply in replies.items():
        status = reply if reply in ("skipped", "dont_know") else "answered"
        out[qid] = Response(question_id=qid, status=status, value=None if status != "answered" else reply)
    return out


def _dimension(result: Any, dimension_id: str) -> Any:
    return next(d for d in result.dimensions if d.id == dimension_id)


def test_scale_maps_1_to_5_onto_0_to_100_and_weights_average_within_a_dimension() -> None:
    result = score(SMALL, RULES, _responses(q1=4, q2="partly"))
    assert _dimension(result, "a").score == pytest.approx((75 * 2 + 50 * 1) / 3, abs=0.05)


def test_multiple_choice_sums_option_scores_capped_at_100() -> None:
    assert _dimension(score(SMALL, RULES, _responses(q3=["x", "z"])), "b").score == 70
    assert _dimension(score(SMALL, RULES, _responses(q3=["x", "y", "z"])), "b").score == 100


def test_overall_is_the_dimension_weighted_mean() -> None:
    result = score(SMALL, RULES, _responses(q1=5, q2="yes", q3=["z"], q4="r"))
    assert _dimension(result, "a").score == 100
    assert _dimension(result, "b").score == 5
    assert result.overall == pytest.approx((100 * 1 + 5 * 3) / 4, abs=0.1)
    assert result.band == "not_ready"


def test_dimension_without_answers_has_no_score_and_is_left_out_of_overall() -> None:
    result = score(SMALL, RULES, _responses(q1=5))
    assert _dimension(result, "b").score is None
    assert result.overall == 100


def test_nothing_answered_gives_no_overall_score_or_band() -> None:
    result = score(SMALL, RULES, {})
    assert (result.overall, result.band, result.confidence) == (None, None, 0)


def test_question_with_unmet_condition_is_hidden_and_its_answer_ignored() -> None:
    replies = _responses(q2="no", q4="p")
    assert "q4" not in [q.id for q in visible_questions(SMALL, replies)]
    assert _dimension(score(SMALL, RULES, replies), "b").score is None


def test_question_with_met_condition_is_shown_after_its_trigger() -> None:
    ids = [q.id for q in visible_questions(SMALL, _responses(q2="yes"))]
    assert ids == ["q1", "q2", "q3", "q4", "q5"]


def test_packaged_skip_logic_asks_about_regulations_only_for_personal_or_regulated_data() -> None:
    questionnaire = load_questionnaire()
    low = [q.id for q in visible_questions(questionnaire, _responses(ctx_data_sensitivity="low"))]
    regulated = [q.id for q in visible_questions(questionnaire, _responses(ctx_data_sensitivity="regulated"))]
    assert "ctx_regulations" not in low and "sec_transfers" not in low
    assert "ctx_regulations" in regulated and "sec_transfers" in regulated


def test_dont_know_scores_as_a_gap_and_counts_half_for_confidence() -> None:
    result = score(SMALL, RULES, _responses(q1="dont_know", q2="yes"))
    a = _dimension(result, "a")
    assert a.score == pytest.approx((RULES.scoring.dont_know_score * 2 + 100) / 3, abs=0.05)
    assert a.dont_know == 1
    assert a.confidence == pytest.approx(100 * (2 * 0.5 + 1) / 3, abs=0.05)


def test_skip_counts_neither_in_score_nor_in_confidence() -> None:
    result = score(SMALL, RULES, _responses(q1="skipped", q2="yes"))
    a = _dimension(result, "a")
    assert a.score == 100
    assert a.skipped == 1
    assert a.confidence == pytest.approx(100 / 3, abs=0.05)


@pytest.mark.parametrize(
    ("value", "band"), [(0, "not_ready"), (39.9, "not_ready"), (40, "emerging"), (60, "ready_with_gaps"), (80, "ready")]
)
def test_band_boundaries_follow_the_rules_file(value: float, band: str) -> None:
    assert RULES.band(value).id == band


def _full(**changes: Any) -> dict[str, Response]:
    # Every packaged question that applies answered at its best, then the changes.
    questionnaire = load_questionnaire()
    best: dict[str, Any] = {}
    for q in questionnaire.questions:
        if q.type == "scale":
            best[q.id] = 5
        elif q.type in ("single", "yes_partly_no"):
            best[q.id] = max(q.options, key=lambda o: o.score or 0).value
        elif q.type == "multi":
            best[q.id] = [q.options[0].value]
        elif q.type == "number":
            best[q.id] = 100
    best.update(changes)
    return {qid: Response(question_id=qid, status="answered", value=v) for qid, v in best.items()}


def test_a_dimension_below_its_floor_caps_the_overall_band_however_high_the_average() -> None:
    questionnaire = load_questionnaire()
    low_people = _full(ppl_communication="no", ppl_impact="undecided", ppl_labour_law="no")
    result = score(questionnaire, RULES, low_people)
    assert _dimension(result, "people").score is not None and _dimension(result, "people").score < 40
    assert result.overall is not None and result.overall >= 80
    assert (result.score_band, result.band) == ("ready", "emerging")
    assert [k.id for k in result.knockouts] == ["floor_people"]


def test_a_dimension_at_its_floor_is_no_knock_out() -> None:
    changes = {
        "ppl_communication": "partly",
        "ppl_impact": "mixed",
        "ppl_labour_law": "partly",
        "ppl_key_person": "heavily",
        "ppl_retained": "no",
    }
    result = score(load_questionnaire(), RULES, _full(**changes))
    assert _dimension(result, "people").score == 40 and result.knockouts == [] and result.band == "ready"


def test_a_complete_assessment_is_not_provisional_and_a_gap_makes_it_so() -> None:
    questionnaire = load_questionnaire()
    complete = score(questionnaire, RULES, _full())
    assert not complete.provisional and complete.missing == [] and complete.band_label == "Ready"
    partial = _full()
    del partial["gov_exit_plan"], partial["ctx_savings_target"]
    provisional = score(questionnaire, RULES, partial)
    assert provisional.provisional and provisional.missing == ["gov_exit_plan"]  # the savings target is optional
    assert provisional.band_label == "Ready (provisional)"
