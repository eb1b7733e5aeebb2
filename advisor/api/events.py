"""Server-Sent Events: formatting, and running a stream's first step before the response starts."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

SSE_MEDIA_TYPE = "text/event-stream"


def sse_doc(events: dict[str, dict[str, Any]], example: str) -> dict[str, Any]:
    """The OpenAPI response entry of a stream: `schema` describes one event (OpenAPI 3.1), its data JSON by name."""
    names = ", ".join(f"`{name}`" for name in events)
    variants = [
        {
            "properties": {
                "event": {"const": name},
                "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": data},
            }
        }
        for name, data in events.items()
    ]
    event = {"type": "object", "required": ["event", "data"], "oneOf": variants}
    return {
        "content": {SSE_MEDIA_TYPE: {"schema": event, "example": example}},
        "description": f"The answer (JSON), or Server-Sent Events ({names}) when the request sets stream: true",
    }


SSE_DOC: dict[str, Any] = {
    "content": {SSE_MEDIA_TYPE: {"schema": {"type": "string"}}},
    "description": "The answer (JSON), or Server-Sent Events when the request sets stream: true",
}


def sse(data: Any, event: str | None = None) -> str:
    """One SSE message: an optional event name and a data line (JSON unless already a string)."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return (f"event: {event}\n" if event else "") + f"data: {payload}\n\n"


def primed(items: Iterator[T]) -> Iterator[T]:
    """Take the first item now, so bad input fails with a proper status before any event is sent."""
    first = list(itertools.islice(items, 1))
    return itertools.chain(first, items)


def guarded(events: Iterator[str], on_error: Callable[[str], Iterator[str]]) -> Iterator[str]:
    """Pass events through; once streaming, an error is logged and reported as events, never a traceback."""
    try:
        yield from events
    except Exception:
        log.exception("stream_failed")
        yield from on_error("internal error while streaming; the server log has the details")
