"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank, spread across documents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from pydantic import ConfigDict, Field

from advisor.index import chunk_key
from advisor.text import SEGMENTS, canonical_query, cosine, keyword_tokens, polarity, question_kind, segments
from advisor.text_vectors import section_questions

Mode = Literal["hybrid", "dense", "keyword"]


class HybridRetriever(BaseRetriever):
    """Ranks chunks for a query; each returned Document carries `score` and `similarity` in its metadata.

    The keyword index, the chunk vectors and the heading index are the index's, shared by every retriever.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vector_store: VectorStore
    embeddings: Embeddings
    keywords: KeywordIndex
    vectors: dict[str, np.ndarray] = Field(default_factory=dict)  # by chunk key; missing ones are fetched
    k: int = 4
    fetch_k: int = 20
    rrf_k: int = 60
    max_per_source: int = 2
    mode: Mode = "hybrid"
    topic: str | None = None

    matrix: ChunkMatrix | None = None  # every chunk's vector in memory: dense search without the store
    headings: HeadingIndex | None = None
    heading_weight: float = 1.0
    heading_floor: float = 0.5
    weights: tuple[float, float] = (2.0, 1.0)  # dense (with headings), keyword: measured on the dev split

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        canonical = canonical_query(query)
        query_vector, search_vector = _query_vectors(self.embeddings, query, canonical)
        rankings = []
        if self.mode in ("hybrid", "dense"):
            rankings.append(self._dense(search_vector, canonical))
        if self.mode in ("hybrid", "keyword"):
            rankings.append(self.keywords.ranked(query, self.fetch_k, self.topic))
        fused = _reciprocal_rank_fusion(rankings, self.rrf_k, self.weights if len(rankings) > 1 else None)
        chosen = _spread(fused, self.k, self.max_per_source)
        self._load_vectors([doc for doc, _ in chosen])
        return [self._scored(doc, score, query_vector) for doc, score in chosen]

    def _dense(self, query_vector: np.ndarray, query: str = "") -> list[Document]:
        found = self._nearest(query_vector)
        if self.headings is None or self.heading_weight == 0:
            return found
        # The base's headings are the questions its sections answer: a chunk also scores by how close the
        # question is to its section's questions, which survives paraphrase better than the body alone.
        closest_first, by_heading = self.headings.match(query_vector, query)
        ranked = [doc for doc in closest_first if not self.topic or doc.metadata.get("topic") == self.topic]
        candidates = {_key(d): d for d in [*found, *ranked[: self.fetch_k]]}
        docs = list(candidates.values())
        self._load_vectors(docs)
        body = np.stack([self.vectors[_key(d)] for d in docs]).astype(np.float64) @ query_vector.astype(np.float64)
        heading = np.array([by_heading.get(_section_key(d), 0.0) for d in docs], dtype=np.float64)
        scores = body + self.heading_weight * np.maximum(0.0, heading - self.heading_floor)
        return [docs[int(i)] for i in np.argsort(-scores, kind="stable")[: self.fetch_k]]

    def _nearest(self, query_vector: np.ndarray) -> list[Document]:
        if self.matrix is not None:
            return self.matrix.nearest(query_vector, self.fetch_k, self.topic)
        where = {"topic": self.topic} if self.topic else None
        return list(self.vector_store.similarity_search_by_vector(query_vector.tolist(), k=self.fetch_k, filter=where))

    def _scored(self, doc: Document, fused: float, query_vector: np.ndarray) -> Document:
        similarity = cosine(query_vector, self.vectors[_key(doc)])
        metadata = {**doc.metadata, "score": fused, "similarity": similarity}
        return Document(id=doc.id, page_content=doc.page_content, metadata=metadata)

    def _load_vectors(self, docs: list[Document]) -> None:
        # The index loads every chunk's vector once; fetching from the store, or embedding, is the fallback.
        missing = [d for d in docs if _key(d) not in self.vectors]
        if not missing:
            return
        stored = _stored_vectors(self.vector_store, [d.id for d in missing if d.id])
        for doc in missing:
            vector = stored.get(doc.id or "")
            if vector is None:
                vector = np.asarray(self.embeddings.embed_documents([doc.page_content])[0], dtype=np.float32)
            self.vectors[_key(doc)] = vector


class KeywordIndex:
    """BM25 over the chunks' words (and their sections' `asked:` phrasings), built once per ingest.

    Each word's BM25 weight in every chunk that has it is computed once (rank_bm25's Okapi formula), so a
    query only adds up the postings of its own words.
    """

    def __init__(self, documents: list[Document]) -> None:
        from rank_bm25 import BM25Okapi

        self.documents = documents
        corpus = [keyword_tokens(f"{d.page_content} {d.metadata.get('asked', '')}") or ["_"] for d in documents]
        self._postings = _bm25_postings(BM25Okapi(corpus)) if corpus else {}

    def scores(self, tokens: list[str]) -> np.ndarray:
        """Each chunk's BM25 score for the query's words (repeated words count again, as in rank_bm25)."""
        total = np.zeros(len(self.documents))
        for token in tokens:
            if (posting := self._postings.get(token)) is not None:
                total[posting[0]] += posting[1]
        return total

    def ranked(self, query: str, k: int, topic: str | None = None) -> list[Document]:
        """The k chunks sharing the most weighted words with the query, best first (within a topic if given)."""
        tokens = keyword_tokens(query)
        if not self._postings or not tokens:
            return []
        scores = self.scores(tokens)
        order = np.argsort(-scores, kind="stable")
        picked = [self.documents[int(i)] for i in order if scores[i] > 0]
        if topic:
            picked = [d for d in picked if d.metadata.get("topic") == topic]
        return picked[:k]


def _bm25_postings(bm25: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    # For every word, the chunks that contain it and its weight in each: idf * tf * (k1 + 1) / (tf + k1 * norm).
    lengths = np.asarray(bm25.doc_len, dtype=np.float64)
    norm = bm25.k1 * (1 - bm25.b + bm25.b * lengths / bm25.avgdl)
    found: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    for i, freqs in enumerate(bm25.doc_freqs):
        for word, tf in freqs.items():
            found[word][0].append(i)
            found[word][1].append(tf)
    postings = {}
    for word, (docs, tfs) in found.items():
        idx, tf = np.asarray(docs), np.asarray(tfs, dtype=np.float64)
        postings[word] = (idx, (bm25.idf.get(word) or 0) * (tf * (bm25.k1 + 1) / (tf + norm[idx])))
    return postings


class ChunkMatrix:
    """Every chunk's vector in one matrix: exact cosine search in memory (the vectors are unit length)."""

    def __init__(self, documents: list[Document], vectors: Mapping[str, np.ndarray]) -> None:
        self.documents = [d for d in documents if _key(d) in vectors]
        self.topics = np.array([str(d.metadata.get("topic")) for d in self.documents])
        dims = next(iter(vectors.values())).shape[0] if vectors else 0
        rows = [vectors[_key(d)] for d in self.documents]
        self.matrix = np.stack(rows).astype(np.float32) if rows else np.zeros((0, dims), dtype=np.float32)

    def nearest(self, query_vector: np.ndarray, k: int, topic: str | None = None) -> list[Document]:
        """The k chunks closest to the query vector, closest first (within a topic if given)."""
        scores = self.matrix @ query_vector.astype(np.float32)
        if topic:
            scores = np.where(self.topics == topic, scores, -np.inf)
        order = np.argsort(-scores, kind="stable")[:k]
        return [self.documents[int(i)] for i in order if np.isfinite(scores[i])]


