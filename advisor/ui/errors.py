"""Errors shown in the page as a friendly notice beside the control that caused them, never as tracebacks."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from typing import Any

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


class Notice(Exception):
    """Something the person should do differently (no answer chosen, nothing to compare), said in plain words."""


def message_for(exc: Exception) -> tuple[str, str]:
    """The (title, message) to show a person for an error; unexpected errors get a generic message."""
    if isinstance(exc, Notice):
        return "", str(exc)
    if isinstance(exc, gr.Error):
        return exc.title, exc.message
    for kind, title in _TITLES:
        if isinstance(exc, kind):
            text = f"nothing found for {exc.args[0]!r}" if isinstance(exc, KeyError) and exc.args else str(exc)
            return title, text[:1].upper() + text[1:] if text else title
    return "Sorry", UNEXPECTED


def notice_html(exc: Exception) -> str:
    """An error as a notice block for a `gr.HTML` slot; unexpected errors are logged and get a generic message."""
    title, text = message_for(exc)
    if text == UNEXPECTED:
        log.error("ui_handler_failed error=%s", type(exc).__name__, exc_info=exc)
    head = f"<strong>{html.escape(title, quote=False)}:</strong> " if title else ""
    return f'<div class="notice" role="alert">{head}{html.escape(text, quote=False)}</div>'


def notice_slot(elem_id: str) -> gr.HTML:
    """An empty place for a handler's notice, right under the controls it is about."""
    return gr.HTML("", elem_id=elem_id, elem_classes="notice-slot", padding=False)


def in_place(handler: Callable[..., dict[Any, Any]], slot: gr.HTML) -> Callable[..., dict[Any, Any]]:
    """Wrap a handler that returns updates: its errors become a notice in `slot`, a success clears the slot.

    The updates always name at least the slot, so Gradio never sees an empty result (which it would read as
    one value for every output and answer with "didn't return enough output values").
    """

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> dict[Any, Any]:
        try:
            return {slot: "", **handler(*args, **kwargs)}
        except Exception as exc:  # every error is shown in place; unexpected ones are logged by notice_html
            return {slot: notice_html(exc)}

    return run
