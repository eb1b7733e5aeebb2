"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank, spread across documents."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from pydantic import ConfigDict, PrivateAttr

Mode = Literal["hybrid", "dense", "keyword"]

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "us",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "about",
        "also",
        "any",
        "more",
        "most",
        "much",
        "some",
        "such",
    ]
)


def keyword_tokens(text: str) -> list[str]:
    """Lower-cased content words with a light plural strip, for BM25 and overlap scores."""
    words = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())
    return [_stem(w) for w in words if w not in _STOPWORDS and len(w) > 1]


def _stem(word: str) -> str:
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class HybridRetriever(BaseRetriever):
    """Ranks chunks for a query; each returned Document carries `score` and `similarity` in its metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vector_store: VectorStore
    embeddings: Embeddings
    documents: list[Document]
    k: int = 4
    fetch_k: int = 20
    rrf_k: int = 60
    max_per_source: int = 2
    mode: Mode = "hybrid"
    topic: str | None = None

    _bm25: Any = PrivateAttr(default=None)
    _vectors: dict[str, list[float]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Build the keyword index over the chunks."""
        from rank_bm25 import BM25Okapi

        corpus = [keyword_tokens(d.page_content) or ["_"] for d in self.documents]
        self._bm25 = BM25Okapi(corpus) if corpus else None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        query_vector = self.embeddings.embed_query(query)
        rankings = []
        if self.mode in ("hybrid", "dense"):
            rankings.append(self._dense(query_vector))
        if self.mode in ("hybrid", "keyword"):
            rankings.append(self._keyword(query))
        fused = _reciprocal_rank_fusion(rankings, self.rrf_k)
        chosen = _spread(fused, self.k, self.max_per_source)
        self._load_vectors([doc for doc, _ in chosen])
        return [self._scored(doc, score, query_vector) for doc, score in chosen]

    def _dense(self, query_vector: list[float]) -> list[Document]:
        where = {"topic": self.topic} if self.topic else None
        found = self.vector_store.similarity_search_by_vector(query_vector, k=self.fetch_k, filter=where)
        return list(found)

    def _keyword(self, query: str) -> list[Document]:
        tokens = keyword_tokens(query)
        if self._bm25 is None or not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        picked = [self.documents[i] for i in order if scores[i] > 0]
        if self.topic:
            picked = [d for d in picked if d.metadata.get("topic") == self.topic]
        return picked[: self.fetch_k]

    def _scored(self, doc: Document, fused: float, query_vector: list[float]) -> Document:
        similarity = _cosine(query_vector, self._vectors[_key(doc)])
        metadata = {**doc.metadata, "score": fused, "similarity": similarity}
        return Document(id=doc.id, page_content=doc.page_content, metadata=metadata)

    def _load_vectors(self, docs: list[Document]) -> None:
        # The store already holds each chunk's vector; embedding a chunk again is the slow fallback.
        missing = [d for d in docs if _key(d) not in self._vectors]
        if not missing:
            return
        stored = _stored_vectors(self.vector_store, [d.id for d in missing if d.id])
        for doc in missing:
            vector = stored.get(doc.id or "")
            self._vectors[_key(doc)] = vector or self.embeddings.embed_documents([doc.page_content])[0]


def _stored_vectors(store: VectorStore, ids: list[str]) -> dict[str, list[float]]:
    getter = getattr(store, "get", None)
    if not ids or getter is None:
        return {}
    found = getter(ids=ids, include=["embeddings"])
    return {i: [float(x) for x in v] for i, v in zip(found["ids"], found["embeddings"], strict=True)}


def _key(doc: Document) -> str:
    return f"{doc.metadata.get('source')}#{doc.metadata.get('chunk')}"


def _reciprocal_rank_fusion(rankings: list[list[Document]], rrf_k: int) -> list[tuple[Document, float]]:
    scores: dict[str, float] = defaultdict(float)
    docs: dict[str, Document] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking):
            key = _key(doc)
            docs.setdefault(key, doc)
            scores[key] += 1.0 / (rrf_k + rank + 1)
    return sorted(((docs[k], s) for k, s in scores.items()), key=lambda pair: -pair[1])


def _spread(fused: list[tuple[Document, float]], k: int, max_per_source: int) -> list[tuple[Document, float]]:
    # Diversity: one long document may not fill every slot.
    taken: list[tuple[Document, float]] = []
    per_source: dict[str, int] = defaultdict(int)
    for doc, score in fused:
        source = str(doc.metadata.get("source"))
        if per_source[source] < max_per_source:
            taken.append((doc, score))
            per_source[source] += 1
        if len(taken) == k:
            break
    return taken


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
