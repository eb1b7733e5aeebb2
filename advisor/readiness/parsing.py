"""Reading replies as typed answers: free text ("yes, mostly", "about 200", "4 out of 5"), values, imports."""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import BaseModel

from advisor.readiness.answers import allowed, validate
from advisor.readiness.errors import InvalidAnswer, ParseError
from advisor.readiness.questionnaire import Option, Question
from advisor.readiness.results import Response, Status

_DONT_KNOW = r"\b(don'?t know|do not know|dunno|not sure|unsure|no idea|can'?t say|cannot say|unknown|idk)\b"
_SKIP = r"^(skip|pass|next|skip (it|this|this one)|rather not say|prefer not to say|n/?a)[.!]?$"
_STRONG_NO = r"\b(absolutely not|definitely not|certainly not|of course not|not at all)\b"
_PARTLY = (
    r"\b(partly|partially|mostly|largely|somewhat|some|in part|sort of|kind of|kinda|to some extent|"
    r"to a degree|more or less|not fully|not entirely|not completely|half|halfway|in progress|"
    r"working on it|a bit|a little|yes and no|yes,? but|in places)\b"
)
_NO = r"\b(no|nope|nah|never|none|not yet|we don'?t|we do not|not really|negative|n)\b"
_YES = (
    r"\b(yes|yeah|yep|yup|sure|definitely|absolutely|of course|certainly|indeed|correct|fully|completely|"
    r"we do|we have|y|totally)\b"
)
_SCALE_WORDS = [
    (r"\b(very well|excellent|extremely|perfectly|fully|completely|very high)\b", 5),
    (r"\b(not very well|not well|poorly|badly|barely|very little|low)\b", 2),
    (r"\b(not at all|none|nothing|very poorly|very low)\b", 1),
    (r"\b(somewhat|moderately|average|okay|ok|so-so|partly|medium|middling)\b", 3),
    (r"\b(well|good|mostly|high|largely)\b", 4),
]
_UNITS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_WORDS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
_STATUS: dict[str, Status] = {"answer": "answered", "skip": "skipped", "dont_know": "dont_know"}
_NUMBER = r"(\d+(?:\.\d+)?)\s*(k|thousand|mn|m|million|bn|billion)?\b"
_RANGE = rf"(?:between\s+)?{_NUMBER}\s*(?:-|–|to|and)\s*{_NUMBER}"


class Reply(BaseModel):
    """A free-text reply read as an answer, a "don't know" or a request to skip."""

    kind: Literal["answer", "dont_know", "skip"]
    value: Any = None


def parse_reply(question: Question, text: str) -> Reply:
    """Read a reply to ``question``; raise ParseError (listing the allowed answers) when unreadable."""
    clean = _normalise(text)
    if not clean:
        raise ParseError(f"{question.id}: empty reply; please answer with {allowed(question)}")
    if question.type != "text" and re.search(_SKIP, clean):
        return Reply(kind="skip")
    if question.type != "text" and re.search(_DONT_KNOW, clean):
        return Reply(kind="dont_know")
    reader = {
        "scale": _scale,
        "yes_partly_no": _yes_partly_no,
        "single": _single,
        "multi": _multi,
        "number": _number,
        "text": lambda _q, _t: text.strip(),
    }[question.type]
    value = reader(question, clean)
    if value is None:
        raise ParseError(f"{question.id}: could not read {text.strip()!r}; please answer with {allowed(question)}")
    try:
        return Reply(kind="answer", value=validate(question, value))
    except InvalidAnswer as exc:
        raise ParseError(str(exc)) from None


