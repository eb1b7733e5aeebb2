"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank, spread across documents."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from pydantic import ConfigDict, PrivateAttr

from advisor.text import canonical_query, keyword_tokens, question_kind

Mode = Literal["hybrid", "dense", "keyword"]


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

    headings: HeadingIndex | None = None
    heading_weight: float = 1.0
    heading_floor: float = 0.5
    weights: tuple[float, float] = (2.0, 1.0)  # dense (with headings), keyword: measured on the dev split

    _bm25: Any = PrivateAttr(default=None)
    _vectors: dict[str, list[float]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Build the keyword index over the chunks."""
        from rank_bm25 import BM25Okapi

        corpus = [keyword_tokens(f"{d.page_content} {d.metadata.get('asked', '')}") or ["_"] for d in self.documents]
        self._bm25 = BM25Okapi(corpus) if corpus else None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        query_vector = self.embeddings.embed_query(query)
        canonical = canonical_query(query)
        search_vector = self.embeddings.embed_query(canonical) if canonical != query else query_vector
        rankings = []
        if self.mode in ("hybrid", "dense"):
            rankings.append(self._dense(search_vector, canonical))
        if self.mode in ("hybrid", "keyword"):
            rankings.append(self._keyword(query))
        fused = _reciprocal_rank_fusion(rankings, self.rrf_k, self.weights if len(rankings) > 1 else None)
        chosen = _spread(fused, self.k, self.max_per_source)
        self._load_vectors([doc for doc, _ in chosen])
        return [self._scored(doc, score, query_vector) for doc, score in chosen]

    def _dense(self, query_vector: list[float], query: str = "") -> list[Document]:
        where = {"topic": self.topic} if self.topic else None
        found = list(self.vector_store.similarity_search_by_vector(query_vector, k=self.fetch_k, filter=where))
        if self.headings is None or self.heading_weight == 0:
            return found
        # The base's headings are the questions its sections answer: a chunk also scores by how close the
        # question is to its section's questions, which survives paraphrase better than the body alone.
        matches = self.headings.match(query_vector, query)
        by_heading = {_section_key(doc): score for doc, score in matches}
        ranked = [doc for doc, _ in matches if not self.topic or doc.metadata.get("topic") == self.topic]
        candidates = {_key(d): d for d in [*found, *ranked[: self.fetch_k]]}
        self._load_vectors(list(candidates.values()))
        vector = np.asarray(query_vector, dtype=np.float32)

        def score(doc: Document) -> float:
            body = float(np.dot(vector, self._vectors[_key(doc)]))
            heading = by_heading.get(_section_key(doc), 0.0)
            return body + self.heading_weight * max(0.0, heading - self.heading_floor)

        return sorted(candidates.values(), key=lambda d: -score(d))[: self.fetch_k]

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


class HeadingIndex:
    """The questions each section answers (its heading and its `asked:` phrasings), embedded once.

    It ranks the first chunk of each section by its closest question.
    """

    def __init__(self, documents: list[Document], embeddings: Embeddings) -> None:
        firsts: dict[tuple[str, str], Document] = {}
        for doc in documents:
            firsts.setdefault(_section_key(doc), doc)
        self.documents = list(firsts.values())
        keys = [(i, text) for i, doc in enumerate(self.documents) for text in _questions(doc)]
        self.owners = np.array([i for i, _ in keys], dtype=np.int64)
        self.kinds = [question_kind(text) for _, text in keys]
        vectors = embeddings.embed_documents([text for _, text in keys]) if keys else []
        self.matrix = np.array(vectors, dtype=np.float32) if keys else None

    def match(self, query_vector: list[float], query: str = "") -> list[tuple[Document, float]]:
        """Each section's first chunk with its closest question's similarity to the query, closest first."""
        best = self._best(query_vector, query)
        return [(self.documents[int(i)], float(best[i])) for i in np.argsort(-best)]

    def _best(self, query_vector: list[float], query: str = "") -> np.ndarray:
        best = np.full(len(self.documents), -1.0, dtype=np.float32)
        if self.matrix is not None:
            scores = self.matrix @ np.asarray(query_vector, dtype=np.float32)
            if query and (kind := question_kind(query)):
                # A "why" question is better answered by a "why" section than a "what" one on the same subject.
                scores = scores + KIND_BONUS * np.array([k == kind for k in self.kinds], dtype=np.float32)
            np.maximum.at(best, self.owners, scores)
        return best


KIND_BONUS = 0.05  # added to a heading question of the same kind as the query (why, what, when, ...)


def _section_key(doc: Document) -> tuple[str, str]:
    return str(doc.metadata.get("source")), str(doc.metadata.get("section"))


def _questions(doc: Document) -> list[str]:
    section = str(doc.metadata.get("section") or "")
    heading = section.rsplit(" > ", 1)[-1]
    title = str(doc.metadata.get("title") or "")
    asked = [q.strip() for q in str(doc.metadata.get("asked") or "").split("|") if q.strip()]
    return [title if heading in ("", "Overview") else heading, *asked]


def _stored_vectors(store: VectorStore, ids: list[str]) -> dict[str, list[float]]:
    getter = getattr(store, "get", None)
    if not ids or getter is None:
        return {}
    found = getter(ids=ids, include=["embeddings"])
    return {i: [float(x) for x in v] for i, v in zip(found["ids"], found["embeddings"], strict=True)}


def _key(doc: Document) -> str:
    return f"{doc.metadata.get('source')}#{doc.metadata.get('chunk')}"


def _reciprocal_rank_fusion(
    rankings: list[list[Document]], rrf_k: int, weights: tuple[float, ...] | None = None
) -> list[tuple[Document, float]]:
    scores: dict[str, float] = defaultdict(float)
    docs: dict[str, Document] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, doc in enumerate(ranking):
            key = _key(doc)
            docs.setdefault(key, doc)
            scores[key] += weight / (rrf_k + rank + 1)
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
