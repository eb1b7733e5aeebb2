"""Storage of conversations, answer feedback and API keys (SQLAlchemy); every change is committed at once."""

from __future__ import annotations

import builtins
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import JSON, DateTime, Engine, ForeignKey, String, Text, delete, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from advisor.answer import Citation
from advisor.db import Base

Role = Literal["user", "assistant"]
Rating = Literal["up", "down"]
KEY_PREFIX = "bpo_"
LOCAL_OWNER = "local"  # the owner of everything while no API key exists
_TITLE_CHARS = 80


class NotFound(LookupError):
    """No such record belongs to the caller (other owners' records look exactly the same)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id() -> str:
    return uuid.uuid4().hex[:16]


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# Tables ----------------------------------------------------------------------------------------


class ConversationRow(Base):
    """One conversation, owned by one API key (or "local")."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class MessageRow(Base):
    """One turn of a conversation; assistant turns carry their citations and how they were made."""

    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(default=0)
    role: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    citations: Mapped[Any] = mapped_column(JSON, default=list)
    meta: Mapped[Any] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class FeedbackRow(Base):
    """A thumbs up or down on one assistant message, with an optional comment."""

    __tablename__ = "feedback"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    rating: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ApiKeyRow(Base):
    """An API key: its name and the sha256 of the key; the key itself is never stored."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    name: Mapped[str] = mapped_column(String(200), index=True)
    hint: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# What the stores return ------------------------------------------------------------------------


class Turn(BaseModel):
    """One stored turn of a conversation."""

    id: str
    role: Role
    text: str
    citations: list[Citation] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime


class ConversationSummary(BaseModel):
    """A conversation as listed: its title (the first question) and size."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    turns: int


class Conversation(ConversationSummary):
    """A conversation with all its turns."""

    messages: list[Turn]


class Feedback(BaseModel):
    """A stored rating of an answer."""

    id: str
    message_id: str
    conversation_id: str
    rating: Rating
    comment: str | None
    created_at: datetime


class ApiKey(BaseModel):
    """An API key as listed (never the key itself)."""

    id: str
    name: str
    hint: str = Field(description="The key's first characters, to recognise it")
    created_at: datetime
    revoked_at: datetime | None
    active: bool


class _Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session


# Stores ----------------------------------------------------------------------------------------


