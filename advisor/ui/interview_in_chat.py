"""The in-chat interview on screen: its buttons under the chat, option clicks, and turns kept in the conversation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.readiness.results import Result
from advisor.ui import chat_interview, results
from advisor.ui.chat_interview import PAUSE, RESUME, SKIP, Step
from advisor.ui.errors import Notice, in_place, notice_html
from advisor.ui.messages import Message, assistant, user
from advisor.ui.sessions import request_owner

if TYPE_CHECKING:
    from advisor.ui.chat import ChatState, ChatTab

Handler = Callable[..., Iterator[dict[Any, Any]]]


class InterviewInChat:
    """Skip / Pause / Back to questions under the chat box, and the steps of an interview run in the chat."""

    def __init__(self) -> None:
        with gr.Row(visible=False, elem_classes="interview-bar") as self.row:
            self.buttons = {
                label: gr.Button(label, size="sm", min_width=90, elem_id=f"chat-interview-{label.split()[0].lower()}")
                for label in (SKIP, PAUSE, RESUME)
            }

    @property
    def outputs(self) -> list[Any]:
        """The bar and its buttons, which every chat handler may show or hide."""
        return [self.row, *self.buttons.values()]

    def wire(self, tab: ChatTab) -> None:
        """Send option clicks and the bar's buttons to the interview, updating every output of `tab`."""
        self.tab = tab
        picked = [tab.messages, tab.ids, tab.conversation, tab.interview]
        tab.chatbot.option_select(tab.selected(self._option), picked, tab.outputs)
        for label, button in self.buttons.items():
            button.click(self._pressed(label), picked, tab.outputs)
        start = in_place(self._start, tab.notice)
        tab.start_interview.click(start, [tab.messages, tab.ids, tab.conversation], tab.outputs)

    def bar(self, state: dict[str, Any] | None) -> dict[Any, Any]:
        """Updates showing the buttons that fit the interview's state (none when no interview is on)."""
        active, paused = chat_interview.running(state), bool(state and state.get("paused"))
        return {
            self.row: gr.update(visible=active or paused),
            self.buttons[SKIP]: gr.update(visible=active and "question" in (state or {})),
            self.buttons[PAUSE]: gr.update(visible=active),
            self.buttons[RESUME]: gr.update(visible=paused),
        }

    def turn(
        self,
        messages: list[Message],
        ids: list[str | None],
        conversation_id: str | None,
        said: str,
        state: dict[str, Any] | None,
        owner: str,
        picked: str | None = None,
    ) -> Iterator[dict[Any, Any]]:
        """One step for a typed message or a `picked` button; a message confirmed as a question gets an answer."""
        tab = self.tab
        if not state or state.get("offered"):
            yield {tab.notice: notice_html(Notice("No interview is running: ask for a readiness check to start."))}
            return
        try:
            advisor = tab.advisor
            run = chat_interview
            step = run.choose(advisor, state, picked, owner) if picked else run.step(advisor, state, said, owner)
        except Exception as exc:  # shown in place like every other handler's errors
            yield {tab.notice: notice_html(exc)}
            return
        if step.ask:
            yield from tab.answer(step.ask, messages, ids, conversation_id, owner, step.state)
        else:
            yield in_place(self.show, tab.notice)(messages, ids, conversation_id, said, step, owner)

    def show(
        self,
        messages: list[Message],
        ids: list[str | None],
        conversation_id: str | None,
        said: str | None,
        step: Step,
        owner: str,
    ) -> dict[Any, Any]:
        """Updates adding the person's words and the interview's reply (with its option buttons) to the chat."""
        tab = self.tab
        conversation_id = self._record(conversation_id, said, step.reply, owner)
        shown = [*messages, *([user(said)] if said else []), assistant(step.reply, step.options)]
        updates = {
            tab.box: "",
            tab.chatbot: shown,
            tab.messages: shown,
            tab.ids: [*ids, *([None] if said else []), None],
            tab.conversation: conversation_id,
            tab.interview: step.state,
            tab.offer: gr.update(visible=False),
            **self.bar(step.state),
            **tab.side.updates(conversation_id, owner),
        }
        if step.finished:
            updates.update(self._report_links(step.finished))
        return updates

    def _option(self, chat: ChatState, value: Any, owner: str) -> Iterator[dict[Any, Any]]:
        offered = chat.messages[-1].get("options", []) if chat.messages else []
        said = next((o["label"] for o in offered if o["value"] == str(value)), str(value))
        yield from self.turn(chat.messages, chat.ids, chat.conversation_id, said, chat.interview, owner, str(value))

    def _pressed(self, label: str) -> Handler:
        def press(
            messages: list[Message],
            ids: list[str | None],
            conversation_id: str | None,
            interview: dict[str, Any] | None,
            request: gr.Request,
        ) -> Iterator[dict[Any, Any]]:
            yield from self.turn(messages, ids, conversation_id, label, interview, request_owner(request), label)

        return press

    def _start(
        self, messages: list[Message], ids: list[str | None], conversation_id: str | None, request: gr.Request
    ) -> dict[Any, Any]:
        return self.show(messages, ids, conversation_id, None, chat_interview.begin(), request_owner(request))

    def _record(self, conversation_id: str | None, text: str | None, reply: str, owner: str) -> str:
        # Interview turns are kept in the conversation so a reload shows them; they are not rated.
        store = self.tab.advisor.conversations
        conversation_id = conversation_id or store.create(owner)
        if text:
            store.add_turn(conversation_id, owner, "user", text, meta={"interview": True})
        store.add_turn(conversation_id, owner, "assistant", reply, meta={"interview": True})
        return conversation_id

    def _report_links(self, result: Result) -> dict[Any, Any]:
        tab = self.tab
        files = results.report_files(result, ("pdf", "html"))
        return {
            tab.report_row: gr.update(visible=True),
            tab.report_pdf: gr.update(value=files["pdf"]),
            tab.report_html: gr.update(value=files["html"]),
        }
