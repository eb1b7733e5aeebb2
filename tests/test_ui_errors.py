"""UI handlers answer empty and wrong input with a notice in place, never an error Gradio would show as a toast."""

from __future__ import annotations

import logging
from itertools import pairwise
from typing import Any

import gradio as gr
import pytest

from advisor.service import Advisor
from advisor.ui.chat import ChatTab
from advisor.ui.errors import UNEXPECTED, Notice, in_place
from advisor.ui.interview import ReadinessTab


def _request(owner: str = "local") -> gr.Request:
    return gr.Request(username=owner)


@pytest.fixture
def chat(advisor: Advisor) -> ChatTab:
    with gr.Blocks():
        return ChatTab(advisor, "secret")


@pytest.fixture
def readiness(advisor: Advisor) -> ReadinessTab:
    with gr.Blocks():
        return ReadinessTab(advisor, "secret")


def _notice(updates: dict[Any, Any], slot: gr.HTML) -> str:
    return str(updates[slot])


def test_liking_the_persons_own_message_is_explained_in_the_chat_notice(chat: ChatTab) -> None:
    like = in_place(chat.feedback._like, chat.notice)
    liked = gr.LikeData(chat.chatbot, {"index": 0, "value": "What is BPO?", "liked": True})
    updates = like([None, "m1"], liked, _request())
    assert "applies to the advisor's answers" in _notice(updates, chat.notice)
    assert set(updates) == {chat.notice}


def test_rating_an_unknown_message_says_not_found_in_place(chat: ChatTab) -> None:
    like = in_place(chat.feedback._like, chat.notice)
    liked = gr.LikeData(chat.chatbot, {"index": 1, "value": "An answer", "liked": True})
    assert "Not found" in _notice(like([None, "no-such-message"], liked, _request()), chat.notice)


def test_sending_an_empty_question_asks_for_one_without_touching_the_chat(chat: ChatTab) -> None:
    updates = list(chat.respond("   ", [], [], None, None, _request()))
    assert len(updates) == 1 and set(updates[0]) == {chat.notice}
    assert "Type a question first" in updates[0][chat.notice]


def test_an_over_long_question_is_put_back_in_the_box_with_a_notice(chat: ChatTab, advisor: Advisor) -> None:
    question = "outsourcing " * (advisor.settings.max_question_chars // 5)
    *_, last = chat.respond(question, [], [], None, None, _request())
    assert "too long" in last[chat.notice]
    assert last[chat.box] == question.strip() and last[chat.chatbot] == []


def test_resuming_with_an_empty_unknown_or_someone_elses_id_says_so(readiness: ReadinessTab, advisor: Advisor) -> None:
    resume = readiness.panel.guarded(readiness._resume)
    theirs = advisor.assessments.start("Other Co", owner="someone-else").id
    assert "Paste the assessment id" in _notice(resume("  ", _request()), readiness.panel.notice)
    for wrong in ("no-such-id", theirs):
        updates = resume(wrong, _request())
        assert "No assessment of yours" in _notice(updates, readiness.panel.notice)
        assert readiness.saved not in updates


def test_next_without_an_answer_keeps_the_question_and_asks_for_one(readiness: ReadinessTab, advisor: Advisor) -> None:
    aid = advisor.assessments.start("Acme").id
    view = advisor.assessments.next_question(aid)
    assert view is not None
    answer = readiness.panel.guarded(readiness.panel._answer)
    updates = answer(aid, {"id": view.id, "type": view.type}, None, [], None, "", "", _request())
    assert "Choose or type an answer first" in _notice(updates, readiness.panel.notice)
    assert advisor.assessments.next_question(aid).id == view.id  # type: ignore[union-attr]


def test_an_unexpected_failure_shows_a_generic_notice_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with gr.Blocks():
        slot = gr.HTML()

    def broken() -> dict[Any, Any]:
        raise RuntimeError("database password is hunter2")

    with caplog.at_level(logging.ERROR, logger="advisor.ui.errors"):
        shown = in_place(broken, slot)()[slot]
    assert UNEXPECTED in shown and "hunter2" not in shown
    assert "ui_handler_failed error=RuntimeError" in caplog.text


def test_a_success_clears_the_notice_and_keeps_the_handlers_updates() -> None:
    with gr.Blocks():
        slot, other = gr.HTML(), gr.Markdown()
    assert in_place(lambda: {other: "done"}, slot)() == {slot: "", other: "done"}

    def refused() -> dict[Any, Any]:
        raise Notice("Pick two")

    assert "Pick two" in in_place(refused, slot)()[slot]


def test_the_chat_shows_an_extractive_answer_sentence_by_sentence(chat: ChatTab) -> None:
    shown = [  # read at each update: the chat reuses its message list while streaming
        update[chat.chatbot][-1]["content"]
        for update in chat.respond("What should an outsourcing contract include?", [], [], None, None, _request())
        if chat.chatbot in update
    ]
    growing = [text for text in shown if text.endswith("▍")]  # the answer so far, with the cursor
    assert len(growing) >= 3  # the empty cursor, then one update per sentence
    assert all(later.startswith(earlier[:-2]) for earlier, later in pairwise(growing))
    assert 'details class="source"' in shown[-1] and not shown[-1].endswith("▍")
