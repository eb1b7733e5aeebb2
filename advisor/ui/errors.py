"""Turning errors from the advisor into messages shown in the page, never tracebacks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import gradio as gr

from advisor.answering.responder import InvalidQuestion
from advisor.readiness.errors import AssessmentNotFound, InvalidAnswer, NotComparable
from advisor.storage import NotFound

log = logging.getLogger(__name__)

_TITLES: list[tuple[type[Exception], str]] = [
    (InvalidQuestion, "Please rephrase"),
    (InvalidAnswer, "That answer does not fit"),
    (NotComparable, "Cannot compare"),
    (AssessmentNotFound, "Not found"),
    (NotFound, "Not found"),
    (KeyError, "Not found"),
    (ValueError, "Please check your input"),
]
UNEXPECTED = "Something went wrong on our side. Please try again in a moment."


def message_for(exc: Exception) -> tuple[str, str]:
    """The (title, message) to show a person for an error; unexpected errors get a generic message."""
    for kind, title in _TITLES:
        if isinstance(exc, kind):
            text = f"nothing found for {exc.args[0]!r}" if isinstance(exc, KeyError) and exc.args else str(exc)
            return title, text[:1].upper() + text[1:] if text else title
    return "Sorry", UNEXPECTED


@contextmanager
def shown_errors() -> Iterator[None]:
    """Run a UI handler's body, re-raising any error as a `gr.Error` with a readable message."""
    try:
        yield
    except gr.Error:
        raise
    except Exception as exc:
        title, text = message_for(exc)
        if text == UNEXPECTED:
            log.exception("ui_handler_failed error=%s", type(exc).__name__)
        raise gr.Error(text, title=title, print_exception=False) from None
