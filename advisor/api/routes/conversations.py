"""Stored conversations: list them, read one with its citations, export one as Markdown."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from advisor.api.deps import AdvisorDep, OwnerDep
from advisor.storage import Conversation, ConversationSummary

router = APIRouter(prefix="/conversations", tags=["conversations"])
_MARKDOWN_DOC = {"content": {"text/markdown": {"schema": {"type": "string"}}},
                 "description": "The conversation (JSON), or Markdown with ?format=md"}  # fmt: skip


@router.get("", response_model=list[ConversationSummary])
def list_conversations(advisor: AdvisorDep, owner: OwnerDep) -> list[ConversationSummary]:
    """Your conversations, most recently active first."""
    conversations: list[ConversationSummary] = advisor.conversations.list(owner)
    return conversations


@router.get("/{conversation_id}", response_model=Conversation, responses={200: _MARKDOWN_DOC})
def read_conversation(
    conversation_id: str, advisor: AdvisorDep, owner: OwnerDep, format: Literal["json", "md"] = "json"
) -> Conversation | PlainTextResponse:
    """One conversation's turns with their citations; ?format=md exports it as Markdown."""
    if format == "md":
        markdown = advisor.conversations.to_markdown(conversation_id, owner)
        return PlainTextResponse(markdown, media_type="text/markdown; charset=utf-8")
    conversation: Conversation = advisor.conversations.get(conversation_id, owner)
    return conversation
