"""The chat tab: streamed answers with numbered sources, feedback, stored conversations and the in-chat interview."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import gradio as gr

from advisor.service import Advisor, Reply
from advisor.storage import NotFound
from advisor.ui import chat_interview
from advisor.ui.conversations import ConversationSidebar
from advisor.ui.errors import Notice, in_place, notice_html, notice_slot
from advisor.ui.feedback import FeedbackRow
from advisor.ui.interview_in_chat import InterviewInChat
from advisor.ui.messages import EXAMPLES, Message, answer_content, assistant, turns_to_messages, user
from advisor.ui.sessions import request_owner

_CURSOR = " ▍"
Route = Callable[..., Iterator[dict[Any, Any]]]


class ChatState(NamedTuple):
    """What the page holds about the chat: shown messages, their stored ids, the conversation, the interview."""

    messages: list[Message]
    ids: list[str | None]
    conversation_id: str | None
    interview: dict[str, Any] | None


class ChatTab:
    """The chat: conversation list, chatbot, input, feedback and the in-chat readiness interview."""

    def __init__(self, advisor: Advisor, secret: str) -> None:
        self.advisor = advisor
        self.conversation = gr.BrowserState(None, storage_key="bpo-advisor-conversation", secret=secret)
        self.messages = gr.State([])
        self.ids = gr.State([])
        self.interview = gr.State(None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=240, elem_classes="chat-side"):
                self.side = ConversationSidebar(advisor)
            with gr.Column(scale=4, min_width=320):
                self._build_main()
        self._wire()

    def _build_main(self) -> None:
        self.chatbot = gr.Chatbot(
            elem_id="chatbot",
            height=560,
            show_label=False,
            buttons=["copy"],
            examples=[{"text": q} for q in EXAMPLES],
            feedback_options=("Like", "Dislike"),
            placeholder="<h3>Ask about outsourcing</h3><p>Answers come from a curated knowledge base, with "
            "numbered sources you can open.</p>",
        )
        with gr.Row(elem_classes="composer"):
            self.box = gr.Textbox(
                placeholder="Ask a question about outsourcing…",
                show_label=False,
                scale=8,
                elem_id="question",
                autofocus=True,
                max_lines=6,
            )
            self.send = gr.Button("Send", variant="primary", scale=1, min_width=80, elem_id="send")
        self.interviewing = InterviewInChat()
        self.notice = notice_slot("chat-notice")
        with gr.Row(visible=False, elem_classes="offer") as self.offer:
            self.start_interview = gr.Button(
                "Start the readiness interview here", variant="primary", elem_id="chat-start-interview"
            )
        with gr.Row(visible=False, elem_classes="report-links") as self.report_row:
            self.report_pdf = gr.DownloadButton("Full report (PDF)", variant="primary", elem_id="chat-report-pdf")
            self.report_html = gr.DownloadButton("Full report (HTML)", elem_id="chat-report-html")
        self.feedback = FeedbackRow(self.advisor)

    @property
    def outputs(self) -> list[Any]:
        """Every component a chat handler may update."""
        return [
            self.box,
            self.chatbot,
            self.messages,
            self.ids,
            self.conversation,
            self.interview,
            self.offer,
            self.report_row,
            self.report_pdf,
            self.report_html,
            self.notice,
            *self.interviewing.outputs,
            *self.side.outputs,
        ]

    def _wire(self) -> None:
        inputs = [self.box, self.messages, self.ids, self.conversation, self.interview]
        self.box.submit(self.respond, inputs, self.outputs)
        self.send.click(self.respond, inputs, self.outputs)
        picked = [self.messages, self.ids, self.conversation, self.interview]
        self.chatbot.example_select(self.selected(self._example), picked, self.outputs)
        self.interviewing.wire(self)
        self.side.new.click(in_place(self._new, self.notice), None, self.outputs)
        self.chatbot.clear(in_place(self._new, self.notice), None, self.outputs)
        self.side.history.input(in_place(self.load, self.notice), [self.side.history], self.outputs)
        self.side.wire(self.conversation, self._show, self.outputs)
        self.feedback.wire(self.chatbot, self.ids, self.notice)

    def load(self, conversation_id: str | None, request: gr.Request) -> dict[Any, Any]:
        """Show one of the signed-in owner's conversations (on page load, the one the browser remembers)."""
        return self._show(conversation_id, request_owner(request))

    def _show(self, conversation_id: str | None, owner: str) -> dict[Any, Any]:
        messages: list[Message] = []
        ids: list[str | None] = []
        if conversation_id:
            try:
                stored = self.advisor.conversations.get(conversation_id, owner)
                messages, ids = turns_to_messages(stored.messages)
            except NotFound:
                conversation_id = None
        return {
            self.chatbot: messages,
            self.messages: messages,
            self.ids: ids,
            self.interview: None,
            self.conversation: conversation_id,
            self.offer: gr.update(visible=False),
            self.report_row: gr.update(visible=False),
            **self.interviewing.bar(None),
            **self.side.updates(conversation_id, owner),
        }

    def respond(
        self,
        text: str,
        messages: list[Message],
        ids: list[str | None],
        conversation_id: str | None,
        interview: dict[str, Any] | None,
        request: gr.Request,
    ) -> Iterator[dict[Any, Any]]:
        """Answer the person's message: in the interview if one is running, else from the knowledge base."""
        yield from self._respond(text, messages, ids, conversation_id, interview, request_owner(request))

    def _respond(
        self,
        text: str,
        messages: list[Message],
        ids: list[str | None],
        conversation_id: str | None,
        interview: dict[str, Any] | None,
        owner: str,
    ) -> Iterator[dict[Any, Any]]:
        text = (text or "").strip()
        if not text:
            yield {self.notice: notice_html(Notice("Type a question first, or pick one of the examples."))}
        elif interview and interview.get("offered") and chat_interview.accepts(text):
            step = chat_interview.begin()
            yield in_place(self.interviewing.show, self.notice)(messages, ids, conversation_id, text, step, owner)
        elif interview and chat_interview.running(interview):
            yield from self.interviewing.turn(messages, ids, conversation_id, text, interview, owner)
        else:
            kept = interview if interview and interview.get("paused") else None
            yield from self.answer(text, messages, ids, conversation_id, owner, kept)

    def answer(
        self,
        text: str,
        messages: list[Message],
        ids: list[str | None],
        conversation_id: str | None,
        owner: str,
        interview: dict[str, Any] | None = None,
    ) -> Iterator[dict[Any, Any]]:
        """Stream an answer from the knowledge base into the chat, keeping a paused `interview` resumable."""
        shown = [*messages, user(text), assistant(_CURSOR)]
        yield {
            self.box: "",
            self.chatbot: shown,
            self.offer: gr.update(visible=False),
            self.report_row: gr.update(visible=False),
            self.notice: "",
        }
        so_far, reply = "", None
        try:
            for piece in self.advisor.converse_stream(text, conversation_id, owner):
                if isinstance(piece, Reply):
                    reply = piece
                else:
                    so_far += piece.text
                    shown[-1] = assistant(so_far + _CURSOR)
                    yield {self.chatbot: shown}
            if reply is None:
                raise RuntimeError("the answer stream ended without a reply")
        except Exception as exc:  # shown in place, the question back in the box to edit
            yield {self.box: text, self.chatbot: messages, self.notice: notice_html(exc)}
            return
        answer = reply.answer
        shown[-1] = assistant(answer_content(answer.text, answer.citations, answer.refused))
        offered = answer.intent == "readiness"
        yield {
            self.chatbot: shown,
            self.messages: shown,
            self.ids: [*ids, None, reply.message_id],
            self.conversation: reply.conversation_id,
            self.interview: {"offered": True} if offered else interview,
            self.offer: gr.update(visible=offered),
            **self.interviewing.bar(interview),
            **self.side.updates(reply.conversation_id, owner),
        }

    def selected(self, route: Route) -> Callable[..., Iterator[dict[Any, Any]]]:
        """A chatbot select-event handler calling `route(chat, picked value, owner)`."""

        def handle(
            messages: list[Message],
            ids: list[str | None],
            conversation_id: str | None,
            interview: dict[str, Any] | None,
            picked: gr.SelectData,
            request: gr.Request,
        ) -> Iterator[dict[Any, Any]]:
            chat = ChatState(messages, ids, conversation_id, interview)
            yield from route(chat, picked.value, request_owner(request))

        return handle

    def _example(self, chat: ChatState, value: Any, owner: str) -> Iterator[dict[Any, Any]]:
        text = str(value.get("text", "")) if isinstance(value, dict) else str(value)
        yield from self._respond(text, *chat, owner)

    def _new(self, request: gr.Request) -> dict[Any, Any]:
        return self._show(None, request_owner(request))
