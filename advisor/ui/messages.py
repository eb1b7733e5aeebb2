"""Chat messages as shown in the page: answers with their numbered, expandable sources."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from advisor.answer import Citation
from advisor.ui.citations import linked, sources_html

Message = dict[str, Any]
EXAMPLES = [
    "What is business process outsourcing?",
    "What are the benefits and risks of offshore outsourcing?",
    "Which processes should we outsource first?",
    "What should an outsourcing contract include?",
    "Are we ready to outsource?",
]


def answer_content(text: str, citations: Sequence[Citation], refused: bool = False) -> str:
    """The answer's text with its `[n]` marks linked to its sources below (or, if declined, a hint)."""
    body = linked(text, citations)
    if refused:
        tips = "".join(f"<li>{html.escape(q)}</li>" for q in EXAMPLES[:3])
        body += f'\n\n<div class="declined"><strong>You could ask, for example:</strong><ul>{tips}</ul></div>'
    if citations:
        body += "\n\n" + sources_html(citations, text)
    return body


def turns_to_messages(turns: Sequence[Any]) -> tuple[list[Message], list[str | None]]:
    """Chat messages for stored turns, and the message id behind each (None for the person's turns)."""
    messages: list[Message] = []
    ids: list[str | None] = []
    for turn in turns:
        if turn.role == "user":
            messages.append(user(turn.text))
            ids.append(None)
        else:
            refused = bool(turn.meta.get("refused"))
            messages.append(assistant(answer_content(turn.text, turn.citations, refused)))
            ids.append(turn.id if not turn.meta.get("interview") else None)
    return messages, ids


def user(text: str) -> Message:
    """A message from the person."""
    return {"role": "user", "content": text}


def assistant(text: str, options: Sequence[dict[str, str]] = ()) -> Message:
    """A message from the advisor, with any buttons to show under it (only the last message shows them)."""
    return {"role": "assistant", "content": text, **({"options": list(options)} if options else {})}
