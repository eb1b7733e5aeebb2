"""Readiness results on screen: an unscored or provisional result says what is missing, never "no risks"."""

from __future__ import annotations

import gradio as gr

from advisor.readiness.results import Result
from advisor.service import Advisor
from advisor.ui import results
from advisor.ui.interview import ReadinessTab

CLEAN = "No dimension scores low enough to flag a risk"


def _unscored(advisor: Advisor) -> Result:
    return advisor.assessments.finish(advisor.assessments.start("Acme").id, provisional=True)


def _provisional(advisor: Advisor) -> Result:
    return advisor.assessments.import_answers(
        "Acme", {"str_objectives": 4, "proc_documented": 4}, mode="self", provisional=True
    )


def test_an_unscored_result_shows_no_number_and_says_what_is_missing(advisor: Advisor) -> None:
    result = _unscored(advisor)
    card = results.score_card(result)
    assert "/100" not in card and "score-number" not in card
    assert "Not scored yet" in card and "no scored question has an answer yet" in card


def test_an_unscored_result_recommends_nothing_and_claims_no_absence_of_risk(advisor: Advisor) -> None:
    result = _unscored(advisor)
    text = results.recommendations_markdown(result)
    assert text.startswith("### Nothing to recommend yet") and CLEAN not in text
    assert results.summary_text(result).startswith("I cannot score your readiness yet.")
    assert not results.has_scores(result)


def test_a_provisional_result_names_the_open_questions_and_the_areas_without_answers(advisor: Advisor) -> None:
    result = _provisional(advisor)
    assert result.scores.provisional and result.scores.overall is not None
    text = results.missing_text(result)
    assert text.startswith(f"Provisional: {len(result.scores.missing)} questions still without an answer")
    assert "no answers yet for" in text and "Data security" in text
    assert text in results.score_card(result)


def test_a_provisional_result_never_says_there_are_no_risks(advisor: Advisor) -> None:
    result = _provisional(advisor)
    text = results.recommendations_markdown(result)
    assert CLEAN not in text
    if not result.recommendations.risks:
        assert "not a clean bill of health" in text


def test_dimensions_without_answers_read_no_answers_rather_than_a_dash(advisor: Advisor) -> None:
    assert "no answers" in results.dimension_bars(_provisional(advisor))


def test_the_results_panel_hides_the_empty_radar_of_an_unscored_assessment(advisor: Advisor) -> None:
    with gr.Blocks():
        tab = ReadinessTab(advisor, "secret")
    updates = tab.panel._results(_unscored(advisor))
    assert updates[tab.panel.radar]["visible"] is False
    assert updates[tab.panel.radar]["value"] is None


def test_question_counts_are_given_as_about_n_since_later_answers_can_add_questions(advisor: Advisor) -> None:
    with gr.Blocks():
        tab = ReadinessTab(advisor, "secret")
    aid = advisor.assessments.start("Acme").id
    updates = tab.panel.open(aid, "local")
    assert "question 1 of about" in updates[tab.panel.form.header]
    assert "0 of about" in updates[tab.panel.form.progress]
