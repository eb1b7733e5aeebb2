"""The in-chat readiness interview: each reading shown, unclear replies asked back, "back" to correct."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from readiness_support import make_service

from advisor.ui import chat_interview


@pytest.fixture
def advisor(tmp_path: Path) -> Any:
    return SimpleNamespace(assessments=make_service(tmp_path))


def _started(advisor: Any) -> dict[str, Any]:
    state = chat_interview.step(advisor, chat_interview.begin().state or {}, "Acme", "local").state
    assert state is not None and state["question"] == "ctx_company_size"
    return state


def test_chat_interview_shows_how_a_reply_was_read(advisor: Any) -> None:
    step = chat_interview.step(advisor, _started(advisor), "roughly 200 people", "local")
    assert step.reply.startswith("*Read as: 200 people.* Say *back* to correct it.")


def test_chat_interview_asks_back_an_unclear_reply_and_stays_on_the_question(advisor: Any) -> None:
    state = _started(advisor)
    step = chat_interview.step(advisor, state, "a few hundred", "local")
    assert step.reply.startswith("Roughly how many?") and step.state == state


def test_chat_interview_goes_back_to_correct_a_misread_reply(advisor: Any) -> None:
    state = chat_interview.step(advisor, _started(advisor), "2k", "local").state
    assert state is not None and state["question"] == "ctx_industry"
    step = chat_interview.step(advisor, state, "back", "local")
    assert step.state is not None and step.state["question"] == "ctx_company_size"
    assert "You said: *2k*" in step.reply
