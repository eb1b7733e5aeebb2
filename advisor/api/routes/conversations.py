"""Stored conversations: list and search them, read one with its citations, export, rename or delete one."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse

from advisor.api.deps import AdvisorDep, OwnerDep
from advisor.api.models import ConversationUpdate
from advisor.storage import Conversation, ConversationSummary

router = APIRouter(prefix="/conversations", tags=["conversations"])
_MARKDOWN_DOC = {"content": {"text/markdown": {"schema": {"type": "string"}}},
                 "description": "The conversation (JSON), or Markdown with ?format=md"}  # fmt: skip


@router.get("", response_model=list[ConversationSummary])
def list_conversations(advisor: AdvisorDep, owner: OwnerDep, q: str | None = None) -> list[ConversationSummary]:
    """Your conversations, most recently active first; ?q= keeps those whose title or turns contain the words."""
    conversations: list[ConversationSummary] = advisor.conversations.list(owner, q)
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


@router.patch("/{conversation_id}", response_model=ConversationSummary)
def rename_conversation(
    conversation_id: str, body: ConversationUpdate, advisor: AdvisorDep, owner: OwnerDep
) -> ConversationSummary:
    """Rename one of your conversations; 404 for an unknown id or another key's conversation."""
    renamed: ConversationSummary = advisor.conversations.rename(conversation_id, owner, body.title)
    return renamed


@router.delete("/{conversation_id}", status_code=204, response_class=Response)
def delete_conversation(conversation_id: str, advisor: AdvisorDep, owner: OwnerDep) -> Response:
    """Delete one of your conversations with its turns and their feedback; 404 for an unknown id or another key's."""
    advisor.conversations.delete(conversation_id, owner)
    return Response(status_code=204)
