"""What a valid answer to each question type is, how to describe the allowed answers, and labels."""

from __future__ import annotations

import math
from typing import Any

from advisor.readiness.errors import InvalidAnswer
from advisor.readiness.questionnaire import Question

MAX_TEXT = 4000


def allowed(question: Question) -> str:
    """A one-line description of the answers this question accepts."""
    if question.type == "scale":
        anchors = "; ".join(f"{k} = {v}" for k, v in sorted(question.anchors.items()))
        return f"a whole number from 1 to 5 ({anchors})"
    if question.type in ("yes_partly_no", "single"):
        return "one of: " + ", ".join(f"{o.value} ({o.label})" for o in question.options)
    if question.type == "multi":
        return "one or more of: " + ", ".join(f"{o.value} ({o.label})" for o in question.options)
    if question.type == "number":
        low = _fmt(question.min) if question.min is not None else "any"
        high = _fmt(question.max) if question.max is not None else "any"
        return f"a number ({low} to {high}{' ' + question.unit if question.unit else ''})"
    return f"free text (up to {MAX_TEXT} characters)"


def validate(question: Question, value: Any) -> Any:
    """Return the normalised value, or raise InvalidAnswer saying what is allowed."""
    checker = {
        "scale": _scale,
        "yes_partly_no": _choice,
        "single": _choice,
        "multi": _multi,
        "number": _number,
        "text": _text,
    }[question.type]
    normalised = checker(question, value)
    if normalised is None:
        raise InvalidAnswer(f"{question.id}: {_why_not(question, value)}; expected {allowed(question)}")
    return normalised


def _why_not(question: Question, value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a number an answer can take (NaN and infinity are refused)"
    if question.type in ("number", "scale") and _finite(value):
        low, high = (1, 5) if question.type == "scale" else (question.min, question.max)
        if (low is not None and value < low) or (high is not None and value > high):
            return f"{_fmt(value)} is out of range"
    return f"{value!r} is not a valid answer"


def label(question: Question, value: Any) -> str:
    """The human-readable form of a stored value."""
    if question.type == "scale":
        return f"{value} ({question.anchors[value]})" if value in question.anchors else str(value)
    if question.type in ("yes_partly_no", "single"):
        option = question.option(str(value))
        return option.label if option else str(value)
    if question.type == "multi":
        return ", ".join(label(question.model_copy(update={"type": "single"}), v) for v in value)
    if question.type == "number":
        return f"{_fmt(value)}{' ' + question.unit if question.unit else ''}"
    return str(value)


def _scale(_question: Question, value: Any) -> int | None:
    if not _finite(value) or value != int(value):
        return None
    return int(value) if 1 <= value <= 5 else None


def _choice(question: Question, value: Any) -> str | None:
    if question.type == "yes_partly_no" and isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return None
    wanted = value.strip().lower()
    return next((o.value for o in question.options if o.value == wanted), None)


def _multi(question: Question, value: Any) -> list[str] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not value:
        return None
    chosen = [_choice(question, v) for v in value]
    if any(c is None for c in chosen):
        return None
    order = [o.value for o in question.options]
    return sorted({c for c in chosen if c}, key=order.index)


def _number(question: Question, value: Any) -> int | float | None:
    if not _finite(value):
        return None
    if (question.min is not None and value < question.min) or (question.max is not None and value > question.max):
        return None
    return int(value) if float(value).is_integer() else float(value)


def _finite(value: Any) -> bool:
    # NaN and infinity are numbers to Python and JSON parsers, never an answer.
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _text(_question: Question, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        return None
    return value.strip()


def _fmt(number: float | int) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"
