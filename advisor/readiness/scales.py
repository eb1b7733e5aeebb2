"""1-5 scale questions in free text: numbers, the scale's own wording, and plain words with negation."""

from __future__ import annotations

import math
import re

from advisor.readiness.errors import AskBack
from advisor.readiness.numbers import words_to_digits
from advisor.readiness.questionnaire import Question
from advisor.readiness.wording import clauses, hedged, negated, overlap

_OUT_OF = r"(\d+(?:\.\d+)?)\s*(?:/|out of|of)\s*(\d+)"
_SOFTEN = r"\b(?:mostly|largely|partly|partially|almost|nearly|some|fairly|in parts?|not entirely|not fully)\b"
_GOOD = r"(?:well|good|great|clear|strong|solid|mature|high|fine|defined|documented|standardi[sz]ed|known)"
_BAD = r"(?:poor|poorly|bad|badly|weak|low|vague|patchy|unclear)"
# Plain words, first match wins; negation is read before the word it turns round.
_WORDS = [
    (r"\bnot\b(?: \w+)? at all\b|\bnothing\b|\bnone\b", 1),
    (r"\b(?:not|n't)\b (?:very|really|that|too|so|particularly|especially) \w+", 2),
    (rf"\b(?:not|n't)\b (?:\w+ )?{_GOOD}\b", 2),
    (rf"\bnot (?:\w+ )?{_BAD}\b", 3),
    (rf"\b(?:very|extremely|really|super|highly|totally) {_GOOD}\b|\b(?:excellent|perfect|perfectly)\b", 5),
    (rf"\b(?:very|extremely|really) {_BAD}\b|\b(?:terrible|awful|non-existent)\b", 1),
    (rf"\b{_BAD}\b|\b(?:barely|hardly|little)\b", 2),
    (r"\b(?:somewhat|moderately|average|okay|ok|so-so|partly|medium|middling|fair|halfway|half)\b", 3),
    (rf"\b(?:pretty|fairly|quite|reasonably|mostly|largely) {_GOOD}\b|\b{_GOOD}\b", 4),
]


def read_scale(question: Question, text: str) -> float | None:
    """A 1-5 reading: a number (or "8 out of 10"), the anchor wording a reply echoes, or plain words."""
    number = _number(text)  # digits first, then the scale's own words ("one standard way"), then number words
    if number is not None:
        return number
    anchored = _anchor(question, text)
    if anchored is not None:
        return anchored
    number = _number(words_to_digits(text))
    if number is not None:
        return number
    worded = next((score for pattern, score in _WORDS if re.search(pattern, text)), None)
    if worded is None and hedged(text):
        raise AskBack("Where would you put it on the scale from 1 to 5? " + _anchors(question))
    return worded


def describe_scale(question: Question, value: int) -> str:
    """A scale value with what it means: "2 of 5, between 'Only in people's heads' (1) and ... (3)"."""
    if value in question.anchors:
        return f"{value} of 5, {question.anchors[value].lower()}"
    below = max((k for k in question.anchors if k < value), default=None)
    above = min((k for k in question.anchors if k > value), default=None)
    if below is None or above is None:
        return f"{value} of 5"
    return (
        f"{value} of 5, between '{question.anchors[below].lower()}' ({below}) and "
        f"'{question.anchors[above].lower()}' ({above})"
    )


def _number(text: str) -> float | None:
    out_of = re.search(_OUT_OF, text)
    if out_of:
        top = float(out_of.group(2))
        return math.floor(float(out_of.group(1)) / top * 5 + 0.5) if top else None
    numbers = sorted({float(n) for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text)})
    if len(numbers) > 1:
        raise AskBack(f"Is it {' or '.join(f'{n:g}' for n in numbers)}? Please pick one number from 1 to 5.")
    return numbers[0] if numbers else None


def _anchor(question: Question, text: str) -> int | None:
    scores: dict[int, float] = {}
    for value, wording in question.anchors.items():
        for clause in {text, *clauses(text)}:
            if negated(wording) and not negated(clause):
                continue  # "No measures" is not what "we measure everything" says
            if negated(clause) and not negated(wording):
                continue  # "we don't have scorecards" is not the anchor that names scorecards
            scores[value] = max(scores.get(value, 0.0), overlap(clause, wording))
    best = sorted(scores.items(), key=lambda pair: -pair[1])
    if not best or best[0][1] < 0.5 or (len(best) > 1 and best[1][1] == best[0][1]):
        return None
    value = best[0][0]
    if re.search(_SOFTEN, text) and not re.search(_SOFTEN, question.anchors[value].lower()):
        return {1: 2, 5: 4}.get(value, value)  # "mostly in my head" is a step up from "only in people's heads"
    return value


def _anchors(question: Question) -> str:
    return "; ".join(f"{k} = {v}" for k, v in sorted(question.anchors.items()))
