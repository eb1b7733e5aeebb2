"""Index generations: every ingest is recorded when it starts and again, with its files, when it finishes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import JSON, DateTime, Engine, Integer, String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from advisor.db import Base
from advisor.knowledge import source_name

State = Literal["complete", "stale", "incomplete", "empty"]


def _now() -> datetime:
    return datetime.now(UTC)


class GenerationRow(Base):
    """One ingest of one index: unfinished until every chunk is written, then its files' sha256 and chunk count."""

    __tablename__ = "index_generations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    namespace: Mapped[str] = mapped_column(String(300), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    chunks: Mapped[int | None] = mapped_column(Integer)
    files: Mapped[Any] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # what shaped its chunks (see `index.fingerprint`)
    report: Mapped[Any] = mapped_column(JSON, nullable=True)  # its errors and warnings, for a run that skips


@dataclass(frozen=True)
class IndexStatus:
    """Whether the index matches the knowledge files: its last completed generation and what changed since."""

    state: State
    generation: int | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether the index holds every knowledge file as it is now."""
        return self.state == "complete"

    def describe(self) -> str:
        """One sentence for logs, `serve` and the readiness probe."""
        if self.state == "empty":
            return "the knowledge index is empty; run `advisor ingest`"
        if self.state == "incomplete":
            return "the last ingest did not finish, so the index may miss chunks; run `advisor ingest`"
        if self.state == "stale":
            shown = ", ".join(self.changed[:5]) + (", ..." if len(self.changed) > 5 else "")
            return f"{len(self.changed)} knowledge file(s) changed since generation {self.generation}: {shown}"
        return f"the index is complete (generation {self.generation})"


class Generations:
    """The generations of one index namespace; the newest finished one tells replicas to refresh their caches."""

    def __init__(self, engine: Engine, namespace: str) -> None:
        self.engine = engine
        self.namespace = namespace

    def start(self) -> int:
        """Record that an ingest started; returns its generation number."""
        with Session(self.engine) as session, session.begin():
            row = GenerationRow(namespace=self.namespace, files={})
            session.add(row)
            session.flush()
            return row.id

    def finish(
        self,
        number: int,
        files: dict[str, str],
        chunks: int,
        fingerprint: str | None = None,
        report: dict[str, Any] | None = None,
    ) -> None:
        """Record that generation ``number`` finished, holding ``files`` (source -> sha256) in ``chunks`` chunks."""
        with Session(self.engine) as session, session.begin():
            values = {
                "finished_at": _now(),
                "files": files,
                "chunks": chunks,
                "fingerprint": fingerprint,
                "report": report,
            }
            session.execute(update(GenerationRow).where(GenerationRow.id == number).values(**values))

    def current(self) -> int:
        """The newest finished generation's number (0 before the first); one indexed query, cheap per request."""
        query = select(func.max(GenerationRow.id)).where(
            GenerationRow.namespace == self.namespace, GenerationRow.finished_at.is_not(None)
        )
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def indexed_files(self) -> dict[str, str]:
        """The files (source -> sha256) of the newest finished generation (empty before the first)."""
        row = self._newest(finished=True)
        return dict(row.files or {}) if row else {}

    def unchanged(self, files: dict[str, str], fingerprint: str) -> GenerationRow | None:
        """The newest generation if it finished with exactly these files and this fingerprint, else None."""
        finished, newest = self._newest(finished=True), self._newest(finished=False)
        if finished is None or newest is None or newest.id != finished.id:
            return None
        if finished.fingerprint != fingerprint or finished.report is None or dict(finished.files or {}) != files:
            return None
        return finished

    def status(self, files: dict[str, str], chunks: int) -> IndexStatus:
        """Compare the index with the knowledge files now on disk (source -> sha256) and its chunk count."""
        finished, newest = self._newest(finished=True), self._newest(finished=False)
        if finished is None:
            return IndexStatus("empty" if newest is None and chunks == 0 else "incomplete")
        if newest is not None and newest.id != finished.id:
            return IndexStatus("incomplete", finished.id)
        indexed = {s: h for s, h in (finished.files or {}).items() if not Path(s).is_absolute()}
        changed = sorted(s for s in set(indexed) | set(files) if indexed.get(s) != files.get(s))
        return IndexStatus("stale" if changed else "complete", finished.id, changed)

    def _newest(self, finished: bool) -> GenerationRow | None:
        query = select(GenerationRow).where(GenerationRow.namespace == self.namespace)
        if finished:
            query = query.where(GenerationRow.finished_at.is_not(None))
        with Session(self.engine, expire_on_commit=False) as session:
            return session.scalars(query.order_by(GenerationRow.id.desc()).limit(1)).first()


def file_hashes(paths: Iterable[Path], knowledge_dir: Path) -> dict[str, str]:
    """The sha256 of each file's bytes by its source name (unreadable files are left out)."""
    hashes = {}
    for path in paths:
        try:
            hashes[source_name(path, knowledge_dir)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    return hashes
