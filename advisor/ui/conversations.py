"""The conversation sidebar beside the chat: newest first with titles, search, rename, delete and export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from advisor.service import Advisor
from advisor.storage import ConversationSummary
from advisor.ui import downloads
from advisor.ui.errors import Notice, in_place, notice_slot
from advisor.ui.sessions import request_owner

Show = Callable[[str | None, str], dict[Any, Any]]


class ConversationSidebar:
    """The signed-in owner's conversations as a list, with a search box, rename, delete and a Markdown export."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        self.new = gr.Button("+ New conversation", variant="primary", elem_id="new-conversation")
        self.find = gr.Textbox(
            placeholder="Search your conversations", show_label=False, elem_id="conversation-search", max_lines=1
        )
        self.history = gr.Radio(
            label="Your conversations", choices=[], elem_id="conversations", elem_classes="conversation-list"
        )
        self.notice = notice_slot("conversations-notice")
        with gr.Accordion("Rename or delete", open=False, elem_id="conversation-manage"):
            self.title = gr.Textbox(label="Title", elem_id="conversation-title", max_lines=1)
            with gr.Row():
                self.rename = gr.Button("Rename", size="sm", elem_id="conversation-rename", min_width=80)
                self.delete = gr.Button(
                    "Delete", size="sm", variant="stop", elem_id="conversation-delete", min_width=80
                )
            with gr.Row(visible=False) as self.confirm_row:
                self.confirm = gr.Button(
                    "Yes, delete it", size="sm", variant="stop", elem_id="conversation-delete-confirm", min_width=80
                )
                self.cancel = gr.Button("Keep it", size="sm", elem_id="conversation-delete-cancel", min_width=80)
        self.export = gr.DownloadButton("Export as Markdown", size="sm", elem_id="export-md", interactive=False)
        self._show: Show | None = None

    @property
    def outputs(self) -> list[Any]:
        """Every component `updates` sets."""
        return [self.history, self.export, self.find, self.title, self.confirm_row]

    def wire(self, conversation: Any, show: Show, chat_outputs: list[Any]) -> None:
        """Connect the controls; `show(conversation_id, owner)` gives the chat's updates for a conversation."""
        self._show = show
        self.find.change(in_place(self._find, self.notice), [self.find, conversation], [self.history, self.notice])
        everything = [*chat_outputs, self.notice]
        self.rename.click(in_place(self._rename, self.notice), [conversation, self.title], everything)
        self.title.submit(in_place(self._rename, self.notice), [conversation, self.title], everything)
        self.delete.click(in_place(self._ask_delete, self.notice), [conversation], everything)
        self.confirm.click(in_place(self._delete, self.notice), [conversation], everything)
        self.cancel.click(lambda: gr.update(visible=False), None, self.confirm_row)

    def updates(self, conversation_id: str | None, owner: str) -> dict[Any, Any]:
        """The list (with `conversation_id` selected), its export file and title, search and confirmation reset."""
        listed = self.advisor.conversations.list(owner)
        export, title = None, ""
        if conversation_id:
            markdown = self.advisor.conversations.to_markdown(conversation_id, owner)
            export = downloads.write_file(markdown.encode("utf-8"), f"conversation-{conversation_id}.md")
            title = next((c.title for c in listed if c.id == conversation_id), "")
        return {
            self.history: gr.update(choices=_choices(listed), value=conversation_id),
            self.export: gr.update(value=export, interactive=export is not None),
            self.find: "",
            self.title: title,
            self.confirm_row: gr.update(visible=False),
        }

    def _find(self, query: str, conversation_id: str | None, request: gr.Request) -> dict[Any, Any]:
        listed = self.advisor.conversations.list(request_owner(request), query)
        if not listed and (query or "").strip():
            raise Notice(f"No conversation mentions {query.strip()[:60]!r}.")
        shown = conversation_id if any(c.id == conversation_id for c in listed) else None
        return {self.history: gr.update(choices=_choices(listed), value=shown)}

    def _rename(self, conversation_id: str | None, title: str, request: gr.Request) -> dict[Any, Any]:
        if not conversation_id:
            raise Notice("Open a conversation first, then give it a new title.")
        if not (title or "").strip():
            raise Notice("Type the new title first.")
        owner = request_owner(request)
        self.advisor.conversations.rename(conversation_id, owner, title)
        return self.updates(conversation_id, owner)

    def _ask_delete(self, conversation_id: str | None, request: gr.Request) -> dict[Any, Any]:
        if not conversation_id:
            raise Notice("Open a conversation first: there is nothing to delete.")
        self.advisor.conversations.get(conversation_id, request_owner(request))  # only the owner's, else not found
        return {self.confirm_row: gr.update(visible=True)}

    def _delete(self, conversation_id: str | None, request: gr.Request) -> dict[Any, Any]:
        if not conversation_id:
            raise Notice("Open a conversation first: there is nothing to delete.")
        assert self._show is not None, "wire() first"
        owner = request_owner(request)
        self.advisor.conversations.delete(conversation_id, owner)
        gr.Info("Conversation deleted.")
        return self._show(None, owner)


def _choices(listed: list[ConversationSummary]) -> list[tuple[str, str]]:
    # Newest first (as stored); the time tells apart conversations that began with the same question.
    return [(f"{c.title or 'Untitled'} · {c.updated_at:%d %b %H:%M}", c.id) for c in listed if c.turns]