class ConversationStore(_Store):
    """Conversations and their turns, always filtered by owner."""

    def create(self, owner: str) -> str:
        """Start an empty conversation and return its id."""
        with self._session() as session:
            row = ConversationRow(id=_new_id(), owner=owner)
            session.add(row)
            return row.id

    def add_turn(
        self,
        conversation_id: str,
        owner: str,
        role: Role,
        text: str,
        citations: builtins.list[Citation] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> str:
        """Append a turn and return its message id."""
        with self._session() as session:
            conversation = _conversation(session, conversation_id, owner)
            return _append(session, conversation, _next_seq(session, conversation_id), role, text, citations, meta).id

    def add_exchange(
        self,
        conversation_id: str | None,
        owner: str,
        question: str,
        answer: str,
        citations: builtins.list[Citation] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> tuple[str, str]:
        """Store a question and its answer in one transaction, in a new conversation when no id is given.

        Returns the conversation's id and the answer's message id. One commit per answer instead of three keeps
        SQLite's single writer free for the other requests.
        """
        with self._session() as session:
            if conversation_id is None:
                conversation, seq = ConversationRow(id=_new_id(), owner=owner), 0
                session.add(conversation)
            else:
                conversation = _conversation(session, conversation_id, owner)
                seq = _next_seq(session, conversation_id)
            _append(session, conversation, seq, "user", question)
            return conversation.id, _append(session, conversation, seq + 1, "assistant", answer, citations, meta).id

    def get(self, conversation_id: str, owner: str) -> Conversation:
        """A conversation with its turns and their citations."""
        with self._session() as session:
            row = _conversation(session, conversation_id, owner)
            messages = [_turn(m) for m in _messages(session, conversation_id)]
            return Conversation(**_summary(row, len(messages)).model_dump(), messages=messages)

    def history(self, conversation_id: str, owner: str) -> builtins.list[tuple[str, str]]:
        """The (role, text) turns so far, oldest first."""
        return [(t.role, t.text) for t in self.get(conversation_id, owner).messages]

    def list(self, owner: str, search: str | None = None) -> builtins.list[ConversationSummary]:
        """The owner's conversations, most recently active first; `search` keeps those with it in a title or turn."""
        query = select(ConversationRow).where(ConversationRow.owner == owner)
        if search and search.strip():
            pattern = f"%{_escape_like(search.strip())}%"
            said = select(MessageRow.conversation_id).where(MessageRow.text.ilike(pattern, escape="\\"))
            query = query.where(or_(ConversationRow.title.ilike(pattern, escape="\\"), ConversationRow.id.in_(said)))
        with self._session() as session:
            rows = session.scalars(query.order_by(ConversationRow.updated_at.desc())).all()
            return [_summary(r, len(_messages(session, r.id))) for r in rows]

    def rename(self, conversation_id: str, owner: str, title: str) -> ConversationSummary:
        """Give one of the owner's conversations a new title (one line, at most 80 characters)."""
        title = " ".join((title or "").split())
        if not title:
            raise ValueError("title: a title needs at least one visible character")
        with self._session() as session:
            row = _conversation(session, conversation_id, owner)
            row.title = title[:_TITLE_CHARS]
            return _summary(row, len(_messages(session, conversation_id)))

    def delete(self, conversation_id: str, owner: str) -> None:
        """Delete one of the owner's conversations with its turns and their feedback; NotFound for anyone else's."""
        with self._session() as session:
            row = _conversation(session, conversation_id, owner)
            turns = select(MessageRow.id).where(MessageRow.conversation_id == conversation_id)
            # Explicit, not left to ON DELETE CASCADE, which SQLite honours only with its foreign_keys pragma.
            session.execute(delete(FeedbackRow).where(FeedbackRow.message_id.in_(turns)))
            session.execute(delete(MessageRow).where(MessageRow.conversation_id == conversation_id))
            session.delete(row)

    def to_markdown(self, conversation_id: str, owner: str) -> str:
        """The conversation as a Markdown document, each answer followed by its sources."""
        conversation = self.get(conversation_id, owner)
        lines = [
            f"# {_no_html(conversation.title or 'Conversation')}",
            "",
            f"_Conversation {conversation.id}, started {conversation.created_at:%Y-%m-%d %H:%M} UTC_",
            "",
        ]
        for turn in conversation.messages:
            lines += [f"**{'You' if turn.role == 'user' else 'Advisor'}:** {_no_html(turn.text)}", ""]
            lines += [f"{c.n}. {_no_html(c.title)} — {_no_html(c.section)} (`{c.source}`)" for c in turn.citations]
            lines += [""] if turn.citations else []
        return "\n".join(lines).rstrip() + "\n"


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _no_html(text: str) -> str:
    # A question is typed by anyone: raw HTML in it must not become live markup where the export is rendered.
    return text.replace("<", "&lt;").replace(">", "&gt;")


class FeedbackStore(_Store):
    """Ratings of answers, filtered by the owner of the rated conversation."""

    def add(self, message_id: str, owner: str, rating: Rating, comment: str | None = None) -> Feedback:
        """Store a rating of one of the owner's assistant messages."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        with self._session() as session:
            message = session.get(MessageRow, message_id)
            if message is None:
                raise NotFound(f"no message with id {message_id!r}")
            _conversation(session, message.conversation_id, owner, what="message", shown_id=message_id)
            if message.role != "assistant":
                raise ValueError(f"message {message_id!r} is a question; rate the answer's message_id instead")
            row = FeedbackRow(id=_new_id(), message_id=message_id, owner=owner, rating=rating, comment=comment)
            session.add(row)
            session.flush()
            return _feedback(row, message.conversation_id)

    def comment(self, feedback_id: str, owner: str, comment: str) -> Feedback:
        """Add or replace the comment on one of the owner's ratings (the web UI asks after the thumb)."""
        with self._session() as session:
            row = session.get(FeedbackRow, feedback_id)
            if row is None or row.owner != owner:
                raise NotFound(f"no feedback with id {feedback_id!r}")
            row.comment = comment
            message = session.get(MessageRow, row.message_id)
            return _feedback(row, message.conversation_id if message else "")

    def list(self, owner: str) -> builtins.list[Feedback]:
        """The owner's ratings, newest first."""
        query = (
            select(FeedbackRow, MessageRow.conversation_id)
            .join(MessageRow, FeedbackRow.message_id == MessageRow.id)
            .where(FeedbackRow.owner == owner)
            .order_by(FeedbackRow.created_at.desc())
        )
        with self._session() as session:
            return [_feedback(row, conversation_id) for row, conversation_id in session.execute(query).all()]


class KeyStore(_Store):
    """API keys; only a sha256 of each key is stored, so a key is shown once, when created."""

    def create(self, name: str) -> tuple[str, str]:
        """Create a key named ``name`` and return (key id, the key itself)."""
        name = name.strip()
        if not name:
            raise ValueError("a key needs a name")
        plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._session() as session:
            if session.scalars(select(ApiKeyRow).where(ApiKeyRow.name == name, _active())).first():
                raise ValueError(f"an active key named {name!r} exists; revoke it first")
            row = ApiKeyRow(id=_new_id(), name=name, hint=plaintext[:8], key_hash=_digest(plaintext))
            session.add(row)
            return row.id, plaintext

    def revoke(self, name: str) -> int:
        """Revoke the active keys with this name; NotFound when there is none. Returns how many."""
        with self._session() as session:
            rows = session.scalars(select(ApiKeyRow).where(ApiKeyRow.name == name, _active())).all()
            if not rows:
                raise NotFound(f"no active key named {name!r}")
            for row in rows:
                row.revoked_at = _now()
            return len(rows)

    def verify(self, plaintext: str) -> str | None:
        """The id of the active key matching ``plaintext``, or None."""
        digest = _digest(plaintext)
        found = None
        with self._session() as session:
            for key_id, key_hash in session.execute(select(ApiKeyRow.id, ApiKeyRow.key_hash).where(_active())):
                # Compare against every key, without stopping early, so timing says nothing about the hashes.
                if hmac.compare_digest(key_hash, digest):
                    found = key_id
        return found

    def signing_secret(self, key_id: str) -> bytes | None:
        """A secret that only the server and the key's holder can derive, to sign web sessions; None once revoked."""
        with self._session() as session:
            key_hash = session.scalars(select(ApiKeyRow.key_hash).where(ApiKeyRow.id == key_id, _active())).first()
        return None if key_hash is None else hashlib.sha256(f"ui-session:{key_hash}".encode()).digest()

    def name_of(self, key_id: str) -> str | None:
        """The name of an active key, or None."""
        with self._session() as session:
            return session.scalars(select(ApiKeyRow.name).where(ApiKeyRow.id == key_id, _active())).first()

    def any_active(self) -> bool:
        """Whether any key is active (then every API request needs one)."""
        with self._session() as session:
            return session.scalars(select(ApiKeyRow.id).where(_active()).limit(1)).first() is not None

    def list(self) -> builtins.list[ApiKey]:
        """Every key, active or revoked, oldest first."""
        with self._session() as session:
            rows = session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at)).all()
            return [
                ApiKey(
                    id=r.id,
                    name=r.name,
                    hint=r.hint,
                    created_at=_utc(r.created_at),
                    revoked_at=_utc(r.revoked_at) if r.revoked_at else None,
                    active=r.revoked_at is None,
                )
                for r in rows
            ]


