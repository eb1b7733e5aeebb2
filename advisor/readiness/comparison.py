"""Two results of one client side by side: score changes, answers that changed, risks closed and opened."""

from __future__ import annotations

from advisor.readiness.results import AnswerChange, Comparison, Response, Result

_NONE = "(none)"


def compare_results(before: Result, after: Result) -> Comparison:
    """The comparison of an earlier and a later result (both already scored)."""
    a, b = before.scores.by_id(), after.scores.by_id()
    risks_before = {r.id: r for r in before.recommendations.risks}
    risks_after = {r.id: r for r in after.recommendations.risks}
    return Comparison(
        client=after.assessment.client,
        before=before,
        after=after,
        deltas={k: delta(a[k], b.get(k)) for k in a},
        overall_delta=delta(before.scores.overall, after.scores.overall),
        changes=changed_answers(before.answers, after.answers),
        risks_closed=[r for k, r in risks_before.items() if k not in risks_after],
        risks_opened=[r for k, r in risks_after.items() if k not in risks_before],
        risks_open=[r for k, r in risks_after.items() if k in risks_before],
    )


def changed_answers(before: list[Response], after: list[Response]) -> list[AnswerChange]:
    """Questions whose answer, status or note differs, in the later version's order (then those dropped)."""
    old = {r.question_id: r for r in before}
    new = {r.question_id: r for r in after}
    order = [*new, *(q for q in old if q not in new)]
    return [
        _change(old.get(q), new.get(q))
        for q in order
        if _shown(old.get(q)) != _shown(new.get(q)) or _note(old.get(q)) != _note(new.get(q))
    ]


def delta(before: float | None, after: float | None) -> float | None:
    """``after - before`` to one decimal, or None when either is missing."""
    return round(after - before, 1) if before is not None and after is not None else None


def _change(old: Response | None, new: Response | None) -> AnswerChange:
    either = new or old
    assert either is not None  # one of the two always exists
    with_notes = _note(old) != _note(new)
    return AnswerChange(
        question_id=either.question_id,
        question=either.question,
        dimension=either.dimension,
        before=_described(old, with_notes),
        after=_described(new, with_notes),
        before_text=old.raw_text if old else None,
        after_text=new.raw_text if new else None,
    )


def _shown(reply: Response | None) -> tuple[str, object] | None:
    return None if reply is None else (reply.status, reply.value)


def _note(reply: Response | None) -> str:
    return (reply.note or "") if reply else ""


def _described(reply: Response | None, with_note: bool) -> str:
    if reply is None:
        return _NONE
    return f"{reply.label} (note: {reply.note})" if reply.note and with_note else reply.label or _NONE
