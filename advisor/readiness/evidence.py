"""Evidence for one client: the client's situation from the answers, search queries built from it, and quotes.

A risk's passages are searched with the risk's own query plus the client's industry, named regulations,
functions and motivation, so a bank under PCI DSS outsourcing customer service is shown different passages
from a small online shop; the sentence of each passage that best matches the query is quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from advisor.answer import Hit
from advisor.readiness.answers import label
from advisor.readiness.questionnaire import Questionnaire

QUOTE_LIMIT = 320
_MOTIVATION_WORDS = 14
_VAGUE = {"other", "none", "not_sure"}
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_STOP = {"a", "an", "and", "the", "of", "in", "to", "for", "is", "what", "how", "when", "with", "on", "or", "our"}
# Words nearly every passage shares: they say nothing about whether a passage is about this risk.
_COMMON = {"outsource", "outsourcing", "outsourced", "vendor", "vendors", "company", "business", "processes"}


@dataclass(frozen=True)
class Situation:
    """What the answers say about the client: size, industry, regulations, functions and motivation."""

    size: str = ""
    industry: str = ""
    regulations: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    motivation: str = ""

    def describe(self) -> str:
        """One sentence a client recognises, e.g. "a banking company of 2,000 people outsourcing ... under GDPR"."""
        who = f"a {_lower_first(self.industry)} company" if self.industry else "a company"
        parts = [f"{who} of {self.size}" if self.size else who]
        if self.functions:
            parts.append(f"outsourcing {_join([_lower_first(f) for f in self.functions])}")
        if self.regulations:
            parts.append(f"under {_join(self.regulations)}")
        text = ", ".join(parts)
        return f"{text}, because \u201c{self.motivation}\u201d" if self.motivation else text

    def terms(self) -> str:
        """The words the situation adds to a search query."""
        motivation = " ".join(self.motivation.split()[:_MOTIVATION_WORDS])
        return " ".join([self.industry, *self.regulations, *self.functions, motivation]).strip()


def situation(questionnaire: Questionnaire, answers: dict[str, Any]) -> Situation:
    """The client's situation read from the answer values (vague options such as "Other" left out)."""
    return Situation(
        size=_label(questionnaire, answers, "ctx_company_size"),
        industry=_label(questionnaire, answers, "ctx_industry"),
        regulations=_labels(questionnaire, answers, "ctx_regulations"),
        functions=_labels(questionnaire, answers, "ctx_functions"),
        motivation=str(answers.get("ctx_motivation") or "").strip(),
    )


def client_query(base: str, where: Situation) -> str:
    """A search query for ``base`` (a rule's query) in this client's situation."""
    terms = where.terms()
    return f"{base} {terms}" if terms else base


def rank(own: list[Hit], situational: list[Hit], base: str, where: Situation) -> list[Hit]:
    """The risk's own passages, and those found for the situation that are about the risk too, best first.

    A passage found for the situation counts as about the risk when it shares two of the risk query's words
    (one, for a one-word query). Each passage is weighed by the share of the risk's words it has (three times)
    plus the share of the situation's words, so the topic leads and the client's situation decides among equals.
    """
    core, context = _words(base) - _COMMON, _words(where.terms()) - _COMMON
    needed = min(2, len(core))
    about = [h for h in situational if len(_hit_words(h) & core) >= needed]
    pool = list({(h.source, h.section): h for h in [*own, *about]}.values())

    def weight(hit: Hit) -> float:
        words = _hit_words(hit)
        return 3 * len(words & core) / (len(core) or 1) + len(words & context) / (len(context) or 1)

    return sorted(pool, key=weight, reverse=True)


def _hit_words(hit: Hit) -> set[str]:
    return _words(f"{hit.section} {hit.text}")


def quote(text: str, query: str, base: str = "", limit: int = QUOTE_LIMIT) -> str:
    """The sentence of ``text`` sharing most words with ``query`` (words of ``base`` count double), cut to ``limit``."""
    sentences = [s.strip() for s in _SENTENCE.split(_plain(text)) if len(s.split()) >= 2]
    if not sentences:
        return ""
    wanted, core = _words(query), _words(base)
    best = max(sentences, key=lambda s: len(_words(s) & wanted) + len(_words(s) & core))
    return best if len(best) <= limit else best[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _label(questionnaire: Questionnaire, answers: dict[str, Any], question_id: str) -> str:
    question, value = questionnaire.question(question_id), answers.get(question_id)
    if question is None or value is None or value in _VAGUE:
        return ""
    return label(question, value)


def _labels(questionnaire: Questionnaire, answers: dict[str, Any], question_id: str) -> list[str]:
    question, values = questionnaire.question(question_id), answers.get(question_id) or []
    if question is None or not isinstance(values, list):
        return []
    single = question.model_copy(update={"type": "single"})
    return [label(single, v) for v in values if v not in _VAGUE]


def _plain(text: str) -> str:
    # Paraphrase lines ("asked: ..."), cross-references ("see: ...") and table rows are not quotable; list
    # markers, emphasis and headings read as plain sentences.
    text = re.sub(r"^\s*(?:asked|see):.*$|^\s*\|.*$", "", text, flags=re.MULTILINE | re.IGNORECASE)
    text = re.sub(r"^\s*(?:[-*+]|\d+\.|#+)\s+", "", text, flags=re.MULTILINE)
    return " ".join(text.replace("**", "").replace("__", "").split())


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _lower_first(text: str) -> str:
    # "Customer service" reads "customer service" mid-sentence; "IT services" keeps its capitals.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
