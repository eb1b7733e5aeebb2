"""A section's text as the units an answer takes or leaves whole: sentences, and lists with their lead-in.

Markdown markup, `see:` cross-references, table rows and sentences that point at something not quoted ("the
table below") are dropped; a glossary's labelled items each stand alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

_GLOSSARY_TERMS = 6
_SEE_ALSO = re.compile(r"\(?\s*\bsee:\s*(?:[\w-]+\.md(?:,\s*|\s+and\s+)?)+\)?\.?", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*])")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_LABEL = re.compile(r"^\*\*([^*]{1,60})\*\*\s*[:—-]\s*(?=\S)")
_POINTER = re.compile(r"\b(following table|this table|the table)\b", re.I)
_BELOW_OR_ABOVE = re.compile(r"(\w+)?\W*\b(?:below|above)\b(\W*)(\S+)?", re.I)
# "costs well above what providers quote", "a target below 5%": a comparison, not a pointer to missing text.
_COMPARED_AFTER = frozenset(
    "well far just slightly much way fall falls fell stay stays remain remains is are was were rise rises rose "  # noqa: SIM905
    "go goes went set kept".split()
)
_COMPARED_TO = frozenset(
    "it them the a an that what their its our your this these those about around roughly average zero par "  # noqa: SIM905
    "target expectations budget forecast".split()
)


@dataclass
class Unit:
    """A sentence, or a list with its lead-in: what an answer takes or leaves whole."""

    sentences: list[str]
    is_list: bool = False
    terms: bool = False  # a list of defined terms (a glossary): its items stand alone
    similarity: float = 0.0
    lead: bool = False  # a list whose first sentence leads into its items

    @property
    def words(self) -> int:
        """Its length in words."""
        return sum(len(s.split()) for s in self.sentences)


def split_sentences(text: str) -> list[str]:
    """Sentences of a Markdown passage: bullets and lines become sentences, markup and `see:` lines go."""
    return [s for unit in section_units(text) for s in unit.sentences]


def section_units(text: str, glossary: bool = True) -> list[Unit]:
    """A section's sentences and lists (each list with the sentence that leads into it), in order.

    A section of many labelled items ("- **Term**: definition") is a glossary: each item stands alone.
    Each call returns fresh units (answers score them), parsed once per text.
    """
    return [replace(u, sentences=list(u.sentences)) for u in _parsed_units(text, glossary)]


@lru_cache(maxsize=4096)
def _parsed_units(text: str, glossary: bool) -> tuple[Unit, ...]:
    return tuple(_units(text, glossary))


def _units(text: str, glossary: bool) -> list[Unit]:
    units: list[Unit] = []
    for block in re.split(r"\n\s*\n", text):
        more = _block_units(block.splitlines(), glossary)
        if more and units and units[-1].is_list and more[0].is_list and not more[0].lead:
            units[-1].sentences.extend(more.pop(0).sentences)  # a list with blank lines between its items
        units.extend(more)
    if glossary and 0 < sum(u.terms for u in units) < _GLOSSARY_TERMS:
        return _units(text, glossary=False)
    return [u for u in units if u.sentences]


def _block_units(lines: list[str], glossary: bool) -> list[Unit]:
    units: list[Unit] = []
    prose: list[str] = []  # consecutive prose lines: one paragraph, however it was wrapped
    for line in [*lines, ""]:
        if not _ITEM.match(line) and line.strip() and not line.strip().startswith("|"):
            prose.append(line.strip())
            continue
        units.extend(Unit(sentences=[s]) for s in _sentences(_clean_line(" ".join(prose))))
        prose = []
        if not _ITEM.match(line):
            continue
        body = _ITEM.sub("", line.strip())
        if not (sentence := _clean_item(line)):
            continue
        if glossary and _LABEL.match(body):
            units.append(Unit(sentences=[sentence], terms=True))  # one defined term: a unit of its own
            continue
        if not (units and units[-1].is_list):
            lead = units.pop().sentences if units and _is_lead_in(units[-1]) else []
            units.append(Unit(sentences=lead, is_list=True, lead=bool(lead)))
        units[-1].sentences.append(sentence)
    return [u for u in units if u.is_list or not _dangles(u.sentences[0])]


def _dangles(sentence: str) -> bool:
    """Whether a sentence points at text that an answer does not quote ("the table below", "each risk below")."""
    if _POINTER.search(sentence):
        return True
    for found in _BELOW_OR_ABOVE.finditer(sentence):
        before, gap, after = (found.group(1) or "").lower(), found.group(2), (found.group(3) or "").lower()
        compared = before in _COMPARED_AFTER or (
            not gap.strip() and (after[:1].isdigit() or after[:1] in "$€£" or after.strip(".,;:") in _COMPARED_TO)
        )
        if not compared:
            return True
    return False


def _is_lead_in(unit: Unit) -> bool:
    return not unit.is_list and len(unit.sentences) == 1


def _sentences(line: str) -> list[str]:
    if not line or line.lower().startswith("see:"):
        return []
    pieces = [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return [_terminated(s) for s in pieces if len(s.split()) >= 4]


def _clean_item(line: str) -> str:
    line = _LABEL.sub("", _ITEM.sub("", line.strip()))
    cleaned = _clean_line(line)
    return _terminated(cleaned) if len(cleaned.split()) >= 3 else ""


def _clean_line(line: str) -> str:
    line = line.strip()
    if line.startswith("|"):
        return ""  # Table rows read badly out of context; their facts are stated in prose too.
    line = re.sub(r"^#+\s+", "", line)
    line = re.sub(r"\*\*|__|`", "", line)
    line = _SEE_ALSO.sub("", line)
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line).strip()


def _terminated(sentence: str) -> str:
    return sentence if sentence[-1] in ".!?:" else sentence.rstrip(";,") + "."
