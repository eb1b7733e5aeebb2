"""The readiness interview inside the chat: one question at a time, its options as buttons, a way out and back.

The interview's state is a plain dict kept in the page: ``{"offered": True}`` after the chat offered it,
``{"phase": "client"}`` while asking for the company, ``{"id", "question"}`` while asking a question, plus
``"paused": True`` once paused and ``"pending": text`` while asking whether a message was a question for us.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from advisor.readiness.errors import AskBack, InvalidAnswer
from advisor.readiness.results import QuestionView, Response, Result
from advisor.service import Advisor
from advisor.ui import results

_YES = re.compile(r"^\s*(yes|yeah|yep|sure|ok(ay)?|please|let'?s|go( ahead)?|start|why not|absolutely)\b", re.I)
_STOP = re.compile(r"^\s*(stop|pause|cancel|quit|exit|later|not now)\b[.!]?\s*$", re.I)
_ASKING = re.compile(
    r"(\?\s*$)|^\s*(what|how|why|should|could|would|can|which|when|where|who|whom|whose|is it|are there|"
    r"do you|does|will|explain|tell me|help)\b",
    re.I,
)
_BACK = re.compile(r"^\s*(back|go back|undo|correct (it|that))\s*[.!]?\s*$", re.I)
_QUANTITY = re.compile(r"^\s*(about|around|roughly|approximately|some|over|under|~)?\s*\d", re.I)
ASK_CLIENT = "Great, let's start. First: what is your company called?"
SKIP, PAUSE, RESUME = "Skip", "Pause", "Back to questions"
ASK_IT, USE_IT = "Answer my question", "Use it as my answer"
_ANSWER = "answer:"


@dataclass
class Step:
    """What the interview says next, its new state (None once over), the buttons under it and any results.

    ``ask`` is a message the person confirmed was a question for the assistant: the chat answers it.
    """

    reply: str
    state: dict[str, Any] | None
    finished: Result | None = None
    options: list[dict[str, str]] = field(default_factory=list)
    ask: str | None = None


def accepts(text: str) -> bool:
    """Whether a reply to the readiness offer means "yes, start"."""
    return bool(_YES.search(text))


def asks_something(text: str) -> bool:
    """Whether a message reads as a question to the assistant rather than an answer."""
    return bool(_ASKING.search(text))


def running(state: dict[str, Any] | None) -> bool:
    """Whether messages typed now go to the interview (it is started and not paused)."""
    return state is not None and bool(state) and not state.get("offered") and not state.get("paused")


def begin() -> Step:
    """Start the in-chat interview by asking for the company's name."""
    return Step(ASK_CLIENT, {"phase": "client"})


def step(advisor: Advisor, state: dict[str, Any], text: str, owner: str) -> Step:
    """Take one typed message, as `owner`: an answer, "stop", or a question we check before taking as an answer."""
    if _STOP.search(text):
        return pause(state)
    if _BACK.search(text) and state.get("question"):
        return _go_back(advisor, state, owner)
    if asks_something(text):
        return Step(
            "That sounds like a question for me rather than an answer. Shall I answer it, or take it as your "
            "answer to the interview question?",
            {**state, "pending": text},
            options=_buttons(ASK_IT, USE_IT),
        )
    if state.get("phase") == "client" and _QUANTITY.search(text):
        return Step(
            "That looks like a number rather than a company name (the size comes next). What is your company called?",
            {**state, "pending": text},
            options=_buttons(USE_IT),
        )
    return _take(advisor, state, text, owner)


def choose(advisor: Advisor, state: dict[str, Any], picked: str, owner: str) -> Step:
    """Act on a clicked button: an answer option, Skip, Pause, Back to questions, or the question check."""
    clean = {k: v for k, v in state.items() if k != "pending"}
    if picked == PAUSE:
        return pause(clean)
    if picked == RESUME:
        return _ask_next(advisor, clean["id"], owner, intro="Welcome back. ") if "id" in clean else begin()
    if picked == ASK_IT:
        return Step("", {**clean, "paused": True}, ask=state.get("pending"))
    if picked == USE_IT and state.get("pending"):
        return _take(advisor, clean, str(state["pending"]), owner)
    if "question" not in clean:
        return Step("Please type your company's name first.", clean)
    if picked == SKIP:
        advisor.assessments.skip(clean["id"], clean["question"], owner=owner)
        return _ask_next(advisor, clean["id"], owner, intro="Skipped. ")
    if picked.startswith(_ANSWER):
        return _record(advisor, clean, owner, value=_typed(advisor, clean, picked.removeprefix(_ANSWER), owner))
    return _record(advisor, clean, owner, text=picked)