# Helpers ---------------------------------------------------------------------------------------


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8", errors="surrogatepass")).hexdigest()


def _active() -> Any:
    return ApiKeyRow.revoked_at.is_(None)


def _conversation(
    session: Session, conversation_id: str, owner: str, what: str = "conversation", shown_id: str | None = None
) -> ConversationRow:
    row = session.get(ConversationRow, conversation_id)
    if row is None or row.owner != owner:
        raise NotFound(f"no {what} with id {shown_id or conversation_id!r}")
    return row


def _append(
    session: Session,
    conversation: ConversationRow,
    seq: int,
    role: Role,
    text: str,
    citations: list[Citation] | None = None,
    meta: dict[str, Any] | None = None,
) -> MessageRow:
    row = MessageRow(
        id=_new_id(),
        conversation_id=conversation.id,
        seq=seq,
        role=role,
        text=text,
        citations=[c.model_dump() for c in citations or []],
        meta=dict(meta or {}),
    )
    session.add(row)
    if not conversation.title and role == "user":
        conversation.title = " ".join(text.split())[:_TITLE_CHARS]
    conversation.updated_at = _now()
    return row


def _next_seq(session: Session, conversation_id: str) -> int:
    last = session.scalar(select(func.max(MessageRow.seq)).where(MessageRow.conversation_id == conversation_id))
    return 0 if last is None else int(last) + 1


def _messages(session: Session, conversation_id: str) -> list[MessageRow]:
    query = select(MessageRow).where(MessageRow.conversation_id == conversation_id).order_by(MessageRow.seq)
    return list(session.scalars(query).all())


def _summary(row: ConversationRow, turns: int) -> ConversationSummary:
    return ConversationSummary(
        id=row.id, title=row.title, created_at=_utc(row.created_at), updated_at=_utc(row.updated_at), turns=turns
    )


def _turn(row: MessageRow) -> Turn:
    return Turn.model_validate(
        {"id": row.id, "role": row.role, "text": row.text, "citations": row.citations or [],
         "meta": row.meta or {}, "created_at": _utc(row.created_at)}
    )  # fmt: skip


def _feedback(row: FeedbackRow, conversation_id: str) -> Feedback:
    return Feedback.model_validate(
        {"id": row.id, "message_id": row.message_id, "conversation_id": conversation_id, "rating": row.rating,
         "comment": row.comment, "created_at": _utc(row.created_at)}
    )  # fmt: skip
