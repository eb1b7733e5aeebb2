"""Scoring: which questions apply, per-question and per-dimension scores, overall score, band, confidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.readiness.conditions import holds
from advisor.readiness.questionnaire import Question, Questionnaire
from advisor.readiness.results import DimensionScore, KnockOutApplied, Response, Scores
from advisor.readiness.rules import Band, Rules


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


def missing_questions(questionnaire: Questionnaire, responses: Mapping[str, Response]) -> list[str]:
    """Ids of the questions that apply, are not optional and have no response (answer, skip or don't know)."""
    return [q.id for q in visible_questions(questionnaire, responses) if not q.optional and q.id not in responses]


def score(questionnaire: Questionnaire, rules: Rules, responses: Mapping[str, Response]) -> Scores:
    """Score every dimension, then the weighted overall score, band (capped by knock-outs) and confidence.

    An assessment with questions still missing is scored as provisional; callers decide whether to accept that.
    """
    visible = [q for q in visible_questions(questionnaire, responses) if q.scored]
    # A dimension none of whose questions apply (the regulated module for an unsupervised firm) is left out.
    dimensions = [
        _dimension_score(questionnaire, rules, dim.id, [q for q in visible if q.dimension == dim.id], responses)
        for dim in questionnaire.dimensions
        if any(q.dimension == dim.id for q in visible)
    ]
    scored = [d for d in dimensions if d.score is not None]
    weight = sum(d.weight for d in scored)
    overall = round(sum(d.score * d.weight for d in scored if d.score is not None) / weight, 1) if scored else None
    score_band = rules.band(overall) if overall is not None else None
    knockouts = _knockouts(rules, answered_values(responses), {d.id: d.score for d in dimensions})
    band = _capped(rules, score_band, knockouts)
    missing = missing_questions(questionnaire, responses)
    label = band.label if band else None
    return Scores(
        dimensions=dimensions,
        overall=overall,
        band=band.id if band else None,
        band_label=f"{label} (provisional)" if label and missing else label,
        band_summary=band.summary if band else "",
        confidence=_confidence(rules, visible, responses),
        score_band=score_band.id if score_band else None,
        score_band_label=score_band.label if score_band else None,
        knockouts=knockouts,
        provisional=bool(missing),
        missing=missing,
    )


def _knockouts(
    rules: Rules, answers: Mapping[str, Any], dimension_scores: Mapping[str, float | None]
) -> list[KnockOutApplied]:
    applied = []
    for rule in rules.knockouts:
        if not holds(rule.when, answers, dimension_scores):
            continue
        dim_score = dimension_scores.get(rule.when.dimension or "")
        cap = rules.band_by_id(rule.cap)
        applied.append(
            KnockOutApplied(
                id=rule.id,
                title=rule.title,
                reason=rule.why.replace("{score}", f"{dim_score:.0f}" if dim_score is not None else "-"),
                cap=cap.id,
                cap_label=cap.label,
            )
        )
    return applied


def _capped(rules: Rules, band: Band | None, knockouts: list[KnockOutApplied]) -> Band | None:
    # The band is the lowest of the score's band and every knock-out's cap.
    if band is None:
        return None
    caps = [rules.band_by_id(k.cap) for k in knockouts]
    return min([band, *caps], key=lambda b: b.min)


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
