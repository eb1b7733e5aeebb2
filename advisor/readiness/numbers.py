"""Numbers in free text: digits, words ("two thousand"), units ("2k"), ranges, fractions, vague amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.readiness.errors import AskBack

_UNITS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}
_NUMBER_WORD = rf"(?:{'|'.join([*_SMALL, *_SCALES])})"
_WORD_RUN = rf"\b(?:(?:a|an)\s+(?={'|'.join(_SCALES)}))?{_NUMBER_WORD}(?:[\s-]+(?:and\s+)?{_NUMBER_WORD})*\b"
_DIGITS = r"(\d+(?:\.\d+)?)\s*(k|thousand|mn|m|million|bn|billion)?(?![a-z])"
_RANGE = rf"(?:between\s+)?{_DIGITS}\s*%?\s*(?:-|to|and|or)\s*{_DIGITS}"
_VAGUE = (
    r"\b(?:a few|few|several|some|many|lots of|a lot of|a couple of|couple of)\s+(?:hundred|thousand|dozen)s?\b"
    r"|\b(?:hundreds|thousands|dozens)\b|\b(?:lots|loads|a lot|many|plenty)\b"
)


@dataclass(frozen=True)
class Amount:
    """A number read from text; ``low`` and ``high`` are set when it was a range (the value is the middle)."""

    value: float
    low: float | None = None
    high: float | None = None


def words_to_digits(text: str) -> str:
    """Spell number words as digits: "two thousand five hundred" becomes "2500", "a dozen" becomes "12"."""
    return re.sub(_WORD_RUN, lambda m: _fmt(_word_value(m.group(0))), text)


def read_amount(text: str, percent: bool = False) -> Amount | None:
    """The number in a reply (a range gives its middle); AskBack when it is vague or there are several."""
    if re.search(_VAGUE, text) and not re.search(r"\d", text):
        raise AskBack("Roughly how many? A single number is fine (for example 300).")
    text = _clean(words_to_digits(text), percent)
    span = re.search(_RANGE, text)
    if span:
        low = _scaled(span.group(1), span.group(2) or span.group(4))
        high = _scaled(span.group(3), span.group(4))
        return Amount((low + high) / 2, min(low, high), max(low, high))
    found = list(re.finditer(_DIGITS, text))
    values = sorted({_scaled(m.group(1), m.group(2)) for m in found})
    if len(values) > 1:
        listed = " or ".join(_fmt(v) for v in values)
        raise AskBack(f"I read more than one number ({listed}). Which one is the answer?")
    return Amount(values[0]) if values else None


def _clean(text: str, percent: bool) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"[$€£~]", "", text)
    text = re.sub(r"(?<=\d)\s*-?ish\b", "", text)
    if percent:  # "a third" of cases is 33%
        text = re.sub(rf"\b(?:a|an|one)\s+({'|'.join(_FRACTIONS)})\b", lambda m: _fmt(round(_FRACTIONS[m[1]], 1)), text)
    return text


def _scaled(digits: str, unit: str | None) -> float:
    return float(digits) * _UNITS.get(unit or "", 1)


def _word_value(run: str) -> float:
    total, current = 0.0, 0.0
    for word in re.findall(r"[a-z]+", run):
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _SCALES:
            current = (current or 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0.0
    return total + current


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
