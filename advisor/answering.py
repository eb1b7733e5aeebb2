"""The default answerer: composes a short answer from the retrieved passages' own sentences, with citations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from advisor.answer import Answer, Citation, Hit
from advisor.retrieval import keyword_tokens

MIN_WORDS, MAX_WORDS = 40, 180
TARGET_WORDS = 110
_DUPLICATE_SIMILARITY = 0.86
_SEE_ALSO = re.compile(r"\(?\s*\bsee:\s*(?:[\w-]+\.md(?:,\s*|\s+and\s+)?)+\)?\.?", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*])")


@dataclass
class _Candidate:
    hit_rank: int
    position: int
    text: str
    vector: list[float]
    similarity: float = 0.0
    score: float = 0.0


def split_sentences(text: str) -> list[str]:
    """Sentences of a Markdown passage: bullets and lines become sentences, markup and `see:` lines go."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = _clean_line(line)
        if not line or line.lower().startswith("see:"):
            continue
        sentences.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return [_terminated(s) for s in sentences if len(s.split()) >= 4]


def _clean_line(line: str) -> str:
    line = line.strip()
    if line.startswith("|"):
        return ""  # Table rows read badly out of context; their facts are stated in prose too.
    line = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)
    line = re.sub(r"^#+\s+", "", line)
    line = re.sub(r"\*\*|__|`", "", line)
    line = _SEE_ALSO.sub("", line)
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line).strip()


def _terminated(sentence: str) -> str:
    return sentence if sentence[-1] in ".!?" else sentence.rstrip(":;,") + "."


class ExtractiveAnswerer:
    """Picks the sentences that best answer the question, orders them as the sources do and cites them."""

    backend = "extractive"

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings

    def answer(self, question: str, hits: list[Hit]) -> Answer:
        """Compose a grounded answer from the hits' sentences."""
        candidates = self._candidates(question, hits)
        chosen = _select(candidates)
        return compose(question, hits, [(c.hit_rank, c.text) for c in chosen], backend=self.backend)

    def sentence_relevance(self, question: str, hits: list[Hit]) -> float:
        """The best cosine similarity between the question and any sentence of the hits."""
        return max((c.similarity for c in self._candidates(question, hits)), default=0.0)

    def _candidates(self, question: str, hits: list[Hit]) -> list[_Candidate]:
        pieces = [(rank, pos, s) for rank, hit in enumerate(hits) for pos, s in enumerate(split_sentences(hit.text))]
        if not pieces:
            return []
        vectors = self.embeddings.embed_documents([question] + [s for _, _, s in pieces])
        query_vector, sentence_vectors = vectors[0], vectors[1:]
        query_terms = set(keyword_tokens(question))
        candidates = []
        for (rank, position, text), vector in zip(pieces, sentence_vectors, strict=True):
            candidate = _Candidate(rank, position, text, vector, similarity=_dot(query_vector, vector))
            candidate.score = _score(candidate, query_terms)
            candidates.append(candidate)
        return candidates


def _score(candidate: _Candidate, query_terms: set[str]) -> float:
    terms = set(keyword_tokens(candidate.text))
    overlap = len(query_terms & terms) / len(query_terms) if query_terms else 0.0
    lead = 0.05 if candidate.position == 0 else 0.0
    return candidate.similarity + 0.25 * overlap + lead - 0.04 * candidate.hit_rank


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    words = 0
    best = max((c.score for c in candidates), default=0.0)
    for candidate in sorted(candidates, key=lambda c: -c.score):
        length = len(candidate.text.split())
        if words + length > MAX_WORDS:
            continue
        if words >= MIN_WORDS and (words >= TARGET_WORDS or candidate.score < best - 0.2):
            break
        if any(_dot(candidate.vector, c.vector) > _DUPLICATE_SIMILARITY for c in chosen):
            continue
        chosen.append(candidate)
        words += length
    return sorted(chosen, key=lambda c: (c.hit_rank, c.position))


def compose(question: str, hits: list[Hit], sentences: list[tuple[int, str]], backend: str) -> Answer:
    """Join (hit rank, sentence) pairs into cited text; citations are numbered in order of first use."""
    numbers: dict[int, int] = {}
    parts = []
    for rank, sentence in sentences:
        n = numbers.setdefault(rank, len(numbers) + 1)
        parts.append(f"{sentence[:-1]} [{n}]{sentence[-1]}")
    citations = [citation(n, hits[rank]) for rank, n in numbers.items()]
    return Answer(text=" ".join(parts), citations=citations, question=question, backend=backend)


def citation(n: int, hit: Hit) -> Citation:
    """A numbered citation for a hit, with a short snippet."""
    snippet = " ".join(hit.text.split())
    if len(snippet) > 280:
        snippet = snippet[:277].rsplit(" ", 1)[0] + "..."
    return Citation(
        n=n,
        source=hit.source,
        title=hit.title,
        section=hit.section,
        snippet=snippet,
        score=round(hit.score, 4),
    )


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))
