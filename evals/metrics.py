"""Metric functions: pure, per case, and the aggregation of per-case values into a run's summary.

Every metric is defined in `evals/README.md`; the one-line docstrings here say the same in short.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence

_CITATION = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*])")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "’": "'", "‘": "'"})

# Which way is better, for the gate and for comparisons: higher for most, lower for these.
LOWER_IS_BETTER = frozenset({"false_refusal_rate", "latency_p50_ms", "latency_p95_ms"})


def normalise(text: str) -> str:
    """Lower-case text with unified dashes and quotes and single spaces, for fact matching."""
    return " ".join(text.translate(_DASHES).lower().split())


def hit_at_k(retrieved: Sequence[str], expected: Iterable[str], k: int) -> float:
    """1.0 when any expected source is among the first k retrieved sources, else 0.0."""
    wanted = set(expected)
    return 1.0 if any(source in wanted for source in retrieved[:k]) else 0.0


def reciprocal_rank(retrieved: Sequence[str], expected: Iterable[str]) -> float:
    """1/rank of the first retrieved source that is expected (rank 1 is the top), 0.0 if none is."""
    wanted = set(expected)
    for rank, source in enumerate(retrieved, start=1):
        if source in wanted:
            return 1.0 / rank
    return 0.0


def fact_recall(text: str, facts: Sequence[Sequence[str]]) -> float:
    """Share of facts with at least one alternative present in the text (case- and dash-insensitive)."""
    if not facts:
        return 1.0
    haystack = normalise(text)
    found = sum(1 for alternatives in facts if any(normalise(a) in haystack for a in alternatives))
    return found / len(facts)


def cited_sentences(text: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences, each with the citation numbers it carries (possibly none)."""
    pieces = []
    lines = (re.sub(r"^\s*[-*]\s+", "", line) for line in text.splitlines())
    for sentence in (s for line in lines for s in _SENTENCE_END.split(line.strip())):
        if not sentence.strip():
            continue
        numbers = [int(n) for group in _CITATION.findall(sentence) for n in group.split(",")]
        pieces.append((sentence.strip(), numbers))
    return pieces


def citation_validity(text: str, cited_sources: dict[int, str], retrieved: Iterable[str]) -> float:
    """Share of `[n]` markers whose n is a listed citation whose source was retrieved; 0.0 if none."""
    markers = [n for _, numbers in cited_sentences(text) for n in numbers]
    if not markers:
        return 0.0
    known = set(retrieved)
    return sum(1 for n in markers if cited_sources.get(n) in known) / len(markers)


Judge = Callable[[str, list[str]], bool]


def citation_support(text: str, passages: dict[int, str], supports: Judge) -> float:
    """Share of (sentence, [n]) pairs in which passage n supports the sentence; 0.0 if there are none."""
    pairs = [(s, n) for s, numbers in cited_sentences(text) for n in numbers]
    if not pairs:
        return 0.0
    return sum(1 for s, n in pairs if n in passages and supports(s, [passages[n]])) / len(pairs)


def faithfulness(text: str, passages: dict[int, str], supports: Judge) -> float:
    """Share of answer sentences supported by the passages they cite; uncited sentences count as unsupported."""
    sentences = cited_sentences(text)
    if not sentences:
        return 0.0
    supported = 0
    for sentence, numbers in sentences:
        cited = [passages[n] for n in numbers if n in passages]
        if cited and supports(sentence, cited):
            supported += 1
    return supported / len(sentences)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def passes(metric: str, value: float, threshold: float) -> bool:
    """Whether a value meets its threshold, minding the direction of the metric."""
    return value <= threshold if metric in LOWER_IS_BETTER else value >= threshold
