"""The interview in a terminal: ask each question, read free-text replies, support back/skip/notes/quit."""

from __future__ import annotations

from collections.abc import Callable

from advisor.readiness.errors import AskBack, InvalidAnswer
from advisor.readiness.results import Comparison, QuestionView, Result
from advisor.readiness.service import AssessmentService

Ask = Callable[[str], str]
Say = Callable[[str], None]

HELP = (
    "Answer in your own words (e.g. 'yes, mostly', 'about 200', '4 out of 5').\n"
    "Commands: ? why we ask | back | skip | don't know | note TEXT (on your last answer) | quit (resume later)"
)


def run_interview(
    service: AssessmentService, assessment_id: str, owner: str, ask: Ask = input, say: Say = print
) -> int:
    """Run (or resume) an interview until every question is done or the user quits; returns an exit code."""
    summary = service.get(assessment_id, owner)
    say(f"Readiness interview for {summary.client} (id {summary.id}). {HELP}")
    last: str | None = None
    question = service.next_question(assessment_id, owner)
    while question is not None:
        _show(question, say)
        try:
            reply = ask("> ").strip()
        except EOFError:
            reply = "quit"
        command = reply.lower()
        if command in ("quit", "q", "exit"):
            say(f"Saved. Resume with: advisor interview --resume {assessment_id}")
            return 0
        if command in ("?", "help", "why"):
            say(f"Why we ask: {question.help}\n{HELP}")
            continue
        if command in ("back", "b"):
            question = service.back(assessment_id, owner) or question
            continue
        if command.startswith("note"):
            say(_note(service, assessment_id, owner, last, reply[4:].lstrip(" :")))
            continue
        try:
            stored = service.answer(assessment_id, question.id, text=reply, owner=owner)
        except AskBack as unclear:
            say(unclear.prompt)
            continue
        except InvalidAnswer as exc:
            say(f"Sorry, {exc}")
            continue
        say(f"  {stored.reading}. (Say 'back' to correct it.)")
        last = stored.question_id
        question = service.next_question(assessment_id, owner)
    done = summary.status == "finished"
    say(summarise(service.result(assessment_id, owner) if done else service.finish(assessment_id, owner)))
    return 0


def summarise(result: Result) -> str:
    """A short text summary of a result for the terminal."""
    scores, recs = result.scores, result.recommendations
    overall = "not scored" if scores.overall is None else f"{scores.overall:.0f}/100"
    lines = [
        f"\n{result.assessment.name} (id {result.assessment.id}): {overall}, "
        f"{scores.band_label or '-'} (confidence {scores.confidence:.0f}%)",
        *(f"  Knock-out: {k.title}, band capped at {k.cap_label}. {k.reason}" for k in scores.knockouts),
        *([f"  Provisional: {len(scores.missing)} questions that apply are unanswered."] if scores.provisional else []),
        *(f"  {d.name}: {'-' if d.score is None else f'{d.score:.0f}'}" for d in scores.dimensions),
        f"Location model: {recs.location.name}. First candidates: {', '.join(c.name for c in recs.first_candidates)}.",
        f"Risks: {', '.join(r.title for r in recs.risks) or 'none flagged'}.",
        f"Full report: advisor interview --resume {result.assessment.id} --report report.html",
    ]
    return "\n".join(lines)


def describe_comparison(comparison: Comparison) -> str:
    """What changed between two versions, for the terminal: scores, answers, risks closed and opened."""
    before, after = comparison.before, comparison.after
    lines = [f"{before.assessment.name} -> {after.assessment.name}", "Scores (before -> after):"]
    for old, new in zip(before.scores.dimensions, after.scores.dimensions, strict=True):
        lines.append(f"  {new.name}: {_num(old.score)} -> {_num(new.score)}")
    lines.append(
        f"  Overall: {_num(before.scores.overall)} -> {_num(after.scores.overall)}, "
        f"{before.scores.band_label or '-'} -> {after.scores.band_label or '-'}"
    )
    lines.append(f"Answers changed: {len(comparison.changes) or 'none'}")
    lines += [f"  {c.question}: {c.before} -> {c.after}" for c in comparison.changes]
    lines.append(f"Risks closed: {', '.join(r.title for r in comparison.risks_closed) or 'none'}")
    lines.append(f"Risks opened: {', '.join(r.title for r in comparison.risks_opened) or 'none'}")
    lines.append(f"Risks still open: {', '.join(r.title for r in comparison.risks_open) or 'none'}")
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _show(question: QuestionView, say: Say) -> None:
    say(f"\n[{question.position}/{question.total}] {question.dimension_name or 'About you'}")
    say(question.text)
    if question.anchors:
        say("  " + " | ".join(f"{k} = {v}" for k, v in sorted(question.anchors.items())))
    for option in question.options:
        say(f"  - {option.label}")
    if question.type == "multi":
        say("  (name one or more)")
    if question.previous is not None:
        say(f"  (previous answer: {question.previous.label})")


def _note(service: AssessmentService, assessment_id: str, owner: str, last: str | None, text: str) -> str:
    if last is None or not text:
        return "Usage: note TEXT, after answering a question."
    service.note(assessment_id, last, text, owner)
    return "Note saved."
