"""The vectors of the knowledge's sentences and section questions, embedded at ingest and stored beside the chunks.

Answering scores a question against the sentences of the retrieved sections, and retrieval against each
section's questions (its heading and `asked:` phrasings). Both are fixed by the knowledge, so they are embedded
once when a file is ingested, kept per source in a SQLite table next to the record manager, and loaded once.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from advisor.answering.sections import Sections
from advisor.answering.units import split_sentences
from advisor.knowledge import chunk_body

log = logging.getLogger(__name__)
_SCHEMA = "CREATE TABLE IF NOT EXISTS text_vectors (source TEXT, text TEXT, vector BLOB, PRIMARY KEY (source, text))"


def section_questions(doc: Document) -> list[str]:
    """The questions a chunk's section answers: its heading (the title for an introduction) and its `asked:`."""
    section = str(doc.metadata.get("section") or "")
    heading = section.rsplit(" > ", 1)[-1]
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
        texts.add(str(doc.metadata.get("section") or "").rsplit(" > ", 1)[-1])
    sections = Sections(chunks)
    for source in {str(d.metadata.get("source", "")) for d in chunks}:
        for name in sections.outline(source):
            whole = sections.hit(source, name)
            texts.update(split_sentences(whole.text) if whole else [])
    texts.discard("")
    return texts


class TextVectors:
    """Owns the stored vectors of derived texts, per source, in step with the indexed files."""

    def __init__(self, path: Path, embeddings: Embeddings) -> None:
        self.path = path
        self.embeddings = embeddings
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def sync(self, chunks: Iterable[Document]) -> int:
        """Store the vectors of these files' texts (each file's chunks complete), dropping stale ones; returns new."""
        by_source: dict[str, list[Document]] = {}
        for doc in chunks:
            by_source.setdefault(str(doc.metadata.get("source", "")), []).append(doc)
        added: list[tuple[str, str]] = []
        with closing(self._connect()) as db, db:
            for source, docs in by_source.items():
                wanted = derived_texts(docs)
                have = {row[0] for row in db.execute("SELECT text FROM text_vectors WHERE source = ?", (source,))}
                stale = [(source, text) for text in have - wanted]
                db.executemany("DELETE FROM text_vectors WHERE source = ? AND text = ?", stale)
                added.extend((source, text) for text in sorted(wanted - have))
            vectors = self.embeddings.embed_documents([text for _, text in added]) if added else []
            rows = [(s, t, np.asarray(v, dtype=np.float32).tobytes()) for (s, t), v in zip(added, vectors, strict=True)]
            db.executemany("INSERT OR REPLACE INTO text_vectors VALUES (?, ?, ?)", rows)
        if added:
            log.info("text_vectors_added sources=%d texts=%d", len(by_source), len(added))
        return len(added)

    def delete(self, sources: Iterable[str]) -> None:
        """Forget the texts of removed files."""
        with closing(self._connect()) as db, db:
            db.executemany("DELETE FROM text_vectors WHERE source = ?", [(s,) for s in sources])

    def load(self) -> Mapping[str, np.ndarray]:
        """Every stored text with its vector."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT text, vector FROM text_vectors").fetchall()
        return {text: np.frombuffer(blob, dtype=np.float32) for text, blob in rows}
