"""The default answerer: composes an answer from the best-matching section's own sentences, with citations.

The section is the unit of meaning. An answer quotes the substance of the section that best answers the
question, keeps a list whole with its lead-in (as Markdown bullets), adds a second section only when it covers
something the question asks that the first does not, and answers a broad question ("what risks ...") with an
outline of the document whose sections are those risks, one cited bullet per section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.answer import Answer, Citation, Hit
from advisor.answering.sections import Sections
from advisor.answering.units import Unit, section_units
from advisor.retrieval import HeadingIndex
from advisor.text import (
    canonical_query,
    comparison_sides,
    keyword_tokens,
    leans_on_first,
    question_kind,
    question_parts,
    section_heading,
)

MIN_WORDS, MAX_WORDS = 40, 180
_SECOND_SECTION_BELOW = 90  # words: a shorter answer may take a second section
_OUTLINE_ITEMS = 8
_SECOND_MARGIN = 0.1  # a second section must be about as close to the question as the first, and say more
_OWN_SECTION = 0.7  # a heading this close to the question has a section of its own ...
_SAME_QUESTION = 0.85  # ... and this close, it is the question itself
_CLEARLY_CLOSER = 0.2
_SECOND_PART_WORDS = 60  # room kept for the answer to the second part of a two-part question
_PART_FLOOR = 0.6  # the least closeness of a section's questions to that second part
_PART_CANDIDATES = 3  # sections closest to the second part looked at beyond the retrieved ones
_ASKED_CLOSER = 0.15  # a section's questions this much closer to the question than the first section's ...
_AS_RELEVANT = 0.1  # ... with its best sentence at most this much less similar: it was written for the question
_CACHE_LIMIT = 4096  # sentences embedded at question time (not from the index)
_VERDICT = re.compile(
    r"^(?:(?:yes|no|not always|not necessarily)\s*[:,;—–-]|probably(?: not)?(?: entirely)?(?:,[^:;.]{0,40})?\s*:)"
    r"\s*(?=\w)",
    re.I,
)
_BROAD = re.compile(
    r"\b(risks|benefits|advantages|disadvantages|downsides|drawbacks|pros and cons|steps|stages|phases|types|"
    r"kinds|challenges|mistakes|factors|criteria|considerations|best practices|clauses|options)\b",
    re.I,
)


@dataclass
class _Section:
    hit: Hit
    units: list[Unit] = field(default_factory=list)
    asked: float = 0.0  # how close the question is to the questions this section answers (heading, `asked:`)

    @property
    def best(self) -> float:
        return max((u.similarity for u in self.units), default=0.0)

    @property
    def is_glossary(self) -> bool:
        return any(u.terms for u in self.units)


class ExtractiveAnswerer:
    """Answers from the best section's sentences, ordered as the source has them, and cites them."""

    backend = "extractive"

    def __init__(
        self,
        embeddings: Embeddings,
        sections: Callable[[], Sections] | None = None,
        known: Callable[[], Mapping[str, np.ndarray]] | None = None,
        headings: Callable[[], HeadingIndex] | None = None,
    ) -> None:
        self.embeddings = embeddings
        self._sections = sections
        self._known = known  # the index's stored sentence vectors
        self._headings = headings
        self._cache: dict[str, np.ndarray] = {}

    def answer(self, question: str, hits: list[Hit]) -> Answer:
        """Compose a grounded answer from the sections of the hits."""
        query = self._query_vector(question)
        sections = self._score(query, self._widen(hits))
        self._closeness(question, sections)
        if not sections:
            return Answer(text="", question=question, backend=self.backend)
        outline = self._outline(question, query, sections)
        if outline:
            return _compose(question, outline, self.backend, outline=True)
        primary = _primary(sections)
        other_part = self._second_part(question, primary, sections) or self._other_side(question, primary, sections)
        first = _select(primary.units, MAX_WORDS - (_SECOND_PART_WORDS if other_part else 0))
        if primary.asked < _SAME_QUESTION:
            first = _without_verdict(first)
        parts = [(primary.hit, first)]
        used = sum(u.words for u in first)
        if other_part is not None:
            parts.append((other_part.hit, _select(other_part.units, MAX_WORDS - used)))
        elif (second := _second(question, primary, sections, used)) is not None:
            parts.append((second.hit, _select(second.units, MAX_WORDS - used, keep_first=False)))
        return _compose(question, [(hit, units) for hit, units in parts if units], self.backend)

    def sentence_relevance(self, question: str, hits: list[Hit]) -> float:
        """The best cosine similarity between the question and any sentence of the hits."""
        sections = [_Section(h, section_units(h.text)) for h in hits]
        return max((s.best for s in self._score(self._query_vector(question), sections)), default=0.0)

    def _widen(self, hits: list[Hit]) -> list[_Section]:
        lookup = self._sections() if self._sections else None
        seen: set[tuple[str, str]] = set()
        sections = []
        for hit in hits:
            if (hit.source, hit.section) in seen:
                continue
            seen.add((hit.source, hit.section))
            whole = lookup.whole(hit) if lookup else hit
            sections.append(_Section(whole, section_units(whole.text)))
        return sections

    def _closeness(self, question: str, sections: list[_Section]) -> None:
        # Retrieval matched the question in the base's own words against every section's questions.
        closeness = self._asked_closeness(question)
        for section in sections:
            section.asked = closeness.get((section.hit.source, section.hit.section), 0.0)

    def _asked_closeness(self, question: str) -> dict[tuple[str, str], float]:
        if self._headings is None:
            return {}
        canonical = canonical_query(question)
        return self._headings().closeness(self._query_vector(canonical), canonical)

    def _second_part(self, question: str, primary: _Section, sections: list[_Section]) -> _Section | None:
        # "What is an SLA and why does it matter?": the section written for the second question answers it,
        # whether or not the search for the whole question found it.
        parts = question_parts(question)
        if len(parts) < 2:
            return None
        closeness = self._asked_closeness(parts[1])
        primary_key = (primary.hit.source, primary.hit.section)
        # "What is RPO and how does it work?" asks about the first part's subject again: the answer's own document
        # holds it (another document's "RPO" may be a recovery point objective).
        same_subject = primary.hit.source if leans_on_first(question) else None
        best = self._closest_section(closeness, sections, exclude=primary_key, source=same_subject)
        if best is None:
            return None
        closest = closeness.get((best.hit.source, best.hit.section), 0.0)
        # A section no closer to the second part than the primary one answers a neighbouring question
        # ("why does a good contract matter" for "why does ROI matter"): the primary section covers both,
        # unless the primary section answers another kind of question ("what is") and this one the part's own
        # kind ("why") on the same subject.
        other_kind = _asks_other_kind(parts[1], primary.hit.section, best.hit.section) and closest >= _OWN_SECTION
        if closest < _PART_FLOOR or not (other_kind or closest >= closeness.get(primary_key, 0.0)):
            return None
        self._score(self._query_vector(parts[1]), [best])  # its sentences ranked for the part they answer
        return best

    def _other_side(self, question: str, primary: _Section, sections: list[_Section]) -> _Section | None:
        # "PEO vs HRO: what do I need?": a section on one option alone answers half the question; the section
        # on the option it never mentions joins it (a section comparing the two mentions both, and stays alone).
        sides = comparison_sides(question)
        if sides is None:
            return None
        own = [set(keyword_tokens(side)) for side in sides]
        distinct = [own[0] - own[1], own[1] - own[0]]
        said = _words(primary)
        missing = [side for side, words in zip(sides, distinct, strict=True) if words and not words & said]
        if len(missing) != 1:
            return None
        part = f"What is {missing[0]}?"
        closeness = self._asked_closeness(part)
        best = self._closest_section(closeness, sections, exclude=(primary.hit.source, primary.hit.section))
        if best is None or closeness.get((best.hit.source, best.hit.section), 0.0) < _PART_FLOOR:
            return None
        if not distinct[sides.index(missing[0])] & _words(best):
            return None  # close in wording, but about something else
        self._score(self._query_vector(part), [best])
        return best

    def _closest_section(
        self,
        closeness: Mapping[tuple[str, str], float],
        sections: list[_Section],
        exclude: tuple[str, str],
        source: str | None = None,
    ) -> _Section | None:
        # The retrieved sections first; the whole base through the heading index when the lookup is there; only
        # one document's sections when a source is given.
        lookup = self._sections() if self._sections else None
        found = {(s.hit.source, s.hit.section): s for s in sections if source in (None, s.hit.source)}
        keys = [key for key in closeness if source in (None, key[0])]
        for key in sorted(keys, key=lambda k: -closeness[k])[:_PART_CANDIDATES]:
            hit = lookup.hit(*key) if lookup and key not in found else None
            if hit is not None:
                found[key] = _Section(hit, section_units(hit.text))
        ranked = sorted(found.items(), key=lambda item: -closeness.get(item[0], 0.0))
        return next((s for key, s in ranked if key != exclude and s.units and not s.is_glossary), None)

    def _query_vector(self, question: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(question), dtype=np.float32)

    def _score(self, query: np.ndarray, sections: list[_Section]) -> list[_Section]:
        units = [u for s in sections for u in s.units]
        if not units:
            return []
        sentences = [sentence for u in units for sentence in u.sentences]
        vectors = self._vectors(sentences)
        scores = np.stack([vectors[s] for s in sentences]) @ query
        start = 0
        for unit in units:
            unit.similarity = float(scores[start : start + len(unit.sentences)].max())
            start += len(unit.sentences)
        return [s for s in sections if s.units]

    def _vectors(self, sentences: list[str]) -> dict[str, np.ndarray]:
        # The index stores the base's sentences' vectors; only text from elsewhere is embedded here, once.
        known = self._known() if self._known else {}
        found = {s: known[s] if s in known else self._cache.get(s) for s in dict.fromkeys(sentences)}
        missing = [s for s, v in found.items() if v is None]
        if missing:
            if len(self._cache) + len(missing) > _CACHE_LIMIT:
                self._cache = {}
            for sentence, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                found[sentence] = self._cache[sentence] = np.asarray(vector, dtype=np.float32)
        return {s: v for s, v in found.items() if v is not None}

    def _outline(self, question: str, query: np.ndarray, sections: list[_Section]) -> list[tuple[Hit, list[Unit]]]:
        # A broad question whose best passages are several sections of one document that enumerates the
        # answer (one risk, step or benefit per section) is answered with that document's outline.
        lookup = self._sections() if self._sections else None
        broad = {t for word in _BROAD.findall(question) for t in keyword_tokens(word)}
        if lookup is None or not broad:
            return []
        # A heading that is the question itself wins; a close one wins unless the document lists what is asked.
        closeness = self._heading_similarity(query, sections[0])
        listed_by_title = bool(broad & set(keyword_tokens(sections[0].hit.title)))
        if closeness >= _SAME_QUESTION or (closeness >= _OWN_SECTION and not listed_by_title):
            return []
        source = sections[0].hit.source
        same = [s for s in sections if s.hit.source == source]
        if len(same) < 2:
            return []
        items = [h for h in (lookup.hit(source, name) for name in lookup.outline(source)) if h is not None]
        if len(items) < 4:
            return []
        parts: list[tuple[Hit, list[Unit]]] = []
        budget = MAX_WORDS
        for hit in items[: _OUTLINE_ITEMS + 1]:
            units = section_units(hit.text)
            if not units:
                continue
            first = Unit(sentences=units[0].sentences[:1])
            if first.words > budget:
                break
            parts.append((hit, [first]))
            budget -= first.words
        return parts if len(parts) >= 3 else []

    def _heading_similarity(self, query: np.ndarray, section: _Section) -> float:
        heading = section_heading(section.hit.section)
        return float(self._vectors([heading])[heading] @ query)