def read_answer(question: Question, value: Any, text: str | None) -> tuple[Status, Any]:
    """A typed ``value`` (or, failing that, a string value or ``text`` read as a reply) as (status, value)."""
    if value is not None:
        try:
            return "answered", validate(question, value)
        except InvalidAnswer:
            if not isinstance(value, str) or question.type == "text":
                raise
            text = value
    if text is None:
        raise InvalidAnswer(f"{question.id}: no answer given; expected {allowed(question)}")
    reply = parse_reply(question, text)
    return _STATUS[reply.kind], reply.value


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
    read_status, value = read_answer(question, envelope.get("value"), text)
    return Response(question_id=question.id, status=read_status, value=value, note=note, text=text)


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def _yes_partly_no(_question: Question, text: str) -> str | None:
    for pattern, value in ((_STRONG_NO, "no"), (_PARTLY, "partly"), (_NO, "no"), (_YES, "yes")):
        if re.search(pattern, text):
            return value
    return None


def _scale(question: Question, text: str) -> int | float | None:
    text = re.sub(r"\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", lambda m: str(_WORDS[m[0]]), text)
    out_of = re.search(r"(\d+(?:\.\d+)?)\s*(?:/|out of|of)\s*(\d+)", text)
    if out_of:
        top = float(out_of.group(2))
        return math.floor(float(out_of.group(1)) / top * 5 + 0.5) if top else None
    numbers = re.findall(r"\b\d+(?:\.\d+)?\b", text)
    if len(set(numbers)) == 1:
        return float(numbers[0])
    if numbers:
        return None
    for number, anchor in question.anchors.items():
        if _mention(text, anchor.lower()) or (len(text) >= 8 and text in anchor.lower()):
            return number
    return next((score for pattern, score in _SCALE_WORDS if re.search(pattern, text)), None)


def _number(_question: Question, text: str) -> float | None:
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text).replace("$", "").replace("€", "").replace("£", "")
    span = re.search(_RANGE, text)
    if span:
        low = _scaled(span.group(1), span.group(2) or span.group(4))
        high = _scaled(span.group(3), span.group(4))
        return (low + high) / 2
    found = re.search(_NUMBER, text)
    if found:
        return _scaled(found.group(1), found.group(2))
    return _number_from_words(text)


def _scaled(digits: str, unit: str | None) -> float:
    return float(digits) * _UNITS.get(unit or "", 1)


def _number_from_words(text: str) -> float | None:
    total, current, seen = 0.0, 0.0, False
    for word in re.findall(r"[a-z]+", text.replace("-", " ")):
        if word in _WORDS and word not in ("a", "an"):
            current += _WORDS[word]
            seen = True
        elif word in _MULTIPLIERS:
            current = (current or 1) * _MULTIPLIERS[word]
            seen = True
            if _MULTIPLIERS[word] >= 1000:
                total, current = total + current, 0.0
    return total + current if seen else None


def _single(question: Question, text: str) -> str | None:
    matches = _matching_options(question, text)
    if len(matches) == 1:
        return matches[0].value
    if not matches and text.isdigit() and 1 <= int(text) <= len(question.options):
        return question.options[int(text) - 1].value
    return None


def _multi(question: Question, text: str) -> list[str] | None:
    if re.search(r"\b(all|all of them|everything|all of the above)\b", text):
        return [o.value for o in question.options]
    matches = _matching_options(question, text)
    return [o.value for o in matches] or None


def _matching_options(question: Question, text: str) -> list[Option]:
    spans: list[tuple[Option, int, int]] = []
    for option in question.options:
        phrases = [option.value.replace("_", " "), option.label.lower(), *(a.lower() for a in option.aliases)]
        found = [m.span() for p in phrases if (m := _mention(text, p))]
        if not found and len(text) >= 4 and text in option.label.lower():
            found = [(0, len(text))]
        if found:
            start, end = max(found, key=lambda span: span[1] - span[0])
            spans.append((option, start, end))
    # A match inside a longer match belongs to it: "routine" inside "a mix of routine and judgement".
    return [o for o, s, e in spans if not any((s2 <= s and e <= e2) and (e2 - s2) > (e - s) for _, s2, e2 in spans)]


def _mention(text: str, phrase: str) -> re.Match[str] | None:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) if phrase else None
