"""The composition root: `Advisor` builds every part from settings and is what the CLI, API and UI share."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document

from advisor import conversation
from advisor.answer import Answer, Hit
from advisor.answering import ExtractiveAnswerer, Sections, scope
from advisor.embeddings import SentenceTransformerEmbeddings
from advisor.index import IngestReport, KnowledgeIndex
from advisor.knowledge import chunk_body
from advisor.retrieval import HeadingIndex, HybridRetriever, Mode
from advisor.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)


@dataclass
class Reply:
    """An answer given within a stored conversation."""

    answer: Answer
    conversation_id: str
    message_id: str


class InvalidQuestion(ValueError):
    """A question that cannot be answered as given (empty, too long, binary)."""


def check_question(question: object, max_chars: int) -> str:
    """The question, stripped, or InvalidQuestion saying what is wrong with it."""
    if not isinstance(question, str):
        raise InvalidQuestion("question must be text")
    text = question.strip()
    if not text:
        raise InvalidQuestion("question is empty")
    if len(text) > max_chars:
        raise InvalidQuestion(f"question is too long ({len(text)} characters; the limit is {max_chars})")
    unprintable = sum(1 for ch in text if not ch.isprintable() and ch not in "\n\t\r")
    if "\x00" in text or unprintable > max(2, len(text) // 20):
        raise InvalidQuestion("question contains binary data, not text")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # Lone surrogates (possible in JSON escapes) are not text; the tokenizer would fail on them.
        raise InvalidQuestion("question contains invalid Unicode (an unpaired surrogate)")
    return text


class Advisor:
    """Answers questions from the knowledge base, searches it, ingests into it and runs assessments."""

    def __init__(self, settings: Settings, embeddings: Any, index: KnowledgeIndex) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.index = index
        self.extractive = ExtractiveAnswerer(embeddings, lambda: self.sections)
        self._retrievers: dict[tuple[Mode, str | None, int], HybridRetriever] = {}
        self._documents: list[Document] | None = None
        self._vocabulary: set[str] | None = None
        self._headings: HeadingIndex | None = None
        self._sections: Sections | None = None

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Advisor:
        """Build an advisor and everything it needs from settings (default: the environment)."""
        settings = settings or load_settings()
        embeddings = SentenceTransformerEmbeddings(settings.resolved_embedding_model)
        return cls(settings, embeddings, KnowledgeIndex(settings, embeddings))

    # Knowledge ---------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[Path] = (), progress: bool | None = None) -> IngestReport:
        """Bring the index in step with the knowledge files, then refresh the keyword index."""
        report = self.index.ingest(paths, progress=progress)
        self._documents = None
        self._vocabulary = None
        self._headings = None
        self._sections = None
        self._retrievers.clear()
        return report

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
        """Whole sections rebuilt from the chunks (cached until the next ingest)."""
        if self._sections is None:
            self._sections = Sections(self.documents)
        return self._sections

    @property
    def headings(self) -> HeadingIndex:
        """The embedded section headings (cached until the next ingest)."""
        if self._headings is None:
            self._headings = HeadingIndex(self.documents, self.embeddings)
        return self._headings

    @property
    def documents(self) -> list[Document]:
        """Every indexed chunk (cached until the next ingest)."""
        if self._documents is None:
            self._documents = self.index.documents()
        return self._documents

    def ready(self) -> bool:
        """Whether the index holds chunks and answers a query."""
        try:
            return bool(self.documents) and bool(self.search("outsourcing", k=1))
        except Exception:  # readiness probes report, never raise
            log.exception("readiness_check_failed")
            return False

    def _retriever(self, mode: Mode, topic: str | None, k: int) -> HybridRetriever:
        key = (mode, topic, k)
        if key not in self._retrievers:
            s = self.settings
            self._retrievers[key] = HybridRetriever(
                vector_store=self.index.vector_store,
                embeddings=self.embeddings,
                documents=self.documents,
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
        answer: Answer | None = None
        for piece in self.stream(question, history):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str, history: Sequence[tuple[str, str]] | None = None) -> Iterator[str | Answer]:
        """Yield pieces of the answer's text as they are ready, then the complete Answer."""
        text = check_question(question, self.settings.max_question_chars)
        answer = self._direct_reply(text)
        if answer is None:
            standalone = conversation.standalone_question(text, history)
            answer = self._decline(text, standalone)
            if answer is None:
                hits = self.search(standalone, k=self.settings.top_k)
                answer = self._decline(text, standalone, hits)
                if answer is None:
                    yield from self._generate(standalone, hits)
                    return
        yield answer.text
        yield answer

    def _decline(self, text: str, standalone: str, hits: list[Hit] | None = None) -> Answer | None:
        # Before retrieval: advice the advisor never gives. After: nothing close enough, or names it lacks.
        if hits is None:
            reason = scope.policy_reason(text)
            return _refusal(scope.decline_message(reason), standalone) if reason else None
        if not self.in_scope(standalone, hits):
            return _refusal(conversation.REFUSAL, standalone)
        names = scope.unknown_names(text, self.vocabulary)
        close = bool(hits) and max(h.score for h in hits) >= self.settings.named_relevance
        if names and (scope.asks_for_figures(text) or not close):
            reason = "named" if scope.asks_for_figures(text) else "unknown"
            return _refusal(scope.decline_message(reason, names), standalone)
        return None

    def in_scope(self, question: str, hits: list[Hit]) -> bool:
        """Whether the knowledge base speaks to the question: a close chunk, or failing that a close sentence."""
        if not hits:
            return False
        if max(h.score for h in hits) >= self.settings.min_relevance:
            return True
        return self.extractive.sentence_relevance(question, hits) >= self.settings.min_sentence_relevance

    @property
    def vocabulary(self) -> set[str]:
        """Every lower-cased word in the indexed knowledge (cached until the next ingest)."""
        if self._vocabulary is None:
            self._vocabulary = {w for d in self.documents for w in re.findall(r"[a-z0-9]+", d.page_content.lower())}
        return self._vocabulary

    def _direct_reply(self, text: str) -> Answer | None:
        kind = conversation.classify(text)
        if kind == "question":
            return None
        if kind == "injection":
            return Answer(text=conversation.REFUSAL, refused=True, intent="refusal", question=text)
        if kind == "readiness":
            return Answer(text=conversation.READINESS_OFFER, intent="readiness", question=text)
        return Answer(text=conversation.SMALL_TALK[kind], intent="smalltalk", question=text)

    def _generate(self, question: str, hits: list[Hit]) -> Iterator[str | Answer]:
        generator = self.generator
        if generator is None:
            answer = self.extractive.answer(question, hits)
            yield answer.text
            yield answer
        else:
            yield from generator.stream(question, hits)

    @cached_property
    def generator(self) -> Any:
        """The LLM answerer for the configured backend, or None for the extractive default."""
        from advisor.chat_models import build_chat_model

        chat_model = build_chat_model(self.settings)
        if chat_model is None:
            return None
        from advisor.generation import GenerativeAnswerer
        from advisor.verification import SupportChecker

        return GenerativeAnswerer(
            chat_model,
            SupportChecker(self.embeddings),
            self.extractive.answer,
            backend_name=self.settings.backend,
            unverified=self.settings.unverified,
        )

    # Storage -----------------------------------------------------------------------------------

    @cached_property
    def engine(self) -> Engine:
        """The relational database shared by conversations, feedback, keys and assessments."""
        from advisor.db import make_engine

        return make_engine(self.settings.resolved_database_url)

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
        reply: Reply | None = None
        for piece in self.converse_stream(question, conversation_id, owner):
            if isinstance(piece, Reply):
                reply = piece
        assert reply is not None
        return reply

    def converse_stream(
        self, question: str, conversation_id: str | None = None, owner: str = "local"
    ) -> Iterator[str | Reply]:
        """Like `stream`, in a stored conversation; the last item is the Reply with its ids."""
        text = check_question(question, self.settings.max_question_chars)
        history = self.conversations.history(conversation_id, owner) if conversation_id else []
        conversation_id = conversation_id or self.conversations.create(owner)
        for piece in self.stream(text, history):
            if isinstance(piece, Answer):
                self.conversations.add_turn(conversation_id, owner, "user", text)
                message_id = self.conversations.add_turn(
                    conversation_id,
                    owner,
                    "assistant",
                    piece.text,
                    citations=piece.citations,
                    meta={"refused": piece.refused, "intent": piece.intent, "backend": piece.backend},
                )
                yield Reply(answer=piece, conversation_id=conversation_id, message_id=message_id)
            else:
                yield piece

    @cached_property
    def assessments(self) -> Any:
        """The readiness assessment service."""
        from advisor.readiness.service import AssessmentService

        return AssessmentService.from_settings(self.settings, self.engine, lambda q, k: self.search(q, k=k))


def _refusal(text: str, question: str) -> Answer:
    return Answer(text=text, refused=True, intent="refusal", question=question)


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
