"""The interview panel: one question at a time, back / skip / don't know, then results and report downloads."""

from __future__ import annotations

from typing import Any

import gradio as gr

from advisor.readiness.results import QuestionView, Result
from advisor.readiness.scoring import visible_questions
from advisor.service import Advisor
from advisor.ui import results
from advisor.ui.errors import Notice, in_place, notice_slot
from advisor.ui.question_form import QuestionForm, value_for
from advisor.ui.sessions import request_owner


class InterviewPanel:
    """Runs one assessment in the page; used by the self-serve tab and the consultant workspace."""

    def __init__(self, advisor: Advisor, prefix: str, notes: bool = False) -> None:
        self.advisor = advisor
        self.prefix = prefix
        self.assessment_id = gr.State(None)
        self.current = gr.State(None)
        self.title = gr.Markdown(elem_id=f"{prefix}-title")
        self.notice = notice_slot(f"{prefix}-notice")
        with gr.Column(visible=False, elem_classes="panel") as self.question_box:
            self.form = QuestionForm.build(prefix)
            self.note = gr.Textbox(
                label="Interviewer's note (optional)", lines=2, visible=notes, elem_id=f"{prefix}-note"
            )
            with gr.Row(elem_classes="interview-buttons"):
                self.back = gr.Button("← Back", size="md", elem_id=f"{prefix}-back")
                self.skip = gr.Button("Skip", size="md", elem_id=f"{prefix}-skip")
                self.dont_know = gr.Button("Don't know", size="md", elem_id=f"{prefix}-dont-know")
                self.next = gr.Button("Next →", variant="primary", size="md", elem_id=f"{prefix}-next")
            self.finish = gr.Button(
                "Finish now and see results", size="sm", variant="secondary", elem_id=f"{prefix}-finish"
            )
        with gr.Column(visible=False, elem_classes="panel") as self.result_box:
            self.card = gr.HTML(elem_id=f"{prefix}-score")
            with gr.Row(equal_height=False, elem_classes="result-row"):
                self.radar = gr.Image(
                    label="Readiness by dimension",
                    type="filepath",
                    interactive=False,
                    show_label=False,
                    elem_id=f"{prefix}-radar",
                    buttons=["download", "fullscreen"],
                    scale=1,
                    min_width=280,
                )
                self.dims = gr.HTML(elem_id=f"{prefix}-dims")
            self.recommendations = gr.Markdown(elem_id=f"{prefix}-recommendations")
            with gr.Row():
                self.downloads = {
                    fmt: gr.DownloadButton(
                        f"Download {name}",
                        elem_id=f"{prefix}-download-{fmt}",
                        size="md",
                        variant="primary" if fmt == "pdf" else "secondary",
                    )
                    for fmt, name in results.FORMATS.items()
                }
        self._wire()

    @property
    def outputs(self) -> list[Any]:
        """Every component `open` may update."""
        return [
            self.assessment_id,
            self.current,
            self.title,
            self.question_box,
            self.result_box,
            self.note,
            self.notice,
            *self.form.outputs,
            self.card,
            self.radar,
            self.dims,
            self.recommendations,
            *self.downloads.values(),
        ]

    def open(self, assessment_id: str | None, owner: str) -> dict[Any, Any]:
        """Updates showing `owner`'s assessment: its next question, or its results when it is finished."""
        if not assessment_id:
            return {
                self.assessment_id: None,
                self.current: None,
                self.title: "",
                self.question_box: gr.update(visible=False),
                self.result_box: gr.update(visible=False),
            }
        service = self.advisor.assessments
        summary = service.get(assessment_id, owner)
        view = None if summary.status == "finished" else service.next_question(assessment_id, owner)
        if view is None:
            return self._results(
                service.finish(assessment_id, owner, provisional=True)
                if summary.status != "finished"
                else service.result(assessment_id, owner, provisional=True)
            )
        return self._question(assessment_id, view, owner)

    def _question(self, assessment_id: str, view: QuestionView, owner: str) -> dict[Any, Any]:
        summary = self.advisor.assessments.get(assessment_id, owner)
        progress = self.advisor.assessments.progress(assessment_id, owner)
        note = view.previous.note if view.previous else None
        return {
            self.assessment_id: assessment_id,
            self.current: {"id": view.id, "type": view.type},
            self.title: _title(summary.client, assessment_id, summary.interviewer),
            self.question_box: gr.update(visible=True),
            self.result_box: gr.update(visible=False),
            self.note: gr.update(value=note or ""),
            **self.form.show(view, progress),
        }

    def _results(self, result: Result) -> dict[Any, Any]:
        aid = result.assessment.id
        # Render every format from the one result: recomputing it per format repeats the knowledge searches.
        files = results.report_files(result, tuple(self.downloads))
        return {
            self.assessment_id: aid,
            self.current: None,
            self.title: _title(result.assessment.client, aid, result.assessment.interviewer),
            self.question_box: gr.update(visible=False),
            self.result_box: gr.update(visible=True),
            self.card: results.score_card(result),
            self.radar: gr.update(
                value=results.radar_file(result) if results.has_scores(result) else None,
                visible=results.has_scores(result),
            ),
            self.dims: results.dimension_bars(result),
            self.recommendations: results.recommendations_markdown(result),
            **{button: gr.update(value=files[fmt]) for fmt, button in self.downloads.items()},
        }

    def _wire(self) -> None:
        answer_inputs = [self.assessment_id, self.current, *self.form.inputs, self.note]
        self.next.click(self.guarded(self._answer), answer_inputs, self.outputs, show_progress="minimal")
        state_inputs = [self.assessment_id, self.current, self.note]
        self.skip.click(self.guarded(self._skip), state_inputs, self.outputs, show_progress="minimal")
        self.dont_know.click(self.guarded(self._dont_know), state_inputs, self.outputs, show_progress="minimal")
        self.back.click(self.guarded(self._back), [self.assessment_id], self.outputs, show_progress="minimal")
        self.finish.click(self.guarded(self._finish), [self.assessment_id], self.outputs)

    def guarded(self, handler: Any) -> Any:
        """`handler` with its errors shown in this panel's notice."""
        return in_place(handler, self.notice)

    def _answer(
        self,
        aid: str,
        current: dict[str, str] | None,
        choice: Any,
        multi: Any,
        number: Any,
        text: Any,
        note: str,
        request: gr.Request,
    ) -> dict[Any, Any]:
        _require_question(aid, current)
        assert current is not None
        value = value_for(current["type"], choice, multi, number, text)
        if value is None:
            raise Notice("Choose or type an answer first, or use Skip or Don't know.")
        owner = request_owner(request)
        self.advisor.assessments.answer(aid, current["id"], value=value, note=_note(note), owner=owner)
        return self.open(aid, owner)

    def _skip(self, aid: str, current: dict[str, str] | None, note: str, request: gr.Request) -> dict[Any, Any]:
        _require_question(aid, current)
        assert current is not None
        owner = request_owner(request)
        self.advisor.assessments.skip(aid, current["id"], note=_note(note), owner=owner)
        return self.open(aid, owner)

    def _dont_know(self, aid: str, current: dict[str, str] | None, note: str, request: gr.Request) -> dict[Any, Any]:
        _require_question(aid, current)
        assert current is not None
        owner = request_owner(request)
        self.advisor.assessments.dont_know(aid, current["id"], note=_note(note), owner=owner)
        return self.open(aid, owner)

    def _back(self, aid: str, request: gr.Request) -> dict[Any, Any]:
        _require_assessment(aid)
        owner = request_owner(request)
        view = self.advisor.assessments.back(aid, owner)
        if view is None:
            raise Notice("This is the first question: there is nothing to go back to.")
        return self._question(aid, view, owner)

    def _finish(self, aid: str, request: gr.Request, progress: gr.Progress = gr.Progress()) -> dict[Any, Any]:  # noqa: B008
        _require_assessment(aid)
        owner = request_owner(request)
        progress(0.2, desc="Scoring and writing the report")
        # The Finish button is an explicit request: an incomplete result is shown, labelled provisional.
        return self._results(self.advisor.assessments.finish(aid, owner, provisional=True))


