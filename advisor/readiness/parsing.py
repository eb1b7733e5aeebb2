"""Reading replies as typed answers: free text ("yes, mostly", "about 200", "4 out of 5"), values, imports.

Each question type has its reader (scales, polarity, choices, numbers); this module picks it, recognises
"don't know" and skips, and says how a reply was read or what to ask back when it is unclear.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

from advisor.readiness.answers import allowed, label, validate
from advisor.readiness.choices import read_multi, read_single
from advisor.readiness.errors import AskBack, InvalidAnswer, ParseError
from advisor.readiness.numbers import Amount, read_amount
from advisor.readiness.polarity import read_yes_partly_no
from advisor.readiness.questionnaire import Question
from advisor.readiness.results import Response, Status
from advisor.readiness.scales import describe_scale, read_scale
from advisor.readiness.wording import normalise, repair_typos

_DONT_KNOW = (
    r"\b(?:don'?t know|do not know|dunno|not sure|unsure|no idea|no clue|not a clue|can'?t say|cannot say|"
    r"unknown|idk|haven'?t a clue)\b"
)
_SKIP = r"^(?:skip|pass|next|skip (?:it|this|this one)|n/?a)[.!]?$|\b(?:rather not say|prefer not to say)\b"
_STATUS: dict[str, Status] = {"answer": "answered", "skip": "skipped", "dont_know": "dont_know"}
_YES_NO_WORDS = ["yes", "yeah", "nope", "nah", "never", "partly", "partially", "mostly"]


class Reply(BaseModel):
    """A free-text reply read as an answer, a "don't know", a skip, or a question to ask back when unclear."""

    kind: Literal["answer", "dont_know", "skip", "ask_back"]
    value: Any = None
    reading: str = Field(default="", description="How the reply was read, to show the person: 'Read as: ...'")
    prompt: str = Field(default="", description="The clarifying question, when the reply is asked back")


def parse_reply(question: Question, text: str) -> Reply:
    """Read a reply to ``question``: an answer with its reading, or ask_back when unsure.

    Raises ParseError (listing the allowed answers) when nothing in the reply can be read.
    """
    clean = _prepare(question, text)
    if not clean:
        raise ParseError(f"{question.id}: empty reply; please answer with {allowed(question)}")
    if question.type == "text":
        return _answer(question, text.strip())
    if re.search(_SKIP, clean):
        return Reply(kind="skip", reading="Read as: skipped")
    try:
        if re.search(_DONT_KNOW, clean) and _unread(question, re.sub(_DONT_KNOW, " ", clean)):
            return Reply(kind="dont_know", reading="Read as: don't know")
        value = _READERS[question.type](question, clean)
    except AskBack as unsure:
        return Reply(kind="ask_back", prompt=unsure.prompt)
    if value is None:
        raise ParseError(f"{question.id}: could not read {text.strip()!r}; please answer with {allowed(question)}")
    return _answer(question, value)


def describe(question: Question, value: Any) -> str:
    """The interpretation shown to the person: "Read as: 2 of 5, between ... and ...", "Read as: 200 people"."""
    if question.type == "scale" and isinstance(value, int):
        return f"Read as: {describe_scale(question, value)}"
    return f"Read as: {label(question, value)}"


def read_answer(question: Question, value: Any, text: str | None) -> tuple[Status, Any, str | None]:
    """A typed ``value`` (or, failing that, a string value or ``text`` read as a reply) as (status, value, words).

    ``words`` are the client's own words the value was read from (None for a typed value). A reply too unclear
    to read raises AskBack with the clarifying question.
    """
    if value is not None:
        try:
            return "answered", validate(question, value), None
        except InvalidAnswer:
            if not isinstance(value, str) or question.type == "text":
                raise
            text = value
    if text is None:
        raise InvalidAnswer(f"{question.id}: no answer given; expected {allowed(question)}")
    reply = parse_reply(question, text)
    if reply.kind == "ask_back":
        raise AskBack(reply.prompt, question.id)
    return _STATUS[reply.kind], reply.value, text.strip()


def read_entry(question: Question, entry: Any) -> Response:
    """One imported answer: a bare value, or {value|text, note, status: answered|skipped|dont_know}."""
    envelope = entry if isinstance(entry, dict) else {"value": entry}
    unknown = set(envelope) - {"value", "text", "note", "status"}
    if unknown:
        raise InvalidAnswer(f"{question.id}: unknown fields {sorted(unknown)}; use value, text, note, status")
    status, note, text = envelope.get("status", "answered"), envelope.get("note"), envelope.get("text")
    if status in ("skipped", "dont_know"):
        return Response(question_id=question.id, status=status, note=note)
    if status != "answered":
        raise InvalidAnswer(f"{question.id}: status {status!r} is not allowed; use answered, skipped, dont_know")
    read_status, value, words = read_answer(question, envelope.get("value"), text)
    return Response(question_id=question.id, status=read_status, value=value, note=note, raw_text=words)


def _answer(question: Question, value: Any) -> Reply:
    span = ""
    if isinstance(value, Amount):  # a range is read as its middle, and the reading says so
        span = f" (the middle of {value.low:g} to {value.high:g})" if value.low is not None else ""
        value = value.value
    try:
        checked = validate(question, value)
    except InvalidAnswer as exc:
        raise ParseError(str(exc)) from None
    return Reply(kind="answer", value=checked, reading=describe(question, checked) + span)


def _unread(question: Question, rest: str) -> bool:
    # "not sure" is a "don't know" unless the rest of the reply answers ("yes, but not sure it's enough").
    try:
        return _READERS[question.type](question, rest.strip(" ,.")) is None if rest.strip(" ,.") else True
    except AskBack:
        return True


def _prepare(question: Question, text: str) -> str:
    for option in question.options:  # aliases in capitals ("IT", "AP") match only in capitals
        for alias in (a for a in option.aliases if a.isupper() and len(a) > 1):
            text = re.sub(rf"(?<![A-Za-z]){alias}(?![A-Za-z])", option.label, text)
    clean = normalise(text)
    if question.type in ("number", "text"):
        return clean
    return repair_typos(clean, _vocabulary(question))


def _vocabulary(question: Question) -> list[str]:
    options = [p for o in question.options for p in (o.value.replace("_", " "), o.label, *o.aliases)]
    return [*options, *question.anchors.values(), *_YES_NO_WORDS]


def _number(question: Question, text: str) -> Amount | None:
    return read_amount(text, percent=question.unit == "%")


_READERS: dict[str, Callable[[Question, str], Any]] = {
    "scale": read_scale,
    "yes_partly_no": read_yes_partly_no,
    "single": read_single,
    "multi": read_multi,
    "number": _number,
}