def pause(state: dict[str, Any]) -> Step:
    """Pause the interview; the person can come back with "Back to questions" or the Readiness check tab."""
    aid = state.get("id")
    if not aid:
        return Step("Interview stopped. Ask me anything, or start the readiness check again any time.", None)
    return Step(
        f"Interview paused. Ask me anything in the meantime; press **{RESUME}** to carry on, or resume in the "
        f"**Readiness check** tab with id `{aid}`.",
        {"id": aid, "question": state.get("question"), "paused": True},
    )


def prompt(view: QuestionView) -> str:
    """A question as a chat message: its text, why we ask, and the answers it takes."""
    area = view.dimension_name or "About you"
    how = "Pick an option below, or answer" if _options(view) else "Answer"
    return (
        f"**Question {view.position} of about {view.total}** · {area}\n\n{view.text}\n\n"
        f"*Why we ask:* {view.help}\n\n"
        f'*{how} in your own words: {_choices(view)}. You can also say "don\'t know" or "back", or use {SKIP} '
        f"or {PAUSE}.*"
    )


def _take(advisor: Advisor, state: dict[str, Any], text: str, owner: str) -> Step:
    if state.get("phase") == "client":
        client = text.strip()[:120]
        aid = advisor.assessments.start(client, mode="self", owner=owner).id
        return _ask_next(advisor, aid, owner, intro=f"Recorded: **{client}**. Assessment `{aid}` started.\n\n")
    return _record(advisor, state, owner, text=text)


def _record(advisor: Advisor, state: dict[str, Any], owner: str, text: str | None = None, value: Any = None) -> Step:
    aid, qid = state["id"], state["question"]
    try:
        saved = advisor.assessments.answer(aid, qid, value=value, text=text, owner=owner)
    except AskBack as unclear:
        view = advisor.assessments.question(aid, qid, owner)
        return Step(f"{unclear.prompt}\n\n" + prompt(view), state, options=_options(view))
    except InvalidAnswer:
        view = advisor.assessments.question(aid, qid, owner)
        return Step(
            f"Sorry, I could not read that as an answer to this question. It takes {_choices(view)}.\n\n"
            + prompt(view),
            state,
            options=_options(view),
        )
    return _ask_next(advisor, aid, owner, intro=_recorded(saved))


def _recorded(saved: Response) -> str:
    # The reading of the person's own words ("Read as: 2 of 5, ...") is shown so they can correct it.
    said = {"answered": saved.label, "dont_know": "don't know", "skipped": "skipped"}[saved.status]
    reading = f" *{saved.reading.rstrip('.')}.* Say *back* to correct it." if saved.reading else ""
    return f"Recorded: **{said}**.{reading}\n\n"


def _go_back(advisor: Advisor, state: dict[str, Any], owner: str) -> Step:
    aid, qid = state["id"], state["question"]
    view = advisor.assessments.back(aid, owner) or advisor.assessments.question(aid, qid, owner)
    said = f" You said: *{view.previous.raw_text or view.previous.label}*." if view.previous else ""
    reply = f"Let's correct that.{said}\n\n" + prompt(view)
    return Step(reply, {"id": aid, "question": view.id}, options=_options(view))


def _typed(advisor: Advisor, state: dict[str, Any], value: str, owner: str) -> Any:
    view = advisor.assessments.question(state["id"], state["question"], owner)
    return int(value) if view.type == "scale" and value.isdigit() else value


def _ask_next(advisor: Advisor, aid: str, owner: str, intro: str = "") -> Step:
    service = advisor.assessments
    view = service.next_question(aid, owner)
    if view is not None:
        return Step(intro + prompt(view), {"id": aid, "question": view.id}, options=_options(view))
    result = service.finish(aid, owner)
    return Step(
        f"{intro}That's every question. {results.summary_text(result)}\n\nThe full report, with the radar chart "
        f"and every recommendation and its sources, is ready to download below. You can also open it any time "
        f"in the **Readiness check** tab with id `{aid}`.",
        None,
        finished=result,
    )


def _options(view: QuestionView) -> list[dict[str, str]]:
    if view.type == "scale":
        return [{"value": f"{_ANSWER}{n}", "label": f"{n} · {view.anchors.get(n, n)}"} for n in range(1, 6)]
    if view.type in ("yes_partly_no", "single"):
        return [{"value": f"{_ANSWER}{o.value}", "label": o.label} for o in view.options]
    return []


def _buttons(*labels: str) -> list[dict[str, str]]:
    return [{"value": label, "label": label} for label in labels]


def _choices(view: QuestionView) -> str:
    if view.type == "scale":
        return "a number from 1 to 5 (" + "; ".join(f"{k} = {v}" for k, v in sorted(view.anchors.items())) + ")"
    if view.options:
        many = "one or more of" if view.type == "multi" else "one of"
        return f"{many} " + ", ".join(o.label for o in view.options)
    if view.type == "number":
        return f"a number{' of ' + view.unit if view.unit else ''}"
    return "a short text"
