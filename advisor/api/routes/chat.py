"""OpenAI-compatible chat completions (model "bpo-advisor"); the sources ride along in ``bpo_sources``."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from advisor.answer import Answer, Event, Final
from advisor.api.deps import AdvisorDep
from advisor.api.errors import ApiError
from advisor.api.events import SSE_DOC, SSE_MEDIA_TYPE, guarded, primed, sse
from advisor.api.models import MODEL_NAME, ChatCompletionCreate, ChatMessage

router = APIRouter(tags=["openai"])
_EXTRA_DOC = (
    "Each completion (and the last chunk of a stream) carries `bpo_sources`, the cited passages, where "
    "[n] in the text refers to the source with n, and `bpo_refused`, true when the question is outside "
    "the knowledge base."
)


@router.get("/models")
def list_models() -> dict[str, Any]:
    """The models this server offers (one: bpo-advisor), in OpenAI's shape."""
    return {"object": "list", "data": [{"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "bpo"}]}


@router.post("/chat/completions", responses={200: SSE_DOC}, description=_EXTRA_DOC)
def chat_completions(body: ChatCompletionCreate, advisor: AdvisorDep) -> Any:
    """Answer the last user message, with earlier messages as the history; OpenAI's request and response shape."""
    if body.model != MODEL_NAME:
        raise ApiError(404, f"model {body.model!r} does not exist; use {MODEL_NAME!r}", "model_not_found")
    question, history = _question_and_history(body.messages)
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    if body.stream:
        pieces = primed(advisor.stream(question, history))
        chunks = _chunks(pieces, completion_id, created)
        return StreamingResponse(guarded(chunks, _error_chunks), media_type=SSE_MEDIA_TYPE)
    answer = advisor.ask(question, history)
    return {
        "id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_NAME,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text}, "finish_reason": "stop"}],
        "usage": None,
        **_extras(answer),
    }  # fmt: skip


def _question_and_history(messages: list[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    last = messages[-1]
    if last.role != "user":
        raise ApiError(422, f"messages: the last message must have role 'user' (it has {last.role!r})")
    history = [(str(m.role), _text(m)) for m in messages[:-1] if m.role in ("user", "assistant")]
    return _text(last), history


def _text(message: ChatMessage) -> str:
    if isinstance(message.content, list):
        return "".join(str(part.get("text", "")) for part in message.content if part.get("type") == "text")
    return message.content or ""


def _extras(answer: Answer) -> dict[str, Any]:
    return {"bpo_sources": [c.model_dump() for c in answer.citations], "bpo_refused": answer.refused}


def _chunk(completion_id: str, created: int, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL_NAME,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }  # fmt: skip


def _chunks(events: Iterator[Event], completion_id: str, created: int) -> Iterator[str]:
    yield sse(_chunk(completion_id, created, {"role": "assistant", "content": ""}))
    for event in events:
        if isinstance(event, Final):
            yield sse({**_chunk(completion_id, created, {}, "stop"), **_extras(event.answer)})
        else:
            yield sse(_chunk(completion_id, created, {"content": event.text}))
    yield sse("[DONE]")


def _error_chunks(message: str) -> Iterator[str]:
    yield sse({"error": {"type": "internal_error", "message": message}})
    yield sse("[DONE]")