def _require_assessment(aid: str | None) -> None:
    if not aid:
        raise Notice("Start or resume an assessment first.")


def _require_question(aid: str | None, current: dict[str, str] | None) -> None:
    _require_assessment(aid)
    if current is None:
        raise Notice("This assessment has no open question: see its results below.")


def _note(note: str | None) -> str | None:
    return (note or "").strip() or None


def _title(client: str, assessment_id: str, interviewer: str | None) -> str:
    who = f" · interviewer {interviewer}" if interviewer else ""
    return f"#### {client}{who}\n<small>Assessment id `{assessment_id}`: keep it to resume later.</small>"


class ReadinessTab:
    """The self-serve readiness check: start or resume, then the interview panel."""

    def __init__(self, advisor: Advisor, secret: str) -> None:
        self.advisor = advisor
        self.saved = gr.BrowserState(None, storage_key="bpo-advisor-assessment", secret=secret)
        count = len(visible_questions(advisor.assessments.questionnaire, {}))
        gr.Markdown(
            f"Answer about {count} short questions on strategy, processes, measurement, security, governance, people, "
            "finances and technology. You get a score per area, a readiness band and recommendations with "
            "sources. Every answer is saved as you go.",
            elem_classes="intro",
        )
        with gr.Row(equal_height=True):
            with gr.Column(elem_classes="panel", min_width=280):
                self.client = gr.Textbox(label="Your company", placeholder="Acme Ltd", elem_id="self-client")
                self.start = gr.Button("Start the check", variant="primary", elem_id="self-start")
            with gr.Column(elem_classes="panel", min_width=280):
                self.resume_id = gr.Textbox(
                    label="Resume with an assessment id", placeholder="e.g. 4404cd8fb664", elem_id="self-resume-id"
                )
                self.resume = gr.Button("Resume", elem_id="self-resume")
        self.panel = InterviewPanel(advisor, "self")
        outputs = [*self.panel.outputs, self.saved]
        self.start.click(self.panel.guarded(self._start), [self.client], outputs)
        self.client.submit(self.panel.guarded(self._start), [self.client], outputs)
        self.resume.click(self.panel.guarded(self._resume), [self.resume_id], outputs)
        self.resume_id.submit(self.panel.guarded(self._resume), [self.resume_id], outputs)

    def restore(self, saved: str | None, request: gr.Request) -> dict[Any, Any]:
        """On page load, reopen the assessment this browser last worked on (if it exists and is the owner's)."""
        owner = request_owner(request)
        try:
            return self.panel.open(saved, owner)
        except LookupError:
            return {**self.panel.open(None, owner), self.saved: None}

    def _start(self, client: str, request: gr.Request) -> dict[Any, Any]:
        if not (client or "").strip():
            raise Notice("Type your company's name first.")
        owner = request_owner(request)
        started = self.advisor.assessments.start(client, mode="self", owner=owner)
        return {**self.panel.open(started.id, owner), self.saved: started.id}

    def _resume(self, assessment_id: str, request: gr.Request) -> dict[Any, Any]:
        wanted = (assessment_id or "").strip()
        if not wanted:
            raise Notice("Paste the assessment id you were given.")
        owner = request_owner(request)
        try:
            return {**self.panel.open(wanted, owner), self.saved: wanted}
        except LookupError:
            raise Notice(f"No assessment of yours has the id {wanted[:40]!r}. Check it and try again.") from None