def _primary(sections: list[_Section]) -> _Section:
    # Retrieval order decides, unless a lower section was written for this very question (its heading or
    # `asked:` phrasings are clearly closer, and its sentences about as relevant), or holds a clearly closer
    # sentence without answering a more distant question. A glossary entry defines a term but rarely answers
    # the question: a close section with substance goes first.
    first = sections[0]
    if first.is_glossary:
        substantive = [s for s in sections[1:] if not s.is_glossary and s.best >= first.best - 0.12]
        if substantive:
            return substantive[0]
    written_for = [
        s
        for s in sections[1:4]
        if s.asked > first.asked + _ASKED_CLOSER and s.best >= first.best - _AS_RELEVANT and not s.is_glossary
    ]
    if written_for:
        return max(written_for, key=lambda s: s.asked)
    better = [
        s
        for s in sections[1:3]
        if s.best > first.best + _CLEARLY_CLOSER and s.asked >= first.asked and not s.is_glossary
    ]
    return better[0] if better else first


def _second(question: str, primary: _Section, sections: list[_Section], used: int) -> _Section | None:
    if used >= _SECOND_SECTION_BELOW:
        return None
    if used < MIN_WORDS:
        # A one-line introduction is not an answer: the next close section carries the substance.
        rest = [s for s in sections if s is not primary and s.best >= max(0.3, primary.best - 0.2)]
        return rest[0] if rest else None
    asked = set(keyword_tokens(question))
    covered = _sentence_words(primary)
    missing = asked - covered
    for section in sections:
        if section is primary or section.best < max(0.45, primary.best - _SECOND_MARGIN):
            continue
        if missing & _sentence_words(section):
            return section
    return None


