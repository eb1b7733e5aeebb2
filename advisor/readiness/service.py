"""The assessments service: interviews, persistence, scoring, recommendations, reports and comparisons."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from advisor.readiness.answers import allowed, label
from advisor.readiness.comparison import compare_results
from advisor.readiness.errors import (
    IncompleteAssessment,
    InvalidAnswer,
    InvalidAnswers,
    NotComparable,
    StatusConflict,
)
from advisor.readiness.parsing import describe, read_answer, read_entry
from advisor.readiness.questionnaire import Question, Questionnaire, load_questionnaire
from advisor.readiness.recommendations import Recommender, Searcher
from advisor.readiness.results import (
    AssessmentSummary,
    Comparison,
    OptionView,
    Progress,
    QuestionView,
    Response,
    Result,
    Status,
)
from advisor.readiness.rules import Rules, load_rules
from advisor.readiness.scoring import answered_values, missing_questions, score, visible_questions
from advisor.readiness.store import AssessmentStore

if TYPE_CHECKING:
    from pathlib import Path

    from advisor.settings import Settings

_MODES = ("self", "consultant")


class AssessmentService:
    """Runs readiness assessments; every operation is scoped to an owner (API key id or "local")."""

    def __init__(
        self,
        engine: Engine,
        questionnaire: Questionnaire,
        rules: Rules,
        searcher: Searcher,
        knowledge_dir: Path | None = None,
    ) -> None:
        self.store = AssessmentStore(engine)
        self.questionnaire = questionnaire
        self.rules = rules
        self.recommender = Recommender(rules, searcher, knowledge_dir, questionnaire)

    @classmethod
    def from_settings(cls, settings: Settings, engine: Engine, searcher: Searcher) -> AssessmentService:
        """Build the service with the packaged questionnaire and rules; citations must resolve to files."""
        questionnaire = load_questionnaire()
        return cls(engine, questionnaire, load_rules(questionnaire), searcher, settings.knowledge_dir)

    def start(
        self, client: str, interviewer: str | None = None, mode: str = "self", owner: str = "local"
    ) -> AssessmentSummary:
        """Start an assessment for a client."""
        if not client or not client.strip():
            raise ValueError("client: a client name is required")
        if mode not in _MODES:
            raise ValueError(f"mode: {mode!r} is not allowed; use one of {', '.join(_MODES)}")
        return self.store.create(owner, client.strip(), interviewer, mode, self.questionnaire.version)

    def get(self, assessment_id: str, owner: str = "local") -> AssessmentSummary:
        """One assessment's summary."""
        return self.store.summary(assessment_id, owner)

    def list(self, owner: str = "local", client: str | None = None) -> list[AssessmentSummary]:
        """The owner's assessments, newest first, optionally filtered by part of the client name."""
        return self.store.list(owner, client)

    def responses(self, assessment_id: str, owner: str = "local") -> builtins.list[Response]:
        """The stored responses to questions that apply, in questionnaire order, with labels and notes."""
        stored = self.store.responses(assessment_id, owner)
        return [
            self._decorate(q, stored[q.id]) for q in visible_questions(self.questionnaire, stored) if q.id in stored
        ]

    def next_question(self, assessment_id: str, owner: str = "local") -> QuestionView | None:
        """The first question that applies and has no response yet (with any withdrawn one); None when done."""
        stored = self.store.responses(assessment_id, owner)
        visible = visible_questions(self.questionnaire, stored)
        pending = next((q for q in visible if q.id not in stored), None)
        if pending is None:
            return None
        withdrawn = self.store.responses(assessment_id, owner, withdrawn=True).get(pending.id)
        return self._view(pending, visible, self._decorate(pending, withdrawn) if withdrawn else None)

    def question(self, assessment_id: str, question_id: str, owner: str = "local") -> QuestionView:
        """One question as it applies to this assessment, with any stored response."""
        stored = self.store.responses(assessment_id, owner)
        question = self._question(question_id)
        previous = self._decorate(question, stored[question_id]) if question_id in stored else None
        return self._view(question, visible_questions(self.questionnaire, stored), previous)

    def answer(
        self,
        assessment_id: str,
        question_id: str,
        value: Any = None,
        text: str | None = None,
        note: str | None = None,
        owner: str = "local",
    ) -> Response:
        """Validate and store an answer (a typed ``value`` or a free-text reply in ``text``) at once."""
        self._check_open(assessment_id, owner)
        question = self._applicable(assessment_id, question_id, owner)
        if value is None and text is None:
            raise InvalidAnswer(f"{question_id}: no answer given; expected {allowed(question)}")
        status, parsed, words = read_answer(question, value, text)
        reply = Response(question_id=question_id, status=status, value=parsed, note=note, raw_text=words)
        self.store.save(assessment_id, owner, reply)
        return self._decorate(question, reply)

    def skip(self, assessment_id: str, question_id: str, note: str | None = None, owner: str = "local") -> Response:
        """Skip a question: it counts neither in scores nor in confidence."""
        return self._mark(assessment_id, question_id, "skipped", note, owner)

    def dont_know(
        self, assessment_id: str, question_id: str, note: str | None = None, owner: str = "local"
    ) -> Response:
        """Answer "don't know": scored low (a gap) and counted as part of an answer for confidence."""
        return self._mark(assessment_id, question_id, "dont_know", note, owner)

    def note(self, assessment_id: str, question_id: str, note: str, owner: str = "local") -> Response:
        """Attach a note to an existing response."""
        self._check_open(assessment_id, owner)
        question = self._question(question_id)
        if not self.store.set_note(assessment_id, owner, question_id, note):
            raise InvalidAnswer(f"{question_id}: answer the question before adding a note")
        return self._decorate(question, self.store.responses(assessment_id, owner)[question_id])

    def back(self, assessment_id: str, owner: str = "local") -> QuestionView | None:
        """Withdraw the most recent response and return its question to ask again (showing that response).

        The withdrawn answer and its note are kept: answering again keeps the note unless a new one is given.
        """
        self._check_open(assessment_id, owner)
        withdrawn = self.store.withdraw_last(assessment_id, owner)
        question = self.questionnaire.question(withdrawn.question_id) if withdrawn else None
        if withdrawn is None or question is None:
            return None
        stored = self.store.responses(assessment_id, owner)
        visible = visible_questions(self.questionnaire, {**stored, withdrawn.question_id: withdrawn})
        return self._view(question, visible, self._decorate(question, withdrawn))

    def progress(self, assessment_id: str, owner: str = "local") -> Progress:
        """Counts of answered, "don't know", skipped and remaining questions among those that apply."""
        summary = self.store.summary(assessment_id, owner)
        stored = self.store.responses(assessment_id, owner)
        visible = visible_questions(self.questionnaire, stored)
        statuses = [stored[q.id].status for q in visible if q.id in stored]
        total = len(visible)
        return Progress(
            answered=statuses.count("answered"),
            dont_know=statuses.count("dont_know"),
            skipped=statuses.count("skipped"),
            remaining=total - len(statuses),
            total=total,
            percent=round(100 * len(statuses) / total, 1) if total else 100.0,
            finished=summary.status == "finished",
        )

    def finish(self, assessment_id: str, owner: str = "local", provisional: bool = False) -> Result:
        """Mark the assessment finished and return its result.

        An assessment with questions still unanswered is refused (IncompleteAssessment) unless ``provisional``;
        one already finished is refused (StatusConflict).
        """
        self._check_open(assessment_id, owner)
        self._check_complete(assessment_id, owner, provisional)
        self.store.set_status(assessment_id, owner, "finished")
        return self.result(assessment_id, owner, provisional)

    def result(self, assessment_id: str, owner: str = "local", provisional: bool = False) -> Result:
        """Scores, band, knock-outs, confidence and recommendations with citations, plus the answers.

        Incomplete assessments raise IncompleteAssessment unless ``provisional``; then they are labelled so.
        """
        summary = self.store.summary(assessment_id, owner)
        stored = self.store.responses(assessment_id, owner)
        scores = score(self.questionnaire, self.rules, stored)
        if scores.missing and not provisional:
            raise IncompleteAssessment(scores.missing)
        return Result(
            assessment=summary,
            scores=scores,
            recommendations=self.recommender.recommend(scores, answered_values(stored)),
            answers=self.responses(assessment_id, owner),
        )

    def report(
        self,
        assessment_id: str,
        fmt: str = "json",
        owner: str = "local",
        provisional: bool = False,
        chart_href: str | None = None,
        logo: bytes | None = None,
    ) -> bytes:
        """The report as JSON, Markdown, self-contained HTML or PDF bytes (incomplete: only if ``provisional``).

        Markdown links the radar chart as ``chart_href`` (write ``chart()`` there); ``logo`` goes on the cover.
        """
        from advisor.readiness import report as reports  # matplotlib and fpdf load only when reporting

        return reports.render(self.result(assessment_id, owner, provisional), fmt, chart_href, logo)

    def chart(self, assessment_id: str, owner: str = "local", provisional: bool = False) -> bytes:
        """The report's radar chart as PNG bytes."""
        from advisor.readiness import report as reports

        return reports.radar(self.result(assessment_id, owner, provisional))

    def compare(self, id_a: str, id_b: str, owner: str = "local", provisional: bool = False) -> Comparison:
        """Compare two assessments of the same client (before, after): scores, changed answers, risks closed/opened.

        Incomplete ones are compared only if ``provisional``.
        """
        first, second = self.get(id_a, owner), self.get(id_b, owner)
        if first.client.casefold() != second.client.casefold():
            raise NotComparable(
                f"{first.name} and {second.name} are for different clients; compare two versions of one client"
            )
        return compare_results(self.result(id_a, owner, provisional), self.result(id_b, owner, provisional))

    def compare_report(
        self,
        id_a: str,
        id_b: str,
        fmt: str = "json",
        owner: str = "local",
        provisional: bool = False,
        chart_href: str | None = None,
    ) -> bytes:
        """The comparison as JSON, Markdown, HTML or PDF, with both shapes on one radar chart (see ``report``)."""
        from advisor.readiness import report as reports

        return reports.render_comparison(self.compare(id_a, id_b, owner, provisional), fmt, chart_href)

    def compare_chart(self, id_a: str, id_b: str, owner: str = "local", provisional: bool = False) -> bytes:
        """The comparison's radar chart (both shapes) as PNG bytes."""
        from advisor.readiness import report as reports

        return reports.comparison_radar(self.compare(id_a, id_b, owner, provisional))

    def reopen(self, assessment_id: str, owner: str = "local") -> AssessmentSummary:
        """Open a finished assessment again as the client's next version, in progress, with its answers and notes.

        The finished version stays as it was, so the two can be compared.
        """
        source = self.get(assessment_id, owner)
        if source.status != "finished":
            raise StatusConflict(f"{source.name} is still in progress; change its answers directly or finish it")
        return self._copy(source, source.client, owner)

    def clone(self, assessment_id: str, owner: str = "local", client: str | None = None) -> AssessmentSummary:
        """Copy an assessment's answers and notes into a new one in progress (for the same client or ``client``)."""
        source = self.get(assessment_id, owner)
        return self._copy(source, (client or "").strip() or source.client, owner)

    def revise(
        self, assessment_id: str, answers: dict[str, Any], owner: str = "local", provisional: bool = False
    ) -> Result:
        """Apply changed answers to an assessment in progress (every problem raised at once), then finish it."""
        self._check_open(assessment_id, owner)
        replies, problems = self._read_entries(answers)
        if problems:
            raise InvalidAnswers(problems)
        self.store.save(assessment_id, owner, *replies)
        return self.finish(assessment_id, owner, provisional)

    def import_answers(
        self,
        client: str,
        answers: dict[str, Any],
        owner: str = "local",
        interviewer: str | None = None,
        mode: str = "consultant",
        provisional: bool = False,
    ) -> Result:
        """Validate a set of answers, store it as a finished assessment and return its result.

        Every problem is collected and raised at once (InvalidAnswers) before anything is stored: unknown
        questions, invalid values and (unless ``provisional``) questions that apply but have no entry.
        """
        replies, problems = self._read_entries(answers)
        # A question with an invalid entry is already reported; do not call it missing too.
        missing = [
            q for q in missing_questions(self.questionnaire, {r.question_id: r for r in replies}) if q not in answers
        ]
        if missing and not provisional:
            problems.append(
                f"missing: {len(missing)} question{'s' if len(missing) != 1 else ''} that apply have no entry "
                f'({", ".join(missing)}); answer them, give {{"status": "skipped"}} or '
                '{"status": "dont_know"}, or score a provisional result (--provisional)'
            )
        if problems:
            raise InvalidAnswers(problems)
        summary = self.start(client, interviewer, mode, owner)
        self.store.save(summary.id, owner, *replies)
        return self.finish(summary.id, owner, provisional)

    def _read_entries(self, answers: dict[str, Any]) -> tuple[builtins.list[Response], builtins.list[str]]:
        replies: builtins.list[Response] = []
        problems: builtins.list[str] = []
        for qid, entry in answers.items():
            try:
                replies.append(read_entry(self._question(qid), entry))
            except InvalidAnswer as exc:  # an unknown question or an invalid value
                problems.append(str(exc))
        return replies, problems

    def _copy(self, source: AssessmentSummary, client: str, owner: str) -> AssessmentSummary:
        copy = self.store.create(
            owner, client, source.interviewer, source.mode, self.questionnaire.version, parent_id=source.id
        )
        self.store.copy_responses(source.id, copy.id, owner)
        return self.get(copy.id, owner)

    def _check_open(self, assessment_id: str, owner: str) -> None:
        summary = self.store.summary(assessment_id, owner)
        if summary.status == "finished":
            raise StatusConflict(
                f"{summary.name} is finished; reopen it as a new version to change its answers "
                f"(advisor reopen {summary.id}, or POST /v1/assessments/{summary.id}/reopen)"
            )

    def _check_complete(self, assessment_id: str, owner: str, provisional: bool) -> None:
        missing = missing_questions(self.questionnaire, self.store.responses(assessment_id, owner))
        if missing and not provisional:
            raise IncompleteAssessment(missing)

    def _mark(self, assessment_id: str, question_id: str, status: Status, note: str | None, owner: str) -> Response:
        self._check_open(assessment_id, owner)
        question = self._applicable(assessment_id, question_id, owner)
        reply = Response(question_id=question_id, status=status, note=note)
        self.store.save(assessment_id, owner, reply)
        return self._decorate(question, reply)

    def _applicable(self, assessment_id: str, question_id: str, owner: str) -> Question:
        stored = self.store.responses(assessment_id, owner)
        question = self._question(question_id)
        if question not in visible_questions(self.questionnaire, stored):
            raise InvalidAnswer(f"{question_id}: this question does not apply given the earlier answers")
        return question

    def _question(self, question_id: str) -> Question:
        question = self.questionnaire.question(question_id)
        if question is None:
            raise InvalidAnswer(f"unknown question {question_id!r}")
        return question

    def _decorate(self, question: Question, reply: Response) -> Response:
        shown = label(question, reply.value) if reply.status == "answered" else _STATUS_LABELS[reply.status]
        reading = _reading(question, reply) if reply.raw_text else ""
        return reply.model_copy(
            update={"question": question.text, "dimension": question.dimension, "label": shown, "reading": reading}
        )

    def _view(
        self, question: Question, visible: builtins.list[Question], previous: Response | None = None
    ) -> QuestionView:
        ids = [q.id for q in visible]
        return QuestionView(
            id=question.id,
            text=question.text,
            help=question.help,
            type=question.type,
            dimension=question.dimension,
            dimension_name=self.questionnaire.dimension(question.dimension).name if question.dimension else None,
            options=[OptionView(value=o.value, label=o.label, score=o.score) for o in question.options],
            anchors=question.anchors,
            unit=question.unit,
            allowed=allowed(question),
            position=ids.index(question.id) + 1 if question.id in ids else len(ids),
            total=len(ids),
            previous=previous,
        )


_STATUS_LABELS = {"skipped": "(skipped)", "dont_know": "Don't know", "answered": ""}


def _reading(question: Question, reply: Response) -> str:
    return describe(question, reply.value) if reply.status == "answered" else f"Read as: {_STATUS_LABELS[reply.status]}"
