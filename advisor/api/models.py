"""Request and response bodies of the API (``XCreate`` comes in, ``XPublic`` goes out)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

from advisor.answer import Citation, Hit
from advisor.readiness.results import AssessmentSummary, Progress, QuestionView, Response
from advisor.retrieval import Mode

MODEL_NAME = "bpo-advisor"
NOT_BLANK = r"\S"  # at least one character that is not white space


class _Strict(BaseModel):
    # Unknown fields are an error, so a misspelt field name is reported instead of silently ignored.
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    """What went wrong, for a developer to act on."""

    type: str = Field(description="Machine-readable kind, e.g. not_found, invalid_request, rate_limited")
    message: str


class ErrorPublic(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


class ConversationUpdate(_Strict):
    """A new title for a conversation."""

    title: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK, description="Stored as one line, cut at 80")


class AskCreate(_Strict):
    """A question, optionally continuing a conversation the server keeps."""

    question: str = Field(
        min_length=1, pattern=NOT_BLANK, description="The question; follow-ups only send the new question"
    )
    conversation_id: str | None = Field(default=None, description="Continue this conversation; omit to start one")
    stream: bool = Field(
        default=False, strict=True, description="Answer as Server-Sent Events (token, answer, done; error)"
    )


class AskPublic(BaseModel):
    """An answer with its sources and the ids to continue the conversation or rate the answer."""

    answer: str
    refused: bool = Field(description="True when the question is outside the knowledge base")
    citations: list[Citation] = Field(description="Sources; [n] in the answer refers to citation n")
    conversation_id: str
    message_id: str = Field(description="The answer's id, for POST /v1/feedback")


class SearchCreate(_Strict):
    """A search of the knowledge base."""

    query: str = Field(min_length=1, pattern=NOT_BLANK)
    k: int = Field(default=5, ge=1, le=50, description="How many passages")
    topic: str | None = Field(default=None, description="Only passages of this topic (see /v1/topics)")
    mode: Mode = "hybrid"


class HitPublic(Hit):
    """One ranked passage: its Markdown `text` as indexed and a plain `snippet` to show."""

    snippet: str = Field(description="The passage as plain text (no Markdown), cut at a sentence or word")


class SearchPublic(BaseModel):
    """Ranked passages, best first."""

    hits: list[HitPublic]


class DocumentPublic(BaseModel):
    """A knowledge document as listed under its topic."""

    source: str
    title: str
    summary: str


class TopicsPublic(BaseModel):
    """Knowledge documents grouped by topic."""

    topics: dict[str, list[DocumentPublic]]


class FeedbackCreate(_Strict):
    """A rating of one answer."""

    message_id: str = Field(description="The message_id returned with the answer")
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=4000)


class AssessmentCreate(_Strict):
    """A new readiness assessment."""

    client: str = Field(min_length=1, max_length=200, description="The organisation being assessed")
    interviewer: str | None = Field(default=None, max_length=200)
    mode: Literal["self", "consultant"] = "self"


class AssessmentClone(_Strict):
    """A copy of an assessment's answers, for the same client or another."""

    client: str | None = Field(
        default=None, min_length=1, max_length=200, pattern=NOT_BLANK, description="Omit to keep the client"
    )


class AnswerCreate(_Strict):
    """An answer to one question: a typed ``value``, or free ``text`` read by the reply parser."""

    question_id: str = Field(min_length=1, pattern=NOT_BLANK)
    value: bool | int | FiniteFloat | str | list[str] | None = Field(
        default=None,
        description="Typed answer: 1-5 for scales, option values, a finite number, or a list for multi",
    )
    text: str | None = Field(default=None, max_length=4000, description="Free-text reply, e.g. 'mostly yes'")
    note: str | None = Field(default=None, max_length=4000)


class AssessmentPublic(BaseModel):
    """An assessment with its progress and the answers so far."""

    assessment: AssessmentSummary
    progress: Progress
    answers: list[Response]


class NextPublic(BaseModel):
    """The question to ask now (None when every question that applies has a response)."""

    question: QuestionView | None
    progress: Progress


class AnswerPublic(BaseModel):
    """The stored response and what to ask next."""

    response: Response
    next: QuestionView | None
    progress: Progress


class ChatMessage(BaseModel):
    """One message of an OpenAI-style chat; content is text or a list of text parts."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class StreamOptions(BaseModel):
    """OpenAI's stream options: `include_usage` adds a last chunk with `usage` and no choices."""

    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatCompletionCreate(BaseModel):
    """An OpenAI-compatible chat completion request.

    System and developer messages are ignored (answers come only from the knowledge base; the response says so in
    `bpo_notes`); `max_tokens` (or `max_completion_tokens`) is honoured; other OpenAI parameters (temperature,
    top_p, n, stop, tools, ...) are accepted and ignored.
    """

    model_config = ConfigDict(extra="allow")

    model: str = Field(default=MODEL_NAME, description=f"Must be {MODEL_NAME!r}")
    messages: list[ChatMessage] = Field(min_length=1, description="The last user message is the question")
    stream: bool = Field(default=False, strict=True)
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(
        default=None,
        ge=1,
        strict=True,
        description="Cut the answer after about this many tokens (estimated as words and punctuation marks); "
        "finish_reason is then `length`",
    )
    max_completion_tokens: int | None = Field(default=None, ge=1, strict=True, description="Same as max_tokens")


class Usage(BaseModel):
    """Token counts, estimated as words and punctuation marks (this server runs no model tokenizer)."""

    prompt_tokens: int = Field(description="Estimated tokens of every message sent, system messages included")
    completion_tokens: int = Field(description="Estimated tokens of the answer's text")
    total_tokens: int


class TokenEvent(BaseModel):
    """SSE event `token`: the next piece of the answer's text."""

    text: str


class StatusPublic(BaseModel):
    """A health or readiness status."""

    status: str
    chunks: int | None = None
    index: str | None = Field(default=None, description="complete, or stale: files changed since the last ingest")
    generation: int | None = Field(default=None, description="The last completed ingest's number")
    detail: str | None = None
