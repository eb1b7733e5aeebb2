"""The chat tab: streamed answers with numbered sources, feedback, stored conversations and the in-chat interview."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from advisor.readiness import report
from advisor.readiness.results import Result
from advisor.service import Advisor, Reply
from advisor.storage import NotFound
from advisor.ui import chat_interview, downloads, results
from advisor.ui.conversations import ConversationSidebar
from advisor.ui.errors import Notice, in_place, notice_html, notice_slot
from advisor.ui.messages import EXAMPLES, Message, answer_content, assistant, turns_to_messages, user
from advisor.ui.sessions import request_owner

_CURSOR = " ▍"


class ChatTab:
    """The chat: conversation list, chatbot, input, feedback and the in-chat readiness interview."""

    def __init__(self, advisor: Advisor, secret: str) -> None:
        self.advisor = advisor
        self.conversation = gr.BrowserState(None, storage_key="bpo-advisor-conversation", secret=secret)
        self.messages = gr.State([])
        self.ids = gr.State([])
        self.interview = gr.State(None)
        self.rated = gr.State(None)
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
        self.notice = notice_slot("chat-notice")
        with gr.Row(visible=False, elem_classes="offer") as self.offer:
            self.start_interview = gr.Button(
                "Start the readiness interview here", variant="primary", elem_id="chat-start-interview"
            )
        with gr.Row(visible=False, elem_classes="report-links") as self.report_row:
            self.report_pdf = gr.DownloadButton("Full report (PDF)", variant="primary", elem_id="chat-report-pdf")
            self.report_html = gr.DownloadButton("Full report (HTML)", elem_id="chat-report-html")
        with gr.Row(visible=False, elem_classes="feedback-row") as self.comment_row:
            self.comment = gr.Textbox(
                placeholder="Thanks! Anything to add? (optional)", show_label=False, scale=6, elem_id="feedback-comment"
            )
            self.comment_send = gr.Button("Send comment", scale=1, min_width=120, elem_id="feedback-send")

    @property
    def _outputs(self) -> list[Any]:
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
            *self.side.outputs,
        ]

    def _wire(self) -> None:
        inputs = [self.box, self.messages, self.ids, self.conversation, self.interview]
        self.box.submit(self.respond, inputs, self._outputs)
        self.send.click(self.respond, inputs, self._outputs)
        self.chatbot.example_select(
            self._example, [self.messages, self.ids, self.conversation, self.interview], self._outputs
        )
        start = in_place(self._start_interview, self.notice)
        self.start_interview.click(start, [self.messages, self.ids, self.conversation], self._outputs)
        self.side.new.click(in_place(self._new, self.notice), None, self._outputs)
        self.chatbot.clear(in_place(self._new, self.notice), None, self._outputs)
        self.side.history.input(in_place(self.load, self.notice), [self.side.history], self._outputs)
        self.side.wire(self.conversation, self._show, self._outputs)
        rating = [self.rated, self.comment_row, self.comment, self.notice]
        self.chatbot.like(in_place(self._like, self.notice), [self.ids], rating)
        comment = in_place(self._comment, self.notice)
        self.comment.submit(comment, [self.rated, self.comment], [self.rated, self.comment_row, self.notice])
        self.comment_send.click(comment, [self.rated, self.comment], [self.rated, self.comment_row, self.notice])

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
            yield in_place(self._interview_turn, self.notice)(messages, ids, conversation_id, text, None, owner)
        elif interview and not interview.get("offered"):
            yield in_place(self._interview_turn, self.notice)(messages, ids, conversation_id, text, interview, owner)
        else:
            yield from self._answer(text, messages, ids, conversation_id, owner)

    def _answer(
        self, text: str, messages: list[Message], ids: list[str | None], conversation_id: str | None, owner: str
    ) -> Iterator[dict[Any, Any]]:
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
            self.interview: {"offered": True} if offered else None,
            self.offer: gr.update(visible=offered),
            **self.side.updates(reply.conversation_id, owner),
        }

    def _interview_turn(
        self,
        messages: list[Message],
        ids: list[str | None],
        conversation_id: str | None,
        text: str | None,
        state: dict[str, Any] | None,
        owner: str,
    ) -> dict[Any, Any]:
        step = chat_interview.step(self.advisor, state, text or "", owner) if state else chat_interview.begin()
        conversation_id = self._record(conversation_id, text, step.reply, owner)
        shown = [*messages, *([user(text)] if text else []), assistant(step.reply)]
        updates = {
            self.box: "",
            self.chatbot: shown,
            self.messages: shown,
            self.ids: [*ids, *([None] if text else []), None],
            self.conversation: conversation_id,
            self.interview: step.state,
            self.offer: gr.update(visible=False),
            **self.side.updates(conversation_id, owner),
        }
        if step.finished:
            updates.update(self._report_links(step.finished))
        return updates

    def _record(self, conversation_id: str | None, text: str | None, reply: str, owner: str) -> str:
        # Interview turns are kept in the conversation so a reload shows them; they are not rated.
        store = self.advisor.conversations
        conversation_id = conversation_id or store.create(owner)
        if text:
            store.add_turn(conversation_id, owner, "user", text, meta={"interview": True})
        store.add_turn(conversation_id, owner, "assistant", reply, meta={"interview": True})
        return conversation_id

    def _report_links(self, result: Result) -> dict[Any, Any]:
        files = {
            fmt: downloads.write_file(report.render(result, fmt), results.report_name(result, fmt))
            for fmt in ("pdf", "html")
        }
        return {
            self.report_row: gr.update(visible=True),
            self.report_pdf: gr.update(value=files["pdf"]),
            self.report_html: gr.update(value=files["html"]),
        }

    def _start_interview(
        self, messages: list[Message], ids: list[str | None], conversation_id: str | None, request: gr.Request
    ) -> dict[Any, Any]:
        return self._interview_turn(messages, ids, conversation_id, None, None, request_owner(request))

    def _example(
        self,
        messages: list[Message],
        ids: list[str | None],
        conversation_id: str | None,
        interview: dict[str, Any] | None,
        picked: gr.SelectData,
        request: gr.Request,
    ) -> Iterator[dict[Any, Any]]:
        value = picked.value if isinstance(picked.value, dict) else {"text": str(picked.value)}
        text = str(value.get("text", ""))
        yield from self._respond(text, messages, ids, conversation_id, interview, request_owner(request))

    def _new(self, request: gr.Request) -> dict[Any, Any]:
        return self._show(None, request_owner(request))

    def _like(self, ids: list[str | None], liked: gr.LikeData, request: gr.Request) -> dict[Any, Any]:
        index = liked.index if isinstance(liked.index, int) else liked.index[0]
        message_id = ids[index] if 0 <= index < len(ids) else None
        if message_id is None:
            raise Notice("Feedback applies to the advisor's answers, not to your own messages or the interview.")
        rating = "up" if liked.liked is True or liked.liked == "Like" else "down"
        stored = self.advisor.feedback.add(message_id, request_owner(request), rating)
        gr.Info("Thanks for your feedback.")
        return {
            self.rated: {"id": stored.id, "message_id": message_id, "rating": rating},
            self.comment_row: gr.update(visible=True),
            self.comment: "",
        }

    def _comment(self, rated: dict[str, str] | None, comment: str, request: gr.Request) -> dict[Any, Any]:
        if not rated or not (comment or "").strip():
            return {self.comment_row: gr.update(visible=False)}
        self.advisor.feedback.comment(rated["id"], request_owner(request), comment.strip())
        gr.Info("Comment saved. Thank you.")
        return {self.rated: None, self.comment_row: gr.update(visible=False)}