def _sentence_words(section: _Section) -> set[str]:
    # The content words of a section's sentences.
    return {t for u in section.units for s in u.sentences for t in keyword_tokens(s)}


def _words(section: _Section) -> set[str]:
    # The content words of a section's heading and sentences.
    return _sentence_words(section) | set(keyword_tokens(section_heading(section.hit.section)))


def _asks_other_kind(part: str, primary_heading: str, heading: str) -> bool:
    # "why is an SLA important?" after "What is an SLA?": a "why" section answers it, the "what is" one does not.
    kind = question_kind(part)
    own, primary = question_kind(section_heading(heading)), question_kind(section_heading(primary_heading))
    return bool(kind) and own == kind != primary


def _without_verdict(units: list[Unit]) -> list[Unit]:
    # "No: outsourcing moves the work, not the accountability" answers its own section's question; quoted for
    # another question ("Do you have the resources to manage it?") the bare verdict reads as a wrong answer.
    if not units or not (match := _VERDICT.match(units[0].sentences[0])):
        return units
    opening = units[0].sentences[0][match.end() :]
    rest = [opening[0].upper() + opening[1:], *units[0].sentences[1:]]
    return [replace(units[0], sentences=rest), *units[1:]]


def _select(units: list[Unit], budget: int, keep_first: bool = True) -> list[Unit]:
    """The section's units that fit the budget: its opening sentence, then the closest units, in source order."""
    if any(u.terms for u in units):
        return _defined_terms(units)
    if sum(u.words for u in units) <= budget and keep_first:
        return units
    words = 0
    ranked = sorted(range(len(units)), key=lambda i: -units[i].similarity)
    if keep_first:
        ranked = [0] + [i for i in ranked if i != 0]
    picked: dict[int, Unit] = {}
    for i in ranked:
        unit: Unit | None = units[i]
        if units[i].is_list and words + units[i].words > budget:
            unit = _shortened(units[i], budget - words)
        if unit is None or words + unit.words > budget:
            continue
        picked[i] = unit
        words += unit.words
        if not keep_first and words >= MIN_WORDS:
            break
    return [picked[i] for i in sorted(picked)]


