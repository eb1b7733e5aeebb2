"""Thumbs on the advisor's answers, with an optional comment, stored for the signed-in owner."""

from __future__ import annotations

from typing import Any

import gradio as gr

from advisor.service import Advisor
from advisor.ui.errors import Notice, in_place
from advisor.ui.sessions import request_owner


class FeedbackRow:
    """The comment box that opens after a thumb, wired to the chatbot's like event."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        self.rated = gr.State(None)
        with gr.Row(visible=False, elem_classes="feedback-row") as self.comment_row:
            self.comment = gr.Textbox(
                placeholder="Thanks! Anything to add? (optional)", show_label=False, scale=6, elem_id="feedback-comment"
            )
            self.comment_send = gr.Button("Send comment", scale=1, min_width=120, elem_id="feedback-send")

    def wire(self, chatbot: gr.Chatbot, ids: gr.State, notice: gr.HTML) -> None:
        """Rate the answer behind a thumb (`ids` maps messages to stored answers); errors go to `notice`."""
        chatbot.like(in_place(self._like, notice), [ids], [self.rated, self.comment_row, self.comment, notice])
        comment = in_place(self._comment, notice)
        for event in (self.comment.submit, self.comment_send.click):
            event(comment, [self.rated, self.comment], [self.rated, self.comment_row, notice])

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
