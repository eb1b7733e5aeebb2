"""The consultant workspace: start, list, search, fill in (with notes) and compare assessments of a client."""

from __future__ import annotations

from typing import Any

import gradio as gr

from advisor.service import Advisor
from advisor.ui import downloads, results
from advisor.ui.errors import Notice, in_place, notice_slot
from advisor.ui.interview import InterviewPanel
from advisor.ui.sessions import request_owner

_HEADERS = ["Id", "Client", "Interviewer", "Mode", "Status", "Answered", "Updated"]


class WorkspaceTab:
    """A new-assessment form beside the open assessment; every assessment listed below; comparison last."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=300, elem_classes="panel"):
                gr.Markdown("#### New assessment")
                self.client = gr.Textbox(label="Client", placeholder="Acme Ltd", elem_id="ws-client")
                self.interviewer = gr.Textbox(label="Interviewer", placeholder="Your name", elem_id="ws-interviewer")
                self.start = gr.Button("Start assessment", variant="primary", elem_id="ws-start")
                self.notice = notice_slot("ws-notice")
            with gr.Column(scale=3, min_width=320):
                self.panel = InterviewPanel(advisor, "ws", notes=True)
        # The list spans the page: its seven columns need the width (squeezed beside the panel they wrapped).
        with gr.Column(elem_classes="panel"):
            gr.Markdown("#### Assessments")
            with gr.Row():
                self.search = gr.Textbox(placeholder="Search by client", show_label=False, scale=3, elem_id="ws-search")
                self.refresh = gr.Button("Search", scale=1, min_width=80, elem_id="ws-refresh")
            self.table = gr.Dataframe(
                headers=_HEADERS, interactive=False, wrap=True, elem_id="ws-table", max_height=360
            )
            gr.Markdown("<small>Select a row to open it.</small>")
        with gr.Column(elem_classes="panel compare"):
            gr.Markdown("#### Compare two assessments of a client")
            with gr.Row():
                self.before = gr.Dropdown(label="Before", choices=[], elem_id="ws-before")
                self.after = gr.Dropdown(label="After", choices=[], elem_id="ws-after")
                self.compare = gr.Button("Compare", variant="primary", elem_id="ws-compare", min_width=100, scale=0)
            self.compare_notice = notice_slot("ws-compare-notice")
            with gr.Row(equal_height=False):
                self.compare_radar = gr.Image(
                    show_label=False,
                    interactive=False,
                    type="filepath",
                    elem_id="ws-compare-radar",
                    buttons=["download", "fullscreen"],
                    visible=False,
                )
                with gr.Column():
                    self.compare_table = gr.Markdown(elem_id="ws-compare-table")
                    self.compare_pdf = gr.DownloadButton(
                        "Download comparison (PDF)", visible=False, elem_id="ws-compare-pdf"
                    )
        self._wire()

    def listing(self, query: str | None, request: gr.Request) -> dict[Any, Any]:
        """The signed-in owner's assessments table and comparison choices, filtered by client."""
        return self._listing(query, request_owner(request))

    def _listing(self, query: str | None, owner: str) -> dict[Any, Any]:
        items = self.advisor.assessments.list(owner, (query or "").strip() or None)
        choices = [
            (f"{a.client} · {a.created_at:%d %b %Y %H:%M} · {a.status.replace('_', ' ')} · {a.id}", a.id) for a in items
        ]
        return {
            self.table: results.as_rows(items) or [[""] * len(_HEADERS)],
            self.before: gr.update(choices=choices),
            self.after: gr.update(choices=choices),
        }

    def _wire(self) -> None:
        listing = [self.table, self.before, self.after]
        self.refresh.click(self.listing, [self.search], listing)
        self.search.submit(self.listing, [self.search], listing)
        start = in_place(self._start, self.notice)
        started = [*self.panel.outputs, *listing, self.notice]
        self.start.click(start, [self.client, self.interviewer, self.search], started)
        self.table.select(self.panel.guarded(self._open_row), None, self.panel.outputs)
        compared = [self.compare_radar, self.compare_table, self.compare_pdf, self.compare_notice]
        self.compare.click(in_place(self._compare, self.compare_notice), [self.before, self.after], compared)
        for button in (self.panel.next, self.panel.skip, self.panel.dont_know, self.panel.finish):
            button.click(self.listing, [self.search], listing)

    def _start(self, client: str, interviewer: str, query: str, request: gr.Request) -> dict[Any, Any]:
        if not (client or "").strip():
            raise Notice("Type the client's name first.")
        owner = request_owner(request)
        started = self.advisor.assessments.start(client, (interviewer or "").strip() or None, "consultant", owner)
        return {**self.panel.open(started.id, owner), **self._listing(query, owner)}

    def _open_row(self, picked: gr.SelectData, request: gr.Request) -> dict[Any, Any]:
        row = picked.row_value or []
        if not row or not row[0]:
            raise Notice("No assessments yet: start one with a client's name.")
        return self.panel.open(str(row[0]), request_owner(request))

    def _compare(self, before: str | None, after: str | None, request: gr.Request) -> dict[Any, Any]:
        if not before or not after or before == after:
            raise Notice("Choose two different assessments of the same client in Before and After.")
        owner = request_owner(request)
        service = self.advisor.assessments
        # Assessments finished early from the UI are provisional; the comparison labels them so.
        comparison = service.compare(before, after, owner, provisional=True)
        report = service.compare_report(before, after, "pdf", owner, provisional=True)
        pdf = downloads.write_file(report, f"comparison-{before}-{after}.pdf")
        return {
            self.compare_radar: gr.update(value=results.comparison_radar_file(comparison), visible=True),
            self.compare_table: results.comparison_markdown(comparison),
            self.compare_pdf: gr.update(value=pdf, visible=True),
        }
