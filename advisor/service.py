"""The composition root: `Advisor` builds every part from settings and is what the CLI, API and UI share."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document

from advisor.answer import Answer, Event, Final, Hit, Token
from advisor.answering import ExtractiveAnswerer, Sections
from advisor.answering.responder import Responder, check_question
from advisor.embeddings import QueryCache, load_embeddings
from advisor.index import IngestReport, KnowledgeIndex
from advisor.knowledge import chunk_body
from advisor.retrieval import HeadingIndex, HybridRetriever, Mode
from advisor.settings import Settings, load_settings
from advisor.snapshot import Snapshot

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)


@dataclass
class Reply:
    """An answer given within a stored conversation."""

    answer: Answer
    conversation_id: str
    message_id: str


class Advisor:
    """Answers questions from the knowledge base, searches it, ingests into it and runs assessments."""

    def __init__(self, settings: Settings, embeddings: Any, index: KnowledgeIndex) -> None:
        self.settings = settings
        # Retrieval, answering and the scope check of one turn share the question's vector.
        self.embeddings = embeddings if isinstance(embeddings, QueryCache) else QueryCache(embeddings)
        self.index = index
        self.extractive = ExtractiveAnswerer(
            self.embeddings, lambda: self.sections, lambda: self.snapshot.text_vectors, lambda: self.headings
        )
        self._retrievers: dict[tuple[Mode, str | None, int], HybridRetriever] = {}
        self.snapshot = Snapshot(index, self.embeddings)
        self._generation = -1  # the index generation the snapshot was built from
        self._checked_at = -math.inf

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Advisor:
        """Build an advisor and everything it needs from settings (default: the environment)."""
        settings = settings or load_settings()
        _one_blas_thread()
        embeddings = load_embeddings(settings)
        return cls(settings, embeddings, KnowledgeIndex(settings, embeddings))

    # Knowledge ---------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[Path] = (), progress: bool | None = None) -> IngestReport:
        """Bring the index in step with the knowledge files, then refresh the keyword index."""
        report = self.index.ingest(paths, progress=progress)
        self._forget_derived()
        return report

    def refresh(self) -> bool:
        """Drop what was derived from the index when any process finished an ingest since (cheap; rate-limited)."""
        now = time.monotonic()
        if now - self._checked_at < self.settings.refresh_seconds:
            return False
        self._checked_at = now
        generation = self.index.generations.current()
        if generation == self._generation:
            return False
        log.info("index_refreshed generation=%d previous=%d", generation, self._generation)
        self._forget_derived()
        self._generation = generation
        return True

    def warm(self) -> None:
        """Load the index's derived data and the embedding model's weights now, not on the first question."""
        self.refresh()  # learn the current generation first, or the first question's refresh drops what is built here
        self.snapshot.warm()
        self.embeddings.embed_query("What is business process outsourcing?")

    def _forget_derived(self) -> None:
        self.snapshot = Snapshot(self.index, self.embeddings)
        self._retrievers = {}
        self._checked_at = -math.inf  # the next use reads the new generation number

    def search(self, query: str, k: int = 5, topic: str | None = None, mode: Mode = "hybrid") -> list[Hit]:
        """Ranked passages for a query."""
        query = check_question(query, self.settings.max_question_chars)
        return [_hit(doc) for doc in self._retriever(mode, topic, k).invoke(query)]

    def topics(self) -> dict[str, list[dict[str, str]]]:
        """Knowledge documents grouped by topic: source, title and summary of each."""
        grouped: dict[str, dict[str, dict[str, str]]] = {}
        for doc in self.documents:
            meta = doc.metadata
            entry = {
                "source": str(meta["source"]),
                "title": str(meta.get("title", "")),
                "summary": str(meta.get("summary", "")),
            }
            grouped.setdefault(str(meta.get("topic", "general")), {})[entry["source"]] = entry
        return {topic: sorted(docs.values(), key=lambda d: d["title"]) for topic, docs in sorted(grouped.items())}

    def document(self, source: str) -> str:
        """The text of one indexed knowledge file, by its source name (KeyError if unknown)."""
        if source not in {str(d.metadata["source"]) for d in self.documents}:
            raise KeyError(source)
        path = (self.settings.knowledge_dir / source) if not Path(source).is_absolute() else Path(source)
        return path.read_text(encoding="utf-8", errors="replace")

    @property
    def sections(self) -> Sections:
        """Whole sections rebuilt from the chunks (until the next ingest)."""
        return self.snapshot.sections

    @property
    def headings(self) -> HeadingIndex:
        """The embedded section headings (until the next ingest)."""
        return self.snapshot.headings

    @property
    def documents(self) -> list[Document]:
        """Every indexed chunk (until the next ingest, here or in another process)."""
        self.refresh()
        return self.snapshot.documents

    def ready(self) -> bool:
        """Whether the index holds chunks and answers a query."""
        try:
            return bool(self.documents) and bool(self.search("outsourcing", k=1))
        except Exception:  # readiness probes report, never raise
            log.exception("readiness_check_failed")
            return False

    def _retriever(self, mode: Mode, topic: str | None, k: int) -> HybridRetriever:
        self.refresh()
        key = (mode, topic, k)
        if key not in self._retrievers:
            s = self.settings
            self._retrievers[key] = HybridRetriever(
                vector_store=self.index.vector_store,
                embeddings=self.embeddings,
                keywords=self.snapshot.keywords,
                vectors=self.snapshot.vectors,
                matrix=self.snapshot.matrix,
                k=k,
                fetch_k=max(s.fetch_k, k),
                rrf_k=s.rrf_k,
                max_per_source=s.max_chunks_per_doc,
                mode=mode,
                topic=topic,
                headings=self.headings,
            )
        return self._retrievers[key]

    # Conversation ------------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[tuple[str, str]] | None = None) -> Answer:
        """Answer a question (with optional prior (role, text) turns), citing sources or declining."""
        return next(e.answer for e in self.stream(question, history) if isinstance(e, Final))

    def stream(self, question: str, history: Sequence[tuple[str, str]] | None = None) -> Iterator[Event]:
        """Stream `Token`s of the answer's text as they are ready, then the `Final` answer."""
        return self.responder.respond(question, history)

    @cached_property
    def responder(self) -> Responder:
        """The answering layer: checks, small talk, declines and answers."""
        return Responder(
            self.settings,
            lambda query, k: self.search(query, k=k),
            self.extractive,
            lambda: self.vocabulary,
            lambda: self.generator,
            lambda: self.sections,
        )

    @property
    def vocabulary(self) -> set[str]:
        """Every lower-cased word in the indexed knowledge, and its acronyms as written (until the next ingest)."""
        return self.snapshot.vocabulary

    @cached_property
    def generator(self) -> Any:
        """The LLM answerer for the configured backend, or None for the extractive default."""
        from advisor.chat_models import build_chat_model

        chat_model = build_chat_model(self.settings)
        if chat_model is None:
            return None
        from advisor.answering.generative import GenerativeAnswerer
        from advisor.answering.support import SupportChecker

        return GenerativeAnswerer(
            chat_model,
            SupportChecker(self.embeddings),
            self.extractive.answer,
            backend_name=self.settings.backend,
            unverified=self.settings.unverified,
        )

    # Storage -----------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The relational database shared by conversations, feedback, keys, assessments and the index records."""
        return self.index.engine

    @cached_property
    def conversations(self) -> Any:
        """Stored conversations and their turns."""
        from advisor.storage import ConversationStore

        return ConversationStore(self.engine)

    @cached_property
    def feedback(self) -> Any:
        """Thumbs up/down on answers."""
        from advisor.storage import FeedbackStore

        return FeedbackStore(self.engine)

    @cached_property
    def keys(self) -> Any:
        """API keys (only hashes are stored)."""
        from advisor.storage import KeyStore

        return KeyStore(self.engine)

    def converse(self, question: str, conversation_id: str | None = None, owner: str = "local") -> Reply:
        """Answer within a stored conversation (a new one if no id), storing both turns."""
        return next(r for r in self.converse_stream(question, conversation_id, owner) if isinstance(r, Reply))

    def converse_stream(
        self, question: str, conversation_id: str | None = None, owner: str = "local"
    ) -> Iterator[Token | Reply]:
        """Like `stream`, in a stored conversation; the last item is the Reply with its ids."""
        text = check_question(question, self.settings.max_question_chars)
        history = self.conversations.history(conversation_id, owner) if conversation_id else []
        for event in self.stream(text, history):
            if isinstance(event, Final):
                piece = event.answer
                conversation_id, message_id = self.conversations.add_exchange(
                    conversation_id,
                    owner,
                    text,
                    piece.text,
                    citations=piece.citations,
                    meta={"refused": piece.refused, "intent": piece.intent, "backend": piece.backend},
                )
                yield Reply(answer=piece, conversation_id=conversation_id, message_id=message_id)
            else:
                yield event

    @cached_property
    def assessments(self) -> Any:
        """The readiness assessment service."""
        from advisor.readiness.service import AssessmentService

        return AssessmentService.from_settings(self.settings, self.engine, lambda q, k: self.search(q, k=k))


def _hit(doc: Document) -> Hit:
    meta = doc.metadata
    return Hit(
        source=str(meta.get("source", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        topic=str(meta.get("topic", "")),
        text=chunk_body(doc),
        score=round(float(meta.get("similarity", 0.0)), 4),
    )


def _one_blas_thread() -> None:
    # A question's work is small matrix-vector products (its heading, chunk and sentence scores, the query's
    # encoder layers). Waking OpenBLAS's threads for them costs more than they save: the heading scores took
    # 24 ms with two BLAS threads on a busy two-core machine and 0.24 ms with one. Torch's own threads are
    # left alone, so ingesting with sentence-transformers still uses every core.
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