class HeadingIndex:
    """The questions each section answers (its heading and its `asked:` phrasings), embedded once.

    It ranks the first chunk of each section by its closest question.
    """

    def __init__(
        self, documents: list[Document], embeddings: Embeddings, known: Mapping[str, np.ndarray] | None = None
    ) -> None:
        firsts: dict[tuple[str, str], Document] = {}
        for doc in documents:
            firsts.setdefault(_section_key(doc), doc)
        self.documents = list(firsts.values())
        questions = [(i, text) for i, doc in enumerate(self.documents) for text in section_questions(doc)]
        self.owners = np.array([i for i, _ in questions], dtype=np.int64)
        self.starts = np.flatnonzero(np.r_[True, np.diff(self.owners) != 0]) if questions else np.zeros(0, dtype=int)
        self.kinds = np.array([question_kind(text) for _, text in questions])
        # Which segments (HR, a region, ...) each question is confined to, one column per name in SEGMENTS.
        confined = [segments(text) for _, text in questions]
        self.segments = np.array([[name in found for name in SEGMENTS] for found in confined], dtype=bool)
        self.segments = self.segments.reshape(len(questions), len(SEGMENTS))
        self.polarities = np.array([polarity(text) for _, text in questions])
        self.keys = [_section_key(doc) for doc in self.documents]
        self.matrix = _matrix([text for _, text in questions], embeddings, known or {}) if questions else None

    def match(self, query_vector: np.ndarray, query: str = "") -> tuple[list[Document], dict[tuple[str, str], float]]:
        """Each section's first chunk, closest first, and each section's closeness (as `closeness` gives it)."""
        best = self._best(query_vector, query)
        return [self.documents[int(i)] for i in np.argsort(-best)], dict(zip(self.keys, best.tolist(), strict=True))

    def closeness(self, query_vector: np.ndarray, query: str = "") -> dict[tuple[str, str], float]:
        """Each section's closest question's similarity to the query, by (source, section)."""
        return dict(zip(self.keys, self._best(query_vector, query).tolist(), strict=True))

    def _best(self, query_vector: np.ndarray, query: str = "") -> np.ndarray:
        if self.matrix is None:
            return np.full(len(self.documents), -1.0, dtype=np.float32)
        scores = self.matrix @ query_vector
        if query and (kind := question_kind(query)):
            # A "why" question is better answered by a "why" section than a "what" one on the same subject.
            scores = scores + KIND_BONUS * (self.kinds == kind).astype(np.float32)
        if query:
            scores = scores - MISMATCH_PENALTY * self._mismatches(query)
        # Every section has at least its heading, and its questions are consecutive: one maximum per run.
        return np.maximum.reduceat(scores, self.starts)

    def _mismatches(self, query: str) -> np.ndarray:
        # "What KPIs should you track?" is not asked by "What KPIs matter for outsourced HR and payroll?", nor
        # "What are the challenges of X?" by "What are the benefits of X?": a narrower or opposite question.
        asked, side = segments(query), polarity(query)
        named = np.array([name in asked for name in SEGMENTS], dtype=bool)
        narrower = self.segments.any(axis=1) & ~(self.segments & named).any(axis=1)
        opposite = (self.polarities != "") & (self.polarities != side) if side else np.zeros(len(narrower), bool)
        return narrower.astype(np.float32) + opposite.astype(np.float32)


