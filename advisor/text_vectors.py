"""The vectors of the knowledge's sentences and section questions, embedded at ingest and stored beside the chunks.

Answering scores a question against the sentences of the retrieved sections, and retrieval against each
section's questions (its heading and `asked:` phrasings). Both are fixed by the knowledge, so they are embedded
once when a file is ingested, kept per source in the app database beside the record manager (so that every
replica loads what any replica's ingest embedded), and loaded once per generation.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from sqlalchemy import ColumnElement, Engine, Index, Integer, LargeBinary, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from advisor.answering.sections import Sections
from advisor.answering.units import split_sentences
from advisor.db import Base
from advisor.knowledge import chunk_body
from advisor.text import section_heading

log = logging.getLogger(__name__)


class TextVectorRow(Base):
    """One derived text of one source in one index namespace, with its vector (float32 bytes)."""

    __tablename__ = "text_vectors"
    __table_args__ = (Index("ix_text_vectors_namespace_source", "namespace", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    namespace: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


def section_questions(doc: Document) -> list[str]:
    """The questions a chunk's section answers: its heading (the title for an introduction) and its `asked:`."""
    section = str(doc.metadata.get("section") or "")
    heading = section_heading(section)
    title = str(doc.metadata.get("title") or "")
    asked = [q.strip() for q in str(doc.metadata.get("asked") or "").split("|") if q.strip()]
    return [title if heading in ("", "Overview") else heading, *asked]


def derived_texts(chunks: Iterable[Document]) -> set[str]:
    """Every text of these chunks that answering or retrieval compares with a question."""
    chunks = list(chunks)
    texts: set[str] = set()
    for doc in chunks:
        texts.update(split_sentences(chunk_body(doc)))
        texts.update(section_questions(doc))
        texts.add(section_heading(str(doc.metadata.get("section") or "")))
    sections = Sections(chunks)
    for source in {str(d.metadata.get("source", "")) for d in chunks}:
        for name in sections.outline(source):
            whole = sections.hit(source, name)
            texts.update(split_sentences(whole.text) if whole else [])
    texts.discard("")
    return texts


class TextVectors:
    """Owns the stored vectors of derived texts, per source, in step with the indexed files."""

    def __init__(self, engine: Engine, namespace: str, embeddings: Embeddings) -> None:
        self.engine = engine
        self.namespace = namespace
        self.embeddings = embeddings

    def sync(self, chunks: Iterable[Document]) -> int:
        """Store the vectors of these files' texts (each file's chunks complete), dropping stale ones; returns new."""
        by_source: dict[str, list[Document]] = {}
        for doc in chunks:
            by_source.setdefault(str(doc.metadata.get("source", "")), []).append(doc)
        added: list[tuple[str, str]] = []
        stale: dict[str, set[str]] = {}
        with Session(self.engine) as session:
            for source, docs in by_source.items():
                wanted = derived_texts(docs)
                have = set(session.scalars(select(TextVectorRow.text).where(*self._of(source))))
                stale[source] = have - wanted
                added.extend((source, text) for text in sorted(wanted - have))
        # Embedding happens outside the transaction: it can take a while, and the rows are written at once.
        vectors = self.embeddings.embed_documents([text for _, text in added]) if added else []
        with Session(self.engine) as session, session.begin():
            for source, texts in stale.items():
                if texts:
                    session.execute(delete(TextVectorRow).where(*self._of(source), TextVectorRow.text.in_(texts)))
            session.add_all(
                TextVectorRow(namespace=self.namespace, source=s, text=t, vector=_bytes(v))
                for (s, t), v in zip(added, vectors, strict=True)
            )
        if added:
            log.info("text_vectors_added sources=%d texts=%d", len(by_source), len(added))
        return len(added)

    def delete(self, sources: Iterable[str]) -> None:
        """Forget the texts of removed files."""
        with Session(self.engine) as session, session.begin():
            for source in sources:
                session.execute(delete(TextVectorRow).where(*self._of(source)))

    def load(self) -> Mapping[str, np.ndarray]:
        """Every stored text with its vector."""
        query = select(TextVectorRow.text, TextVectorRow.vector).where(TextVectorRow.namespace == self.namespace)
        with Session(self.engine) as session:
            rows = session.execute(query).all()
        return {text: np.frombuffer(blob, dtype=np.float32) for text, blob in rows}

    def _of(self, source: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        return TextVectorRow.namespace == self.namespace, TextVectorRow.source == source


def _bytes(vector: list[float]) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()
