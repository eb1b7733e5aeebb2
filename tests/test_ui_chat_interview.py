"""The readiness interview in the chat: options as buttons, skip, pause and back, and questions checked first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pytest
from readiness_support import make_service

from advisor.service import Advisor
from advisor.ui import chat_interview
from advisor.ui.chat import ChatTab
from advisor.ui.chat_interview import ASK_IT, PAUSE, RESUME, SKIP, USE_IT


def _started(advisor: Any) -> dict[str, Any]:
    """An interview started for Acme Ltd, on its first question (the company's size)."""
    step = chat_interview.step(advisor, chat_interview.begin().state or {}, "Acme Ltd", "local")
    assert step.state and step.state.get("question") == "ctx_company_size"
    return step.state


def _stored(advisor: Advisor, state: dict[str, Any]) -> list[str]:
    return [r.question_id for r in advisor.assessments.responses(state["id"])]


def test_a_plain_answer_is_recorded_and_confirmed_in_words(advisor: Advisor) -> None:
    step = chat_interview.step(advisor, _started(advisor), "about 200 people", "local")
    assert step.reply.startswith("Recorded: **200 people**")
    assert "Question 2 of about" in step.reply


@pytest.mark.parametrize(
    "message", ["What is BPO?", "how do we pick a vendor", "Should we outsource payroll", "why do you ask?"]
)
def test_a_question_to_the_assistant_is_not_taken_as_an_answer_without_asking(advisor: Advisor, message: str) -> None:
    state = _started(advisor)
    step = chat_interview.step(advisor, state, message, "local")
    assert "question for me" in step.reply
    assert [o["label"] for o in step.options] == [ASK_IT, USE_IT]
    assert _stored(advisor, state) == []


def test_confirming_a_question_answers_it_and_pauses_the_interview_until_back_to_questions(advisor: Advisor) -> None:
    state = _started(advisor)
    pending = chat_interview.step(advisor, state, "What is BPO?", "local").state or {}
    asked = chat_interview.choose(advisor, pending, ASK_IT, "local")
    assert asked.ask == "What is BPO?" and asked.state and asked.state["paused"]
    back = chat_interview.choose(advisor, asked.state, RESUME, "local")
    assert back.state == state and "Question 1 of about" in back.reply


def test_choosing_use_it_as_my_answer_reads_the_message_as_the_answer(advisor: Advisor) -> None:
    pending = chat_interview.step(advisor, _started(advisor), "200?", "local").state or {}
    step = chat_interview.choose(advisor, pending, USE_IT, "local")
    assert step.reply.startswith("Recorded: **200 people**")


def test_a_choice_question_offers_its_options_as_buttons_and_records_the_one_clicked(advisor: Advisor) -> None:
    asked = chat_interview.step(advisor, _started(advisor), "200", "local")
    assert asked.state
    view = advisor.assessments.question(asked.state["id"], asked.state["question"])
    assert [o["label"] for o in asked.options] == [o.label for o in view.options]
    picked = chat_interview.choose(advisor, asked.state, asked.options[0]["value"], "local")
    assert picked.reply.startswith(f"Recorded: **{view.options[0].label}**")


def test_an_unreadable_answer_is_explained_without_internal_ids_or_echoing_the_input(advisor: Advisor) -> None:
    state = _started(advisor)
    step = chat_interview.step(advisor, state, "banana split with extra sauce", "local")
    assert step.reply.startswith("Sorry, I could not read that as an answer")
    assert "ctx_" not in step.reply and "banana" not in step.reply
    assert step.state == state


def test_skip_moves_on_and_says_so(advisor: Advisor) -> None:
    state = _started(advisor)
    step = chat_interview.choose(advisor, state, SKIP, "local")
    assert step.reply.startswith("Skipped.") and step.state and step.state["question"] != state["question"]


@pytest.mark.parametrize("how", ["button", "typed"])
def test_pausing_keeps_the_assessment_and_stops_taking_answers(advisor: Advisor, how: str) -> None:
    state = _started(advisor)
    step = (
        chat_interview.choose(advisor, state, PAUSE, "local")
        if how == "button"
        else chat_interview.step(advisor, state, "pause", "local")
    )
    assert RESUME in step.reply and state["id"] in step.reply
    assert step.state and step.state["paused"] and not chat_interview.running(step.state)


def test_a_number_given_as_the_company_name_is_checked_first(advisor: Advisor) -> None:
    step = chat_interview.step(advisor, chat_interview.begin().state or {}, "about 200 people", "local")
    assert "rather than a company name" in step.reply
    assert step.state == {"phase": "client", "pending": "about 200 people"}
    assert advisor.assessments.list() == []


def _state(chat: ChatTab, updates: dict[Any, Any]) -> list[Any]:
    return [updates[chat.messages], updates[chat.ids], updates[chat.conversation], updates[chat.interview]]


def test_the_chat_shows_the_options_under_the_question_and_the_interview_buttons(advisor: Advisor) -> None:
    with gr.Blocks():
        chat = ChatTab(advisor, "secret")
    request = gr.Request(username="local")
    started = {**chat.interviewing._start([], [], None, request), chat.interview: {"phase": "client"}}
    *_, named = chat.respond("Acme Ltd", *_state(chat, started)[:3], {"phase": "client"}, request)
    *_, sized = chat.respond("200", *_state(chat, named), request)
    options = sized[chat.chatbot][-1]["options"]
    buttons = {label: sized[button]["visible"] for label, button in chat.interviewing.buttons.items()}
    assert options and buttons == {SKIP: True, PAUSE: True, RESUME: False}
    click = gr.SelectData(chat.chatbot, {"index": 0, "value": options[0]["value"]})
    *_, picked = chat.selected(chat.interviewing._option)(*_state(chat, sized), click, request)
    assert picked[chat.chatbot][-2]["content"] == options[0]["label"]
    assert picked[chat.chatbot][-1]["content"].startswith("Recorded:")


# The reading of free text (readiness/parsing.py) shown, asked back and corrected, on the service alone.


@pytest.fixture
def interview_only(tmp_path: Path) -> Any:
    return SimpleNamespace(assessments=make_service(tmp_path))


def test_chat_interview_shows_how_a_reply_was_read(interview_only: Any) -> None:
    step = chat_interview.step(interview_only, _started(interview_only), "roughly 200 people", "local")
    assert "*Read as: 200 people.* Say *back* to correct it." in step.reply


def test_chat_interview_asks_back_an_unclear_reply_and_stays_on_the_question(interview_only: Any) -> None:
    state = _started(interview_only)
    step = chat_interview.step(interview_only, state, "a few hundred", "local")
    assert step.reply.startswith("Roughly how many?") and step.state == state


def test_chat_interview_goes_back_to_correct_a_misread_reply(interview_only: Any) -> None:
    state = chat_interview.step(interview_only, _started(interview_only), "2k", "local").state
    assert state is not None and state["question"] == "ctx_industry"
    step = chat_interview.step(interview_only, state, "back", "local")
    assert step.state is not None and step.state["question"] == "ctx_company_size"
    assert "You said: *2k*" in step.reply