KIND_BONUS = 0.05  # added to a heading question of the same kind as the query (why, what, when, ...)
MISMATCH_PENALTY = 0.08  # taken from a heading question narrower than the query, or asking its opposite


def _section_key(doc: Document) -> tuple[str, str]:
    return str(doc.metadata.get("source")), str(doc.metadata.get("section"))


def _matrix(texts: list[str], embeddings: Embeddings, known: Mapping[str, np.ndarray]) -> np.ndarray:
    # The index stores these texts' vectors at ingest; only texts it lacks are embedded here.
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    fresh = dict(zip(missing, embeddings.embed_documents(missing), strict=True)) if missing else {}
    return np.array([known[t] if t in known else fresh[t] for t in texts], dtype=np.float32)


def _query_vectors(embeddings: Embeddings, query: str, canonical: str) -> tuple[np.ndarray, np.ndarray]:
    # The query and its canonical form in one batch; a `QueryCache` remembers them for the rest of the turn.
    texts = [query] if canonical == query else [query, canonical]
    batch = getattr(embeddings, "embed_queries", None)
    vectors = batch(texts) if batch else [embeddings.embed_query(t) for t in texts]
    arrays = [np.asarray(v, dtype=np.float32) for v in vectors]
    return arrays[0], arrays[-1]


def _stored_vectors(store: VectorStore, ids: list[str]) -> dict[str, np.ndarray]:
    getter = getattr(store, "get", None)
    if not ids or getter is None:
        return {}
    found = getter(ids=ids, include=["embeddings"])
    return {i: np.asarray(v, dtype=np.float32) for i, v in zip(found["ids"], found["embeddings"], strict=True)}


def _key(doc: Document) -> str:
    return chunk_key(doc.metadata)


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
