"""The knowledge index: chunks in a Chroma vector store, kept in step with the files by LangChain's indexing API."""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.indexing import index as index_documents
from sqlalchemy import Engine

from advisor.generations import Generations, IndexStatus, file_hashes
from advisor.knowledge import KnowledgeFileError, discover, load_file, source_name
from advisor.settings import Settings
from advisor.text_vectors import TextVectors

log = logging.getLogger(__name__)
WRITE_BATCH = 64  # chunks per write: big enough to batch embeddings, small enough to show progress
# The modules whose code decides what is stored: an upgrade that changes one of them re-ingests in full.
SHAPING_MODULES = (
    "knowledge.py",
    "injection.py",
    "documents.py",
    "text.py",
    "text_vectors.py",
    "answering/sections.py",
    "answering/units.py",
)


@dataclass
class FileError:
    """A file that could not be indexed, and why."""

    path: str
    reason: str


@dataclass
class PlantedWarning:
    """A sentence left out of the index because it commands an assistant: where it is, and why."""

    path: str
    line: int
    reason: str
    text: str


@dataclass
class IngestReport:
    """What one ingest run changed."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    deleted: int = 0
    errors: list[FileError] = field(default_factory=list)
    warnings: list[PlantedWarning] = field(default_factory=list)

    @classmethod
    def unchanged(cls, chunks: int, problems: dict[str, Any]) -> IngestReport:
        """The report of a run that found nothing changed: every chunk skipped, the last run's problems again."""
        return cls(
            skipped=chunks,
            errors=[FileError(**e) for e in problems.get("errors", [])],
            warnings=[PlantedWarning(**w) for w in problems.get("warnings", [])],
        )

    def problems(self) -> dict[str, Any]:
        """The errors and warnings, as a generation stores them."""
        full = self.to_dict()
        return {"errors": full["errors"], "warnings": full["warnings"]}

    def to_dict(self) -> dict[str, Any]:
        """The report as the JSON shape printed by `advisor ingest --json`."""
        return {
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "deleted": self.deleted,
            "errors": [{"path": e.path, "reason": e.reason} for e in self.errors],
            "warnings": [{"path": w.path, "line": w.line, "reason": w.reason, "text": w.text} for w in self.warnings],
        }


