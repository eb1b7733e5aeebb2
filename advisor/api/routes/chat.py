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
from advisor.api.models import MODEL_NAME, ChatCompletionCreate, ChatMessage, Usage
from advisor.text import TOKEN_LIKE, estimate_tokens, stream_pieces

router = APIRouter(tags=["openai"])
_EXTRA_DOC = (
    "Each completion (and the last chunk of a stream) carries `bpo_sources`, the cited passages, where "
    "[n] in the text refers to the source with n, and `bpo_refused`, true when the question is outside "
    "the knowledge base. System and developer messages are ignored (answers come only from the knowledge "
    "base): when there are any, `bpo_notes` says so. `max_tokens` (or `max_completion_tokens`) cuts the answer "
    "after about that many tokens, with finish_reason `length`. `usage` is an estimate: words and punctuation "
    "marks, not a model tokenizer's count; a stream sends it in a last chunk when `stream_options.include_usage` "
    "is true. A stream sends the answer sentence by sentence."
)
_IGNORED_ROLES = ("system", "developer")


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
    completion = _Completion(body, f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time()))
    if body.stream:
        pieces = primed(advisor.stream(question, history))
        return StreamingResponse(guarded(completion.chunks(pieces), _error_chunks), media_type=SSE_MEDIA_TYPE)
    answer = advisor.ask(question, history)
    text, finish = _limited(answer.text, completion.limit)
    return {
        "id": completion.id, "object": "chat.completion", "created": completion.created, "model": MODEL_NAME,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
        "usage": completion.usage(text).model_dump(),
        **completion.extras(answer),
    }  # fmt: skip


class _Completion:
    """One completion's identity, limits and notes, shared by its plain and streamed shapes."""

    def __init__(self, body: ChatCompletionCreate, completion_id: str, created: int) -> None:
        self.id, self.created = completion_id, created
        self.limit = body.max_tokens or body.max_completion_tokens
        self.include_usage = bool(body.stream_options and body.stream_options.include_usage)
        self.prompt_tokens = sum(estimate_tokens(_text(m)) for m in body.messages)
        ignored = any(m.role in _IGNORED_ROLES for m in body.messages)
        self.notes = ["system and developer messages are ignored: answers come only from the knowledge base"]
        self.notes = self.notes if ignored else []

    def usage(self, text: str) -> Usage:
        """The estimated token counts of this prompt and an answer text."""
        completion = estimate_tokens(text)
        return Usage(
            prompt_tokens=self.prompt_tokens, completion_tokens=completion, total_tokens=self.prompt_tokens + completion
        )

    def extras(self, answer: Answer) -> dict[str, Any]:
        """The sources, the refusal flag and any notes on what was ignored."""
        notes = {"bpo_notes": self.notes} if self.notes else {}
        return {"bpo_sources": [c.model_dump() for c in answer.citations], "bpo_refused": answer.refused, **notes}

    def chunk(self, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        """One chat.completion.chunk."""
        return {
            "id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": MODEL_NAME,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }  # fmt: skip

    def chunks(self, events: Iterator[Event]) -> Iterator[str]:
        """The stream: a role chunk, the text piece by piece (cut at the limit), the sources, usage, [DONE]."""
        yield sse(self.chunk({"role": "assistant", "content": ""}))
        sent, finish = "", "stop"
        for event in events:
            if isinstance(event, Final):
                yield sse({**self.chunk({}, finish), **self.extras(event.answer)})
                if self.include_usage:
                    yield sse({**self.chunk({}), "choices": [], "usage": self.usage(sent).model_dump()})
            elif finish == "stop":
                allowed, finish = _limited(sent + event.text, self.limit)
                for piece in stream_pieces(allowed[len(sent) :]):
                    yield sse(self.chunk({"content": piece}))
                sent = allowed
        yield sse("[DONE]")


def _limited(text: str, limit: int | None) -> tuple[str, str]:
    """The text cut after about `limit` estimated tokens (at a word's end), and the finish reason."""
    if limit is None or estimate_tokens(text) <= limit:
        return text, "stop"
    end = 0
    for count, match in enumerate(TOKEN_LIKE.finditer(text), 1):
        if count > limit:
            break
        end = match.end()
    return text[:end], "length"


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


def _error_chunks(message: str) -> Iterator[str]:
    yield sse({"error": {"type": "internal_error", "message": message}})
    yield sse("[DONE]")