def _defined_terms(units: list[Unit]) -> list[Unit]:
    # A glossary answers with the one or two terms asked about, never the whole alphabet.
    ranked = sorted((u for u in units if u.terms), key=lambda u: -u.similarity)
    chosen = ranked[:1] + [u for u in ranked[1:2] if u.similarity >= ranked[0].similarity - 0.05]
    return [u for u in units if any(u is c for c in chosen)]


def _shortened(unit: Unit, budget: int) -> Unit | None:
    # A list that does not fit keeps its lead-in and as many items as fit, at least two.
    kept: list[str] = []
    for sentence in unit.sentences:
        if sum(len(s.split()) for s in kept) + len(sentence.split()) > budget:
            break
        kept.append(sentence)
    shortened = Unit(kept, is_list=True, similarity=unit.similarity, lead=unit.lead)
    return shortened if len(kept) >= 2 + unit.lead else None


def _compose(question: str, parts: list[tuple[Hit, list[Unit]]], backend: str, outline: bool = False) -> Answer:
    """Cited Markdown, citations numbered in order of first use.

    An answer renders each part's prose and lists; an outline is its first part's sentence, then one bullet per
    further part.
    """
    numbers: dict[tuple[str, str], int] = {}
    hits: dict[int, Hit] = {}
    rendered: list[str] = []
    for hit, units in parts:
        n = numbers.setdefault((hit.source, hit.section), len(numbers) + 1)
        hits[n] = hit
        rendered.append(f"- {_cited(units[0].sentences[0], n)}" if outline and rendered else _render(units, n))
    text = f"{rendered[0]}\n\n" + "\n".join(rendered[1:]) if outline else "\n\n".join(rendered)
    citations = [citation(n, hit) for n, hit in hits.items()]
    return Answer(text=text, citations=citations, question=question, backend=backend)


def _render(units: list[Unit], n: int) -> str:
    out: list[str] = []
    for unit in units:
        if not unit.is_list:
            out.append(_cited(unit.sentences[0], n))
            continue
        lead, items = (unit.sentences[0], unit.sentences[1:]) if unit.lead else ("", unit.sentences)
        bullets = "\n".join(f"- {_cited(item, n)}" for item in items)
        out.append(f"\n\n{_cited(lead, n)}\n{bullets}\n\n" if lead else f"\n\n{bullets}\n\n")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", " ".join(out))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _cited(sentence: str, n: int) -> str:
    return f"{sentence[:-1]} [{n}]{sentence[-1]}"


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
