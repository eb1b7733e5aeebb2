"""The readiness interview inside the chat: plain-words answers, one question at a time, via the free-text parser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from advisor.readiness.errors import AskBack, InvalidAnswer
from advisor.readiness.results import QuestionView, Result
from advisor.service import Advisor
from advisor.ui import results

_YES = re.compile(r"^\s*(yes|yeah|yep|sure|ok(ay)?|please|let'?s|go( ahead)?|start|why not|absolutely)\b", re.I)
_STOP = re.compile(r"^\s*(stop|pause|cancel|quit|exit|later|not now)\b", re.I)
_BACK = re.compile(r"^\s*(back|go back|undo|correct (it|that))\s*[.!]?\s*$", re.I)
ASK_CLIENT = "Great, let's start. First: what is your company called?"


@dataclass
class Step:
    """What the interview says next, its new state (None once over) and the finished assessment's result."""

    reply: str
    state: dict[str, Any] | None
    finished: Result | None = None


def accepts(text: str) -> bool:
    """Whether a reply to the readiness offer means "yes, start"."""
    return bool(_YES.search(text))


def begin() -> Step:
    """Start the in-chat interview by asking for the company's name."""
    return Step(ASK_CLIENT, {"phase": "client"})


def step(advisor: Advisor, state: dict[str, Any], text: str, owner: str) -> Step:
    """Take one reply in plain words, as `owner`, and return the next question, a re-ask, or the results summary."""
    service = advisor.assessments
    if _STOP.search(text):
        aid = state.get("id")
        where = f" Resume any time in the **Readiness check** tab with id `{aid}`." if aid else ""
        return Step("Interview paused." + where, None)
    if state.get("phase") == "client":
        aid = service.start(text, mode="self", owner=owner).id
        return _ask_next(advisor, aid, owner, intro=f"Thanks. Assessment `{aid}` started for **{text.strip()}**.\n\n")
    aid, qid = state["id"], state["question"]
    if _BACK.search(text):
        return _go_back(advisor, aid, qid, owner)
    try:
        stored = service.answer(aid, qid, text=text, owner=owner)
    except AskBack as unclear:
        return Step(f"{unclear.prompt}\n\n" + prompt(service.question(aid, qid, owner)), state)
    except InvalidAnswer as exc:
        view = service.question(aid, qid, owner)
        return Step(f"Sorry, I could not read that as an answer. {exc}\n\n" + prompt(view), state)
    return _ask_next(advisor, aid, owner, intro=f"*{stored.reading}.* Say *back* to correct it.\n\n")


def prompt(view: QuestionView) -> str:
    """A question as a chat message: its text, why we ask, and the answers it takes."""
    area = view.dimension_name or "About you"
    return (
        f"**Question {view.position} of {view.total}** · {area}\n\n{view.text}\n\n"
        f"<small>Why we ask: {view.help}</small>\n\n"
        f"<small>Answer in your own words: {_choices(view)}. You can also say *skip*, *don't know*, *back* "
        f"or *stop*.</small>"
    )


def _go_back(advisor: Advisor, aid: str, qid: str, owner: str) -> Step:
    view = advisor.assessments.back(aid, owner) or advisor.assessments.question(aid, qid, owner)
    said = f" You said: *{view.previous.raw_text or view.previous.label}*." if view.previous else ""
    return Step(f"Let's correct that.{said}\n\n" + prompt(view), {"id": aid, "question": view.id})


def _ask_next(advisor: Advisor, aid: str, owner: str, intro: str = "") -> Step:
    service = advisor.assessments
    view = service.next_question(aid, owner)
    if view is not None:
        return Step(intro + prompt(view), {"id": aid, "question": view.id})
    result = service.finish(aid, owner)
    summary = results.summary_text(result)
    return Step(
        f"{intro}That's every question. {summary}\n\nThe full report, with the radar chart and every recommendation "
        f"and its sources, is ready to download below. You can also open it any time in the **Readiness "
        f"check** tab with id `{aid}`.",
        None,
        finished=result,
    )


def _choices(view: QuestionView) -> str:
    if view.type == "scale":
        return "a number from 1 to 5 (" + "; ".join(f"{k} = {v}" for k, v in sorted(view.anchors.items())) + ")"
    if view.options:
        many = "one or more of" if view.type == "multi" else "one of"
        return f"{many} " + ", ".join(o.label for o in view.options)
    return view.allowed