class KnowledgeIndex:
    """Owns the vector store, the record manager that remembers what was written to it, and its generations."""

    def __init__(self, settings: Settings, embeddings: Embeddings, engine: Engine | None = None) -> None:
        from langchain_chroma import Chroma

        from advisor.db import make_engine

        self.settings = settings
        self.embeddings = embeddings
        self.engine = engine or make_engine(settings.resolved_database_url)
        self.vector_store = Chroma(
            collection_name=settings.collection,
            embedding_function=embeddings,
            client=_chroma_client(settings),
            collection_metadata={"hnsw:space": "cosine"},
        )
        self.namespace = f"{settings.chroma_url or 'embedded'}/{settings.collection}"
        self.generations = Generations(self.engine, self.namespace)
        self.text_vectors = TextVectors(self.engine, self.namespace, embeddings)

    @cached_property
    def record_manager(self) -> Any:
        """LangChain's record of what was written (made on first write: an unchanged re-ingest never needs it)."""
        return _record_manager(self.namespace, self.engine)

    def ingest(self, paths: Iterable[Path] = (), progress: bool | None = None) -> IngestReport:
        """Index the given files (default: the whole knowledge dir, removing chunks of deleted files).

        The run is a new generation, recorded as finished only after its last chunk is written, so an
        interrupted ingest leaves the index reported as incomplete (see `status`).
        """
        paths = list(paths)
        files = discover(self.settings.knowledge_dir, paths)
        hashes = file_hashes(files, self.settings.knowledge_dir)
        shape = fingerprint(self.settings)
        if paths:  # a partial ingest keeps what the last complete generation held for the other files
            hashes = {**self.generations.indexed_files(), **hashes}
        elif skipped := self._unchanged(hashes, shape):
            return skipped
        generation = self.generations.start()
        report = IngestReport()
        batch: list[Document] = []
        for path in _progress(files, progress):
            batch.extend(self._load(path, report))
            # A file's chunks always travel in one batch: incremental cleanup works per call.
            if len(batch) >= WRITE_BATCH:
                self._write(batch, report)
                batch = []
        self._write(batch, report)
        if not paths:
            present = {source_name(p, self.settings.knowledge_dir) for p in files}
            report.deleted += self._delete_sources(self.sources() - present)
        self.generations.finish(generation, hashes, self.count(), shape, report.problems())
        log.info(
            "ingest generation=%d added=%d updated=%d skipped=%d deleted=%d errors=%d",
            generation,
            report.added,
            report.updated,
            report.skipped,
            report.deleted,
            len(report.errors),
        )
        return report

    def _unchanged(self, hashes: dict[str, str], shape: str) -> IngestReport | None:
        # Same files, settings and code as the last finished run, and its chunks all there: nothing to do.
        last = self.generations.unchanged(hashes, shape)
        if last is None or last.chunks != self.count():
            return None
        log.info("ingest_unchanged generation=%d chunks=%d", last.id, last.chunks)
        return IngestReport.unchanged(last.chunks, last.report)

    def _load(self, path: Path, report: IngestReport) -> list[Document]:
        try:
            chunks, planted = load_file(path, self.settings.knowledge_dir, self.settings.chunk_size)
        except KnowledgeFileError as exc:
            log.warning("ingest_failed path=%s reason=%s", path, exc)
            report.errors.append(FileError(str(path), str(exc)))
            return []
        for found in planted:
            log.warning("ingest_planted_instruction path=%s line=%d reason=%s", path, found.line, found.reason)
            report.warnings.append(PlantedWarning(str(path), found.line, found.reason, found.text))
        return chunks

    def _write(self, chunks: list[Document], report: IngestReport) -> None:
        if not chunks:
            return
        # Incremental cleanup replaces only the changed chunks of these files; unchanged ones are not re-embedded.
        result = index_documents(
            chunks,
            self.record_manager,
            self.vector_store,
            cleanup="incremental",
            source_id_key="source",
            key_encoder="sha256",
            batch_size=len(chunks),  # one call-internal batch: cleanup must see all of a file at once
        )
        report.added += result["num_added"]
        report.updated += result["num_updated"]
        report.skipped += result["num_skipped"]
        report.deleted += result["num_deleted"]
        report.deleted += self._delete_unrecorded({str(doc.metadata["source"]) for doc in chunks})
        self.text_vectors.sync(chunks)

    def _delete_unrecorded(self, sources: set[str]) -> int:
        # An ingest that dies after writing chunks but before recording them leaves chunks no record manager
        # knows; if the file changes before the next run, incremental cleanup never finds them. The files'
        # records are complete after `index_documents`, so any other chunk of theirs in the store goes.
        recorded = set(self.record_manager.list_keys(group_ids=sorted(sources)))
        where: Any = {"source": {"$in": sorted(sources)}}
        stored = self.vector_store.get(where=where, include=["metadatas"])
        orphans = {i: m for i, m in zip(stored["ids"], stored["metadatas"], strict=True) if i not in recorded}
        if orphans:
            self.vector_store.delete(ids=sorted(orphans))
            names = sorted({str((meta or {}).get("source")) for meta in orphans.values()})
            log.warning("ingest_deleted_unrecorded chunks=%d sources=%s", len(orphans), ",".join(names))
        return len(orphans)

    def _delete_sources(self, sources: set[str]) -> int:
        deleted = 0
        for source in sorted(sources):
            keys = self.record_manager.list_keys(group_ids=[source])
            stored = self.vector_store.get(where={"source": source}, include=[])["ids"]
            ids = sorted(set(keys) | set(stored))
            if ids:
                self.vector_store.delete(ids=ids)
                self.record_manager.delete_keys(keys)
                deleted += len(ids)
                log.info("ingest_deleted source=%s chunks=%d", source, len(ids))
        self.text_vectors.delete(sources)
        return deleted

    def sources(self) -> set[str]:
        """Every source that has chunks in the index."""
        metadatas = self.vector_store.get(include=["metadatas"])["metadatas"]
        return {str(m["source"]) for m in metadatas if m and "source" in m}

    def documents(self) -> list[Document]:
        """Every chunk in the index, in a stable order (for the keyword index and topic listings)."""
        stored = self.vector_store.get(include=["documents", "metadatas"])
        docs = [
            Document(id=i, page_content=text, metadata=dict(meta or {}))
            for i, text, meta in zip(stored["ids"], stored["documents"], stored["metadatas"], strict=True)
        ]
        return sorted(docs, key=lambda d: (str(d.metadata.get("source")), int(d.metadata.get("chunk", 0))))

    def vectors(self) -> dict[str, np.ndarray]:
        """Every chunk's stored vector, by `source#chunk`."""
        stored = self.vector_store.get(include=["embeddings", "metadatas"])
        return {
            chunk_key(meta or {}): np.asarray(vector, dtype=np.float32)
            for meta, vector in zip(stored["metadatas"], stored["embeddings"], strict=True)
        }

    def count(self) -> int:
        """How many chunks the index holds."""
        return len(self.vector_store.get(include=[])["ids"])

    def status(self) -> IndexStatus:
        """Whether the last ingest finished and the knowledge files are unchanged since."""
        knowledge_dir = self.settings.knowledge_dir
        return self.generations.status(file_hashes(discover(knowledge_dir), knowledge_dir), self.count())


def fingerprint(settings: Settings) -> str:
    """The sha256 of what shapes the stored chunks and vectors: chunk settings, embedding model and parsing code."""
    digest = hashlib.sha256()
    model = settings.resolved_embedding_model
    digest.update(f"{settings.chunk_size}|{settings.chunk_overlap}|{model}".encode())
    package = Path(__file__).parent
    for name in SHAPING_MODULES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def chunk_key(metadata: dict[str, Any]) -> str:
    """A chunk's stable key: its source and its number in that source."""
    return f"{metadata.get('source')}#{metadata.get('chunk')}"


def _progress(files: list[Path], progress: bool | None) -> Iterable[Path]:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return files
    from tqdm import tqdm

    return tqdm(files, desc="Indexing", unit="file", file=sys.stderr)


def _chroma_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        from urllib.parse import urlparse

        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _record_manager(namespace: str, engine: Engine) -> Any:
    from langchain_classic.indexes._sql_record_manager import SQLRecordManager

    # In the app's database, beside the generations: one engine, one place to back up, shared by replicas.
    # Its table is created by the migrations (advisor/migrations), not by create_schema.
    return SQLRecordManager(namespace=namespace, engine=engine)
