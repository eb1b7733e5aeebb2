"""Asking: an answer with citations in a conversation the server keeps, as JSON or Server-Sent Events."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from advisor.answer import Token
from advisor.api.deps import AdvisorDep, OwnerDep
from advisor.api.events import SSE_MEDIA_TYPE, guarded, primed, sse, sse_doc
from advisor.api.models import AskCreate, AskPublic, TokenEvent
from advisor.service import Reply

router = APIRouter(tags=["ask"])
_STREAM_DOC = sse_doc(
    {
        "token": TokenEvent.model_json_schema(),
        "answer": {"$ref": "#/components/schemas/AskPublic"},
        "done": {"type": "object", "properties": {}},
        "error": {"$ref": "#/components/schemas/ErrorPublic"},
    },
    'event: token\ndata: {"text": "Nearshore outsourcing moves work"}\n\nevent: answer\ndata: {"answer": "...", '
    '"refused": false, "citations": [], "conversation_id": "...", "message_id": "..."}\n\nevent: done\ndata: {}\n\n',
)


@router.post("/ask", response_model=AskPublic, responses={200: _STREAM_DOC})
def ask(body: AskCreate, advisor: AdvisorDep, owner: OwnerDep) -> AskPublic | StreamingResponse:
    """Answer a question, citing sources; follow-ups send only the new question and the conversation_id."""
    if body.stream:
        pieces = primed(advisor.converse_stream(body.question, body.conversation_id, owner))
        return StreamingResponse(guarded(_events(pieces), _error_events), media_type=SSE_MEDIA_TYPE)
    return ask_public(advisor.converse(body.question, body.conversation_id, owner))


def ask_public(reply: Reply) -> AskPublic:
    """The JSON shape of a reply."""
    answer = reply.answer
    return AskPublic(
        answer=answer.text, refused=answer.refused, citations=answer.citations,
        conversation_id=reply.conversation_id, message_id=reply.message_id,
    )  # fmt: skip


def _events(pieces: Iterator[Token | Reply]) -> Iterator[str]:
    # event "token" for each piece of text, then "answer" with citations and ids, then "done".
    for piece in pieces:
        if isinstance(piece, Reply):
            yield sse(ask_public(piece).model_dump(mode="json"), event="answer")
        else:
            yield sse({"text": piece.text}, event="token")
    yield sse({}, event="done")


def _error_events(message: str) -> Iterator[str]:
    yield sse({"error": {"type": "internal_error", "message": message}}, event="error")
    yield sse({}, event="done")
