"""The words of a free-text reply: normalising, clauses, stems, negation, hedges, typo repair and overlap."""

from __future__ import annotations

import re
from collections.abc import Iterable

NEGATION = r"(?:\bno\b|\bnot\b|n't\b|\bnever\b|\bnone\b|\bnothing\b|\bwithout\b|\bnobody\b|\bno one\b)"
_EXCLUSION = r"\b(?:except|apart from|other than|excluding|minus|save for|bar)\b"
_DENY_AFTER = r"^\s*(?:no|not|nope|never|not yet|isn't|aren't)\b"
HEDGE = r"\b(?:maybe|perhaps|possibly|probably|might|could be|depends|it depends|hard to say|not sure|unsure)\b"
# Words that carry no meaning when a reply is compared with an option label or scale anchor.
_STOP_WORDS = (
    "a an and are as at be by for from has have i in is it its me my of on or our so the their them they this to "
    "us was we were what with you your all any do does did just really very only also no not none don t"
)
_STOP = frozenset(_STOP_WORDS.split())
_CONTRACTIONS = {
    r"\bwe've\b": "we have",
    r"\bi've\b": "i have",
    r"\bwe're\b": "we are",
    r"\bit's\b": "it is",
    r"\bthat's\b": "that is",
    r"\bthey're\b": "they are",
    r"\bwe'd\b": "we would",
    r"\bi'd\b": "i would",
    r"\bdoesnt\b": "doesn't",
    r"\bdont\b": "don't",
    r"\bhavent\b": "haven't",
    r"\bisnt\b": "isn't",
    r"\bwont\b": "won't",
}
# Words typed often enough that a near miss of them must not be "repaired" into something else.
_COMMON_WORDS = "yet yes yeah yep yup not now nope nah new few set see use one two own way out our per got get let may"
_COMMON = frozenset(_COMMON_WORDS.split())


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, contractions spelled out."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, spelled in _CONTRACTIONS.items():
        text = re.sub(pattern, spelled, text)
    return text


def clauses(text: str) -> list[str]:
    """The reply cut at commas, semicolons and "but" (each part usually says one thing)."""
    parts = re.split(r"[,;]|\bbut\b|\bwhile\b|\bwhereas\b|\s-\s", text)
    return [p.strip(" .!?") for p in parts if p.strip(" .!?")]


def words(text: str) -> list[str]:
    """The words of a text, lower case (hyphens and slashes split words)."""
    return re.findall(r"[a-z0-9]+", text.lower())


def stem(word: str) -> str:
    """A coarse stem, so "planned" meets "plan" and "manufacturer" meets "manufacturing"."""
    for suffix in ("ations", "ation", "ings", "ing", "ers", "er", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]
    return word[:6]


def content_stems(text: str) -> set[str]:
    """The stems of the meaningful words of a text."""
    return {stem(w) for w in words(text) if w not in _STOP and len(w) > 1}


def overlap(reply: str, phrase: str) -> float:
    """Share of the phrase's meaningful words that the reply contains (0 when the phrase has none)."""
    wanted = content_stems(phrase)
    return len(wanted & content_stems(reply)) / len(wanted) if wanted else 0.0


def negated(text: str) -> bool:
    """Whether the text contains a negation."""
    return bool(re.search(NEGATION, text.lower()))


def denied(text: str, start: int, end: int) -> bool:
    """Whether the words at text[start:end] are negated or excluded in their clause ("not sales", "AP no")."""
    before, after = clause_before(text, start), _clause_after(text, end)
    return bool(re.search(NEGATION, before) or re.search(_EXCLUSION, before) or re.search(_DENY_AFTER, after))


def clause_before(text: str, start: int) -> str:
    """The part of the clause that comes before position ``start``."""
    head = text[:start]
    return clauses(head + " x")[-1].removesuffix("x") if head.strip() else ""


def _clause_after(text: str, end: int) -> str:
    tail = text[end:]
    return re.split(r"[,;]|\band\b|\bbut\b", tail)[0] if tail else ""


def hedged(text: str) -> bool:
    """Whether the text hedges ("maybe", "perhaps", "it depends", "not sure")."""
    return bool(re.search(HEDGE, text))


def mention(text: str, phrase: str) -> re.Match[str] | None:
    """Where the phrase occurs in the text as whole words, if it does."""
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) if phrase else None


def repair_typos(text: str, vocabulary: Iterable[str]) -> str:
    """Replace words one edit away from a vocabulary word ("payrol", "yse") by that word."""
    known = {w for phrase in vocabulary for w in words(phrase) if len(w) >= 3}

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in known or word in _COMMON or len(word) < 3 or word.isdigit():
            return word
        close = sorted(k for k in known if abs(len(k) - len(word)) <= 1 and _one_edit(word, k))
        return close[0] if len(close) == 1 else word

    return re.sub(r"[a-z]+", fix, text)


def _one_edit(word: str, known: str) -> bool:
    # Short words are only repaired when two letters are swapped ("yse"): any other edit is too loose.
    if len(word) == len(known):
        diffs = [i for i in range(len(word)) if word[i] != known[i]]
        swapped = (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and word[diffs[0]] == known[diffs[1]]
            and word[diffs[1]] == known[diffs[0]]
        )  # fmt: skip
        return swapped or (len(diffs) == 1 and len(word) >= 5)
    if len(word) < 4:
        return False  # "all" is no typo of "call"
    short, long = (word, known) if len(word) < len(known) else (known, word)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
