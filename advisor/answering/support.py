"""Sentence-level support checking: does a generated sentence rest on the passages it cites?"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.text import HEDGES, STOPWORDS, prefix_stem, split_lines_and_sentences, words

# Calibrated on evals/data/support_pairs.jsonl by `python -m evals.support_calibration`.
DEFAULT_WEIGHT = 0.75
DEFAULT_THRESHOLD = 0.759

# A paraphrase that keeps the passage's words but not its sentence shape (a capable model's summary of several
# points) is supported when nothing is penalised: measured on evals/data/support_pairs_composed.jsonl (blind
# labels of such sentences), it accepts 56 of the 134 supported ones the score rejects, and one unsupported.
PARAPHRASE_OVERLAP = 0.85
PARAPHRASE_COSINE = 0.5

ENTITY_PENALTY = 0.25
NEGATION_PENALTY = 0.3
# Negation is compared with every passage sentence, clause or item about as close as the closest unit: a summary
# may match one clause best while the negation it shares sits in a sentence just behind. Measured on
# support_pairs_composed.jsonl: recall 0.66 -> 0.70 with no more false accepts; support_pairs.jsonl unchanged.
NEGATION_MARGIN = 0.1
CONTRAST_PENALTY = 0.3
MIN_CONTENT_WORDS = 3
_CACHE_LIMIT = 2048

_STOPWORDS = STOPWORDS | HEDGES
_NEGATIONS = frozenset(["not", "no", "never", "none", "cannot", "without", "neither", "nor", "rarely", "n't"])
# Alternatives that exclude each other (each a set of synonyms): a sentence using one alternative where its
# passage uses another contradicts it.
_CONTRASTS: tuple[tuple[frozenset[str], ...], ...] = (
    (frozenset({"onshore", "domestic"}), frozenset({"nearshore"}), frozenset({"offshore"})),
    (frozenset({"front-office"}), frozenset({"back-office"})),
    (frozenset({"cheapest"}), frozenset({"expensive", "costliest"})),
    (frozenset({"highest", "largest"}), frozenset({"lowest", "smallest"})),
    (frozenset({"easier", "easy", "simplest"}), frozenset({"harder", "hard", "difficult"})),
    (frozenset({"increase", "increases", "raise", "raises"}), frozenset({"reduce", "reduces", "lower", "cut"})),
)
_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*%?\s*(?:-|–|—|to)\s*\$?(\d+(?:\.\d+)?)")
_CITATION = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")
_ITEM = re.compile(r"[,;:]\s+(?:and\s+|or\s+)?|\s+and\s+(?=[^,;]*[.;]?$)")
_CLAUSE = re.compile(r"[,;]\s+(?:and|but|while|so|which|where)\s+|;\s+")


@dataclass(frozen=True)
class Support:
    """How well a sentence is supported: the verdict, its score, the best passage and why it failed."""

    supported: bool
    score: float
    best: int = -1
    reasons: tuple[str, ...] = field(default_factory=tuple)


class SupportChecker:
    """Scores a sentence against passages: embedding cosine plus content-word overlap, with hard rules.

    Numbers, percentages and ranges in the sentence must appear in the passages, and a sentence needs a few
    content words to be checkable at all (hard rules); named or
    capitalised terms the passages lack, negation that the closest passage sentence does not share, and
    swapped contrast terms (onshore/offshore, highest/lowest) are penalised.
    """

    def __init__(
        self, embeddings: Embeddings, threshold: float = DEFAULT_THRESHOLD, weight: float = DEFAULT_WEIGHT
    ) -> None:
        self.embeddings = embeddings
        self.threshold = threshold
        self.weight = weight
        self._cache: dict[str, np.ndarray] = {}

    def tuned(self, threshold: float, weight: float) -> SupportChecker:
        """A checker with other parameters that shares this one's embedding cache."""
        other = SupportChecker(self.embeddings, threshold=threshold, weight=weight)
        other._cache = self._cache
        return other

    def prefetch(self, texts: Sequence[str]) -> None:
        """Embed sentences and passages (and the passages' sentences) in one batch ahead of checks."""
        units = [u for t in texts for u in [_CITATION.sub("", t).strip(), *_passage_sentences(t)]]
        self._vectors(units)

    def check(self, sentence: str, passages: Sequence[str]) -> Support:
        """Whether ``sentence`` is supported by at least one of ``passages`` (citation markers ignored)."""
        sentence = _CITATION.sub("", sentence).strip()
        if not sentence or not passages:
            return Support(False, 0.0, reasons=("empty",))
        raw, hard = self.features(sentence, passages)
        cosine, overlap, penalty, best = raw
        score = self.weight * cosine + (1 - self.weight) * overlap - penalty
        paraphrase = penalty == 0 and overlap >= PARAPHRASE_OVERLAP and cosine >= PARAPHRASE_COSINE
        supported = not hard and (score >= self.threshold or paraphrase)
        return Support(supported, round(score, 4), best, tuple(hard))

    def features(self, sentence: str, passages: Sequence[str]) -> tuple[tuple[float, float, float, int], list[str]]:
        """The raw signals (cosine, overlap, penalty, best passage) and hard-rule failures, for calibration."""
        reasons: list[str] = []
        joined = "\n".join(passages)
        if not _numbers_present(sentence, joined):
            reasons.append("number")
        if len(_content(sentence)) < MIN_CONTENT_WORDS:
            reasons.append("too_short")  # "I have been pwned." overlaps anything that mentions "pwned"
        cosine, best, closest = self._closest(sentence, passages)
        overlap = _overlap(sentence, joined)
        penalty = 0.0
        missing = _missing_entities(sentence, joined)
        if missing:
            penalty += ENTITY_PENALTY * len(missing)
        if all(_has_negation(sentence) != _has_negation(unit) for unit in closest):
            penalty += NEGATION_PENALTY
        if _contradicts(sentence, joined):
            penalty += CONTRAST_PENALTY
        return (cosine, overlap, penalty, best), reasons

    def _closest(self, sentence: str, passages: Sequence[str]) -> tuple[float, int, list[str]]:
        """The best cosine, its passage, and the passage sentences within NEGATION_MARGIN of it (closest first)."""
        units = [(i, unit) for i, p in enumerate(passages) for unit in [p, *_passage_sentences(p)]]
        vectors = self._vectors([sentence, *(u for _, u in units)])
        scores = vectors[1:] @ vectors[0]
        top = int(np.argmax(scores))
        # A whole passage is near only as the closest unit: any negation anywhere in it would excuse a flipped claim.
        whole = set(passages)
        near = [units[top][1]] + [
            u for (_, u), s in zip(units, scores, strict=True) if s >= scores[top] - NEGATION_MARGIN and u not in whole
        ]
        return float(scores[top]), units[top][0], near

    def _vectors(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            if len(self._cache) + len(missing) > _CACHE_LIMIT:
                self._cache.clear()  # and every text of this call is embedded again, not only the new ones
                missing = list(dict.fromkeys(texts))
            for text, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                array = np.asarray(vector, dtype=np.float32)
                self._cache[text] = array / (np.linalg.norm(array) or 1.0)
        return np.stack([self._cache[t] for t in texts])


def _passage_sentences(passage: str) -> list[str]:
    sentences = [s for s in split_lines_and_sentences(passage) if len(s.split()) >= 3]
    clauses = [c.strip() for s in sentences for c in _CLAUSE.split(s) if len(c.split()) >= 4 and c != s]
    # The items of an inline list ("a, b, c and d"), so a sentence naming one item has a unit to match.
    items = [i.strip(" .") for s in sentences if len(_ITEM.findall(s)) >= 2 for i in _ITEM.split(s)]
    return list(dict.fromkeys([*sentences, *clauses, *(i for i in items if len(i.split()) >= 2)]))


def _content(text: str) -> set[str]:
    return {prefix_stem(w) for w in words(text) if w.lower() not in _STOPWORDS and not w[0].isdigit()}


def _overlap(sentence: str, passage: str) -> float:
    terms = _content(sentence)
    return len(terms & _content(passage)) / len(terms) if terms else 0.0


def _numbers(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    text = re.sub(r"\b(\d+)s\b", r"\1", text)
    text = re.sub(r"[A-Za-z]+", lambda m: _NUMBER_WORDS.get(m.group().lower(), m.group()), text)
    numbers = {n.replace(",", "") for n in _NUMBER.findall(text)}
    ranges = {(a, b) for a, b in _RANGE.findall(text.replace(",", ""))}
    return numbers, ranges


def _numbers_present(sentence: str, passage: str) -> bool:
    numbers, ranges = _numbers(sentence)
    known_numbers, known_ranges = _numbers(passage)
    return numbers <= known_numbers and ranges <= known_ranges


def _missing_entities(sentence: str, passage: str) -> list[str]:
    said = words(sentence)
    terms = [w for i, w in enumerate(said) if (i > 0 and w[0].isupper()) or _is_acronym(w)]
    lowered = passage.lower()
    known = {prefix_stem(w) for w in words(passage)}
    initials = _initials(passage)
    return [
        t
        for t in terms
        if t.lower() not in lowered and prefix_stem(t) not in known and not (_is_acronym(t) and t in initials)
    ]


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _initials(passage: str) -> str:
    return "".join(w[0].upper() for w in words(passage) if w.lower() not in {"and", "of", "the"})


def _has_negation(text: str) -> bool:
    lowered = text.lower().replace("’", "'")
    return "n't" in lowered or any(w.lower() in _NEGATIONS for w in words(lowered))


def _contradicts(sentence: str, passage: str) -> bool:
    said = {w.lower() for w in words(sentence)}
    known = {w.lower() for w in words(passage)}
    for alternatives in _CONTRASTS:
        novel = [bool(a & said) and not a & known for a in alternatives]
        if any(novel) and any(a & known for a, new in zip(alternatives, novel, strict=True) if not new):
            return True
    return False
