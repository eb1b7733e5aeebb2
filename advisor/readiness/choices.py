"""Choice questions in free text: options named, excluded ("everything except sales"), negated or hedged."""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.readiness.errors import AskBack
from advisor.readiness.numbers import read_amount
from advisor.readiness.questionnaire import Option, Question
from advisor.readiness.wording import clause_before, clauses, denied, hedged, mention, overlap

_ALL = r"\b(?:all|everything|every one|each of them|all of the above|the lot)\b"
_EXCLUDE = r"\b(?:except|but|apart from|other than|excluding|minus|save for|not|bar)\b"
_RANGES = (
    (r"^(?:under|below|less than) (\d+)", lambda m: (float("-inf"), float(m[1]) - 1e-9)),
    (r"^(\d+)\s*-\s*(\d+)", lambda m: (float(m[1]), float(m[2]))),
    (r"^(?:over|above|more than) (\d+)", lambda m: (float(m[1]) + 1e-9, float("inf"))),
)


@dataclass(frozen=True)
class Mention:
    """An option named in a reply, and whether the reply denies it or hedges about it."""

    option: Option
    start: int
    end: int
    denied: bool
    hedged: bool


def read_single(question: Question, text: str) -> str | None:
    """The one option a reply names (by label, alias, numeric range or wording); AskBack when it names several."""
    ranged = _by_range(question, text)
    if ranged is not None:
        return ranged
    named = _distinct([m for m in mentions(question, text) if not m.denied])
    if len(named) > 1:
        raise AskBack(f"Which one fits best: {_either(named)}?")
    if named:
        return named[0].value
    if text.isdigit() and 1 <= int(text) <= len(question.options):
        return question.options[int(text) - 1].value
    return _by_wording(question, text)


def read_multi(question: Question, text: str) -> list[str] | None:
    """The options a reply includes: all minus exclusions, named ones minus denied ones; AskBack on hedges."""
    found = mentions(question, text)
    everything = re.search(_ALL, text)
    if everything:
        rest = text[everything.end() :]
        cut = re.search(_EXCLUDE, rest)
        excluded = {m.option.value for m in found if cut and m.start >= everything.end() + cut.start()}
        return [o.value for o in question.options if o.value not in excluded]
    unsure = _distinct([m for m in found if m.hedged and not m.denied])
    if unsure:
        raise AskBack(f"Shall I include {_either(unsure, 'and')}? Please say which ones to include.")
    chosen = {m.option.value for m in found if not m.denied}
    return [o.value for o in question.options if o.value in chosen] or None


def mentions(question: Question, text: str) -> list[Mention]:
    """Every option the reply names, longest phrase first wins (a match inside a longer one is dropped)."""
    spans: list[tuple[Option, int, int]] = []
    for option in question.options:
        phrases = [option.value.replace("_", " "), option.label.lower(), *(a.lower() for a in option.aliases)]
        found = [m.span() for p in phrases if (m := mention(text, p))]
        if found:
            start, end = max(found, key=lambda span: span[1] - span[0])
            spans.append((option, start, end))
    kept = [(o, s, e) for o, s, e in spans if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for _, s2, e2 in spans)]
    return [Mention(o, s, e, denied(text, s, e), _hedged(text, s)) for o, s, e in kept]


def _hedged(text: str, start: int) -> bool:
    return hedged(clause_before(text, start))


def _by_range(question: Question, text: str) -> str | None:
    ranges = [(o, _range(o.label)) for o in question.options]
    if not all(r for _, r in ranges) or not re.search(r"\d|\b(?:half|third|quarter|fifth|tenth)\b", text):
        return None
    amount = read_amount(text, percent=True)
    if amount is None:
        return None
    return next((o.value for o, r in ranges if r and r[0] <= amount.value <= r[1]), None)


def _range(label: str) -> tuple[float, float] | None:
    for pattern, bounds in _RANGES:
        found = re.search(pattern, label.lower())
        if found:
            return bounds(found)
    return None


def _by_wording(question: Question, text: str) -> str | None:
    scored = sorted(((max(overlap(c, o.label) for c in clauses(text) or [text]), o) for o in question.options),
                    key=lambda pair: -pair[0])  # fmt: skip
    if not scored or scored[0][0] < 0.5:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        raise AskBack(f"Which one fits best: {_either([scored[0][1], scored[1][1]])}?")
    return scored[0][1].value


def _distinct(found: list[Mention]) -> list[Option]:
    seen: dict[str, Option] = {}
    for m in found:
        seen.setdefault(m.option.value, m.option)
    return list(seen.values())


def _either(options: list[Option], joiner: str = "or") -> str:
    labels = [o.label for o in options]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} {joiner} {labels[-1]}"
