"""One readiness question on screen: the right widget for its type, its "why we ask" help and progress."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import gradio as gr

from advisor.readiness.results import Progress, QuestionView

_CHOICE_TYPES = ("scale", "yes_partly_no", "single")


@dataclass
class QuestionForm:
    """The widgets of the current question; only the one matching the question's type is visible."""

    progress: gr.HTML
    header: gr.Markdown
    help: gr.Markdown
    choice: gr.Radio
    multi: gr.CheckboxGroup
    number: gr.Number
    text: gr.Textbox

    @classmethod
    def build(cls, prefix: str) -> QuestionForm:
        """Create the widgets in the current layout; `prefix` keeps element ids unique per tab."""
        progress = gr.HTML(elem_id=f"{prefix}-progress")
        header = gr.Markdown(elem_id=f"{prefix}-question", elem_classes="question")
        with gr.Accordion("Why we ask", open=False, elem_classes="why"):
            help_ = gr.Markdown()
        return cls(
            progress=progress,
            header=header,
            help=help_,
            choice=gr.Radio(label="Your answer", choices=[], elem_id=f"{prefix}-choice", visible=False),
            multi=gr.CheckboxGroup(label="Choose all that apply", choices=[], elem_id=f"{prefix}-multi", visible=False),
            number=gr.Number(label="Your answer", elem_id=f"{prefix}-number", visible=False),
            text=gr.Textbox(label="Your answer", lines=3, elem_id=f"{prefix}-text", visible=False),
        )

    @property
    def inputs(self) -> list[Any]:
        """The answer widgets, in the order `value` expects them."""
        return [self.choice, self.multi, self.number, self.text]

    @property
    def outputs(self) -> list[Any]:
        """Every widget `show` updates."""
        return [self.progress, self.header, self.help, *self.inputs]

    def show(self, view: QuestionView, progress: Progress) -> dict[Any, Any]:
        """Updates that display this question (pre-filled with any earlier answer) and the progress."""
        previous = view.previous.value if view.previous and view.previous.status == "answered" else None
        choices = _choices(view)
        return {
            self.progress: progress_bar(progress),
            self.header: f"<small>{html.escape(view.dimension_name or 'About you')} · question {view.position} "
            f"of about {view.total}</small>\n\n### {view.text}",
            self.help: view.help,
            self.choice: gr.update(
                visible=view.type in _CHOICE_TYPES,
                choices=choices,
                value=previous if view.type in _CHOICE_TYPES else None,
            ),
            self.multi: gr.update(
                visible=view.type == "multi",
                choices=choices,
                value=previous if view.type == "multi" and previous else [],
            ),
            self.number: gr.update(
                visible=view.type == "number",
                label=_number_label(view),
                value=previous if view.type == "number" else None,
            ),
            self.text: gr.update(visible=view.type == "text", value=previous if view.type == "text" else ""),
        }

    def hide(self, progress: Progress | None = None) -> dict[Any, Any]:
        """Updates that clear the question (when the interview is over or closed)."""
        return {
            self.progress: progress_bar(progress) if progress else "",
            self.header: "",
            self.help: "",
            self.choice: gr.update(visible=False, value=None),
            self.multi: gr.update(visible=False, value=[]),
            self.number: gr.update(visible=False, value=None),
            self.text: gr.update(visible=False, value=""),
        }


def value_for(kind: str, choice: Any, multi: list[Any] | None, number: float | None, text: str | None) -> Any:
    """The typed answer the widgets hold for a question of this type (None when nothing is chosen)."""
    if kind in _CHOICE_TYPES:
        return choice
    if kind == "multi":
        return list(multi or []) or None
    if kind == "number":
        return None if number is None else (int(number) if float(number).is_integer() else number)
    return (text or "").strip() or None


def progress_bar(progress: Progress) -> str:
    """A labelled progress bar for the interview."""
    done = progress.total - progress.remaining
    return (
        f'<div class="progress"><div class="progress-label">{done} of about {progress.total} questions · '
        f"{progress.answered} answered, {progress.dont_know} don't know, {progress.skipped} skipped</div>"
        f'<div class="progress-track"><div class="progress-fill" style="width:{progress.percent:.0f}%"></div>'
        f"</div></div>"
    )


def _choices(view: QuestionView) -> list[tuple[str, Any]]:
    if view.type == "scale":
        return [(f"{n} · {view.anchors[n]}" if n in view.anchors else str(n), n) for n in range(1, 6)]
    return [(o.label, o.value) for o in view.options]


def _number_label(view: QuestionView) -> str:
    return f"Your answer ({view.unit})" if view.unit else "Your answer"
