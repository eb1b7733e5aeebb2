"""Storage of assessments and their responses (SQLAlchemy); every change is committed at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, ForeignKey, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from advisor.db import Base
from advisor.readiness.errors import AssessmentNotFound
from advisor.readiness.results import AssessmentSummary, Response


def _now() -> datetime:
    return datetime.now(UTC)


class AssessmentRecord(Base):
    """One readiness assessment of a client, owned by one API key (or "local")."""

    __tablename__ = "readiness_assessments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    client: Mapped[str] = mapped_column(String(200), index=True)
    interviewer: Mapped[str | None] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    questionnaire_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    parent_id: Mapped[str | None] = mapped_column(String(32))
    responses: Mapped[list[ResponseRecord]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="ResponseRecord.seq"
    )


class ResponseRecord(Base):
    """One reply to one question: answered, skipped or "don't know", with an optional note."""

    __tablename__ = "readiness_responses"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("readiness_assessments.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    # The client's own words the value was read from (the column kept its first name, "text").
    raw_text: Mapped[str | None] = mapped_column("text", Text)
    note: Mapped[str | None] = mapped_column(Text)
    seq: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    assessment: Mapped[AssessmentRecord] = relationship(back_populates="responses")


class AssessmentStore:
    """Reads and writes assessments, always filtered by owner."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self, owner: str, client: str, interviewer: str | None, mode: str, version: int, parent_id: str | None = None
    ) -> AssessmentSummary:
        """Create an assessment as the client's next version (1 for a new client) and return its summary."""
        record = AssessmentRecord(
            id=uuid.uuid4().hex[:12], owner=owner, client=client, interviewer=interviewer, mode=mode,
            questionnaire_version=version, parent_id=parent_id,
        )  # fmt: skip
        with self._session() as session:
            record.version = _next_version(session, owner, client)
            session.add(record)
            session.flush()
            return _summary(record)

    def copy_responses(self, source_id: str, target_id: str, owner: str) -> None:
        """Copy the current responses (values, free text and notes) of one assessment into another."""
        with self._session() as session:
            source, target = _get(session, source_id, owner), _get(session, target_id, owner)
            for row in sorted((r for r in source.responses if not r.withdrawn), key=lambda r: r.seq):
                _upsert(target, _response(row))

    def summary(self, assessment_id: str, owner: str) -> AssessmentSummary:
        """One assessment's summary; AssessmentNotFound if it is unknown or another owner's."""
        with self._session() as session:
            return _summary(_get(session, assessment_id, owner))

    def list(self, owner: str, client: str | None = None) -> list[AssessmentSummary]:
        """The owner's assessments, newest first, optionally those whose client name contains ``client``."""
        query = select(AssessmentRecord).where(AssessmentRecord.owner == owner)
        if client:
            query = query.where(func.lower(AssessmentRecord.client).contains(client.lower(), autoescape=True))
        with self._session() as session:
            rows = session.scalars(query.order_by(AssessmentRecord.updated_at.desc())).all()
            return [_summary(r) for r in rows]

    def responses(self, assessment_id: str, owner: str, withdrawn: bool = False) -> dict[str, Response]:
        """The current responses (or, with ``withdrawn``, those withdrawn by going back) by question id."""
        with self._session() as session:
            record = _get(session, assessment_id, owner)
            return {r.question_id: _response(r) for r in record.responses if r.withdrawn == withdrawn}

    def save(self, assessment_id: str, owner: str, *responses: Response) -> None:
        """Store (or replace) responses in one commit; an existing note is kept unless a new one is given."""
        with self._session() as session:
            record = _get(session, assessment_id, owner)
            for response in responses:
                _upsert(record, response)

    def set_note(self, assessment_id: str, owner: str, question_id: str, note: str) -> bool:
        """Attach a note to a stored response; False when the question has no response yet."""
        with self._session() as session:
            record = _get(session, assessment_id, owner)
            row = next((r for r in record.responses if r.question_id == question_id and not r.withdrawn), None)
            if row is not None:
                row.note = note
                record.updated_at = _now()
            return row is not None

    def withdraw_last(self, assessment_id: str, owner: str) -> Response | None:
        """Withdraw the most recent current response (going back), keeping its value and note; return it."""
        with self._session() as session:
            record = _get(session, assessment_id, owner)
            current = [r for r in record.responses if not r.withdrawn]
            if not current:
                return None
            last = max(current, key=lambda r: r.seq)
            last.withdrawn = True
            record.updated_at = _now()
            return _response(last)

    def set_status(self, assessment_id: str, owner: str, status: str) -> AssessmentSummary:
        """Mark an assessment finished or in progress."""
        with self._session() as session:
            record = _get(session, assessment_id, owner)
            record.status = status
            record.finished_at = _now() if status == "finished" else None
            record.updated_at = _now()
            return _summary(record)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session


def _get(session: Session, assessment_id: str, owner: str) -> AssessmentRecord:
    record = session.get(AssessmentRecord, assessment_id)
    if record is None or record.owner != owner:
        raise AssessmentNotFound(f"no assessment with id {assessment_id!r}")
    return record


def _next_version(session: Session, owner: str, client: str) -> int:
    same_client = (AssessmentRecord.owner == owner) & (func.lower(AssessmentRecord.client) == client.lower())
    highest = session.scalar(select(func.max(AssessmentRecord.version)).where(same_client))
    return (highest or 0) + 1


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _summary(record: AssessmentRecord) -> AssessmentSummary:
    return AssessmentSummary(
        id=record.id,
        client=record.client,
        interviewer=record.interviewer,
        mode=record.mode,  # type: ignore[arg-type]
        status=record.status,  # type: ignore[arg-type]
        created_at=_utc(record.created_at) or _now(),
        updated_at=_utc(record.updated_at) or _now(),
        finished_at=_utc(record.finished_at),
        answered=sum(1 for r in record.responses if r.status == "answered" and not r.withdrawn),
        version=record.version or 1,
        parent_id=record.parent_id,
    )


def _response(row: ResponseRecord) -> Response:
    return Response(
        question_id=row.question_id,
        status=row.status,  # type: ignore[arg-type]
        value=row.value,
        note=row.note,
        raw_text=row.raw_text,
    )


def _upsert(record: AssessmentRecord, response: Response) -> None:
    existing = next((r for r in record.responses if r.question_id == response.question_id), None)
    row = existing or ResponseRecord(question_id=response.question_id)
    row.status, row.value, row.raw_text = response.status, response.value, response.raw_text
    row.note = response.note if response.note is not None else row.note
    row.seq = max((r.seq for r in record.responses), default=0) + 1
    row.answered_at = record.updated_at = _now()
    row.withdrawn = False
    if existing is None:
        record.responses.append(row)
