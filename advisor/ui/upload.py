"""Adding documents from the knowledge tab: drop .md or .txt files, see each one indexed or why it was not."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import gradio as gr

from advisor.service import Advisor
from advisor.ui.errors import Notice, in_place, notice_slot
from advisor.ui.sessions import request_owner
from advisor.uploads import SUFFIXES, FileOutcome, add_documents, may_upload


class UploadPanel:
    """A file drop and an "Add" button, shown only to owners allowed to add documents (ADVISOR_UPLOADERS)."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        with gr.Accordion("Add documents", open=False, visible=False, elem_id="kb-upload") as self.box:
            gr.Markdown(
                f"Markdown or plain-text files ({', '.join(SUFFIXES)}, up to "
                f"{advisor.settings.max_upload_bytes // 1000:,} kB each). Each is checked like `advisor ingest` "
                "checks files, and sentences that read as instructions to an assistant are left out."
            )
            self.files = gr.File(
                label="Files to add", file_count="multiple", file_types=list(SUFFIXES), elem_id="kb-files"
            )
            self.add = gr.Button("Add to the knowledge base", variant="primary", elem_id="kb-add")
            self.notice = notice_slot("kb-upload-notice")
            self.outcome = gr.HTML(elem_id="kb-upload-result")
        add = in_place(self._add, self.notice)
        self.added = self.add.click(add, [self.files], [self.outcome, self.files, self.notice])

    def shown(self, request: gr.Request) -> Any:
        """The panel's visibility for the signed-in owner (called on page load)."""
        return gr.update(visible=may_upload(self.advisor, request_owner(request)))

    def _add(
        self,
        files: list[str] | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> dict[Any, Any]:
        if not may_upload(self.advisor, request_owner(request)):
            raise Notice("Adding documents is not allowed for this key.")
        if not files:
            raise Notice("Choose one or more .md or .txt files first.")
        outcomes = []
        for n, path in enumerate(files):
            progress((n, len(files)), desc=f"Checking and indexing {Path(path).name}")
            outcomes += add_documents(self.advisor, [Path(path)])
        return {self.outcome: outcome_html(outcomes), self.files: None}


def outcome_html(outcomes: list[FileOutcome]) -> str:
    """One line per file: indexed with its chunk count (and anything left out), or the reason it was refused."""
    rows = []
    for o in outcomes:
        name = f"<strong>{html.escape(o.name)}</strong>"
        if o.error:
            rows.append(f'<li class="upload-failed">{name}: not added, {html.escape(o.error)}</li>')
            continue
        dropped = f"; {len(o.left_out)} sentence(s) left out as instructions" if o.left_out else ""
        rows.append(f'<li class="upload-added">{name}: added, {o.chunks} passage(s){dropped}</li>')
    return f'<ul class="upload-result">{"".join(rows)}</ul>'
