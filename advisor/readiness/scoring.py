"""Scoring: which questions apply, per-question and per-dimension scores, overall score, band, confidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.readiness.conditions import holds
from advisor.readiness.questionnaire import Question, Questionnaire
from advisor.readiness.results import DimensionScore, Response, Scores
from advisor.readiness.rules import Rules


def answered_values(responses: Mapping[str, Response]) -> dict[str, Any]:
    """The values of actual answers (not skips or "don't know"), keyed by question id."""
    return {qid: r.value for qid, r in responses.items() if r.status == "answered"}


def visible_questions(questionnaire: Questionnaire, responses: Mapping[str, Response]) -> list[Question]:
    """The questions that apply given the answers so far (skip logic), in interview order."""
    values = answered_values(responses)
    return [q for q in questionnaire.questions if q.condition is None or holds(q.condition, values)]


def question_score(question: Question, value: Any) -> float:
    """The 0-100 score of one answer to a scored question."""
    if question.type == "scale":
        return (int(value) - 1) * 25.0
    if question.type == "multi":
        return min(100.0, sum(_option_score(question, v) for v in value))
    return _option_score(question, value)


def score(questionnaire: Questionnaire, rules: Rules, responses: Mapping[str, Response]) -> Scores:
    """Score every dimension, then the weighted overall score, band and confidence."""
    visible = [q for q in visible_questions(questionnaire, responses) if q.scored]
    dimensions = [
        _dimension_score(questionnaire, rules, dim.id, [q for q in visible if q.dimension == dim.id], responses)
        for dim in questionnaire.dimensions
    ]
    scored = [d for d in dimensions if d.score is not None]
    weight = sum(d.weight for d in scored)
    overall = round(sum(d.score * d.weight for d in scored if d.score is not None) / weight, 1) if scored else None
    band = rules.band(overall) if overall is not None else None
    return Scores(
        dimensions=dimensions,
        overall=overall,
        band=band.id if band else None,
        band_label=band.label if band else None,
        band_summary=band.summary if band else "",
        confidence=_confidence(rules, visible, responses),
    )


def _dimension_score(
    questionnaire: Questionnaire,
    rules: Rules,
    dimension_id: str,
    questions: list[Question],
    responses: Mapping[str, Response],
) -> DimensionScore:
    weighted: list[tuple[float, float]] = []
    counts = {"answered": 0, "dont_know": 0, "skipped": 0}
    for q in questions:
        reply = responses.get(q.id)
        if reply is None:
            continue
        counts[reply.status] += 1
        if reply.status == "answered":
            weighted.append((question_score(q, reply.value), q.weight))
        elif reply.status == "dont_know":
            weighted.append((rules.scoring.dont_know_score, q.weight))
    total = sum(w for _, w in weighted)
    value = round(sum(s * w for s, w in weighted) / total, 1) if total else None
    band = rules.band(value) if value is not None else None
    dimension = questionnaire.dimension(dimension_id)
    return DimensionScore(
        id=dimension.id,
        name=dimension.name,
        weight=dimension.weight,
        score=value,
        band=band.id if band else None,
        band_label=band.label if band else None,
        questions=len(questions),
        confidence=_confidence(rules, questions, responses),
        **counts,
    )


def _confidence(rules: Rules, questions: list[Question], responses: Mapping[str, Response]) -> float:
    # Answers count fully, "don't know" partly, skips and unanswered questions not at all.
    total = sum(q.weight for q in questions)
    if not total:
        return 0.0
    credit = {"answered": 1.0, "dont_know": rules.scoring.dont_know_confidence, "skipped": 0.0}
    got = sum(q.weight * credit[responses[q.id].status] for q in questions if q.id in responses)
    return round(100 * got / total, 1)


def _option_score(question: Question, value: Any) -> float:
    option = question.option(str(value))
    return option.score if option and option.score is not None else 0.0
