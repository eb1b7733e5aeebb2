"""Yes / partly / no questions in free text: per-clause polarity, mixed answers, hedges, the question's wording."""

from __future__ import annotations

import re

from advisor.readiness.errors import AskBack
from advisor.readiness.questionnaire import Question
from advisor.readiness.wording import NEGATION, clauses, denied, hedged, mention

_STRONG_NO = r"\b(?:absolutely not|definitely not|certainly not|of course not|not at all)\b"
_PARTLY = (
    r"\b(?:partly|partially|mostly|largely|somewhat|some|in part|sort of|kind of|kinda|to some extent|"
    r"to a degree|more or less|not fully|not entirely|not completely|not quite|not all|not every|half|halfway|"
    r"in progress|underway|started|working on it|a bit|a little|yes and no|in places|patchy)\b"
)
_RESTRICTED = r"\bbut\b|\bonly (?:for|in|at|on)\b|\bexcept\b"  # "yes, but only for finance" is partly
_NO = rf"{NEGATION}|\b(?:nope|nah|negative|n)\b"
_YES = (
    r"\b(?:yes|yeah|yep|yup|yea|sure|definitely|absolutely|of course|certainly|indeed|correct|fully|completely|"
    r"we do|we have|we are|i have|i do|there is|totally|y|right|true|in place)\b"
)


def read_yes_partly_no(question: Question, text: str) -> str | None:
    """Yes, partly or no; a reply saying yes to one part and no to another is partly; AskBack on hedges."""
    worded = _by_wording(question, text)
    if worded is not None:
        return worded
    found = {p for p in (_polarity(c) for c in clauses(text) or [text]) if p}
    if hedged(text) and (not found or found == {"yes"}):
        raise AskBack("Would you say yes, partly or no? " + _why(question))
    if "partly" in found or {"yes", "no"} <= found or (found == {"yes"} and re.search(_RESTRICTED, text)):
        return "partly"
    return next((p for p in ("no", "yes") if p in found), None)


def _by_wording(question: Question, text: str) -> str | None:
    # The question's own phrasings (options' aliases: "keep changing" means "no" to "run without redesign?").
    named = {
        o.value
        for o in question.options
        for a in o.aliases
        if (found := mention(text, a.lower())) and not denied(text, *found.span())
    }
    return named.pop() if len(named) == 1 else None


def _polarity(clause: str) -> str | None:
    if re.search(_STRONG_NO, clause):
        return "no"
    if re.search(_PARTLY, clause):
        return "partly"
    if re.search(_NO, clause):
        return "no"
    return "yes" if re.search(_YES, clause) else None


def _why(question: Question) -> str:
    return f"({question.help})" if question.help else ""
