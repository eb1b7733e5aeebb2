"""The front of a client report: the cover's facts and the executive summary (band, knock-outs, top actions)."""

from __future__ import annotations

from advisor.readiness.document import Block, Bullets, Heading, Paragraph
from advisor.readiness.results import Comparison, Result, Scores

TOP_ACTIONS = 3


def cover_facts(result: Result) -> list[tuple[str, str]]:
    """The labelled facts on the cover: client, consultant, date, assessment name and status."""
    a = result.assessment
    when = a.finished_at or a.updated_at
    facts = [("Client", a.client), ("Consultant", a.interviewer or "self-assessment")]
    facts += [("Date", f"{when.day} {when:%B %Y}"), ("Assessment", a.name)]
    if result.scores.provisional:
        facts.append(("Status", "PROVISIONAL: questions that apply are still unanswered"))
    return facts


def comparison_facts(comparison: Comparison) -> list[tuple[str, str]]:
    """The labelled facts on a comparison's cover: client, consultant, date, and the two versions by name."""
    before, after = comparison.before.assessment, comparison.after.assessment
    when = after.finished_at or after.updated_at
    return [
        ("Client", comparison.client),
        ("Consultant", after.interviewer or before.interviewer or "self-assessment"),
        ("Date", f"{when.day} {when:%B %Y}"),
        ("Before", before.name),
        ("After", after.name),
    ]


def executive_summary(result: Result) -> list[Block]:
    """The overall band and why, the knock-outs, the top three actions, confidence and the client's motivation."""
    scores = result.scores
    return [
        Heading("Executive summary"),
        *_provisional(scores),
        Paragraph(_overall(scores), lead="Overall readiness:"),
        *_knockouts(scores),
        Heading(f"Top {TOP_ACTIONS} actions", 3),
        Bullets(top_actions(result) or ["No action stands out: keep the current plan."], ordered=True),
        Paragraph(
            f'{scores.confidence:.0f}% of the applicable questions answered (weighted; a "don\'t know" counts half).',
            lead="Confidence:",
        ),
        *_motivation(result),
    ]


def top_actions(result: Result, count: int = TOP_ACTIONS) -> list[str]:
    """The first mitigation of each risk (weakest dimension first), then the roadmap's actions, without repeats."""
    recs = result.recommendations
    candidates = [r.mitigations[0] for r in recs.risks if r.mitigations]
    candidates += [action for phase in recs.roadmap for action in phase.actions]
    return list(dict.fromkeys(candidates))[:count]


def _overall(scores: Scores) -> str:
    text = f"{_num(scores.overall)} / 100, {scores.band_label or 'not scored'}."
    if scores.knockouts and scores.score_band != scores.band:
        text += f" The score alone would be {scores.score_band_label}; knock-outs cap the band (below)."
    return f"{text} {scores.band_summary}"


def _provisional(scores: Scores) -> list[Block]:
    if not scores.provisional:
        return []
    return [
        Paragraph(
            f"{len(scores.missing)} questions that apply have no answer yet ({', '.join(scores.missing)}). "
            "Scores, band and advice may change once they are answered.",
            lead="Provisional result:",
        )
    ]


def _knockouts(scores: Scores) -> list[Block]:
    if not scores.knockouts:
        return [Paragraph("none applied.", lead="Knock-outs:")]
    return [
        Paragraph("each caps the overall band however high the average.", lead="Knock-outs:"),
        Bullets([f"{k.title} (band capped at {k.cap_label}): {k.reason}" for k in scores.knockouts]),
    ]


def _motivation(result: Result) -> list[Block]:
    said = next((r for r in result.answers if r.question_id == "ctx_motivation" and r.status == "answered"), None)
    return [Paragraph(f"\u201c{said.label}\u201d", lead="Why now, in the client's words:")] if said else []


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"
