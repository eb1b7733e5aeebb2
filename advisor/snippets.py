"""Passages as plain, short snippets: Markdown and knowledge-file annotations removed, cut at a sentence or word."""

from __future__ import annotations

import re

from advisor.text import split_lines_and_sentences

ELLIPSIS = "…"
# Lines a knowledge file adds for retrieval ("asked: ..." paraphrases, "see: other.md" links), not for reading.
_ANNOTATION = re.compile(r"^\s*(asked|see|tags|related):.*$", re.I | re.M)
# The same annotations once a passage has been put on one line (as citation snippets are).
_INLINE_SEE = re.compile(r"\bsee:\s*[\w./-]+\.md(?:\s*,\s*[\w./-]+\.md)*", re.I)
_INLINE_ASKED = re.compile(r"\basked:\s*[^|?]*\?(?:\s*\|\s*[^|?]*\?)*", re.I)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.M)  # the section title is shown beside the snippet
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_STRAY = re.compile(r"\*\*|__|`")
_SENTENCE_END = re.compile(r"[.!?:;)]$")


def plain(markdown: str) -> str:
    """The text of a Markdown passage on one line: no heading or annotation lines, bullets, emphasis or links."""
    text = _ANNOTATION.sub("", _INLINE_ASKED.sub("", _INLINE_SEE.sub("", markdown)))
    text = _HEADING.sub("", text)
    text = _BULLET.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _STRAY.sub("", text)
    return " ".join(text.split())


def snippet(markdown: str, limit: int = 300) -> str:
    """A plain snippet of at most `limit` characters, ending at a sentence if one fits, else at a word (with …)."""
    text = plain(markdown)
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in split_lines_and_sentences(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if kept and _SENTENCE_END.search(kept):
        return kept
    cut = text[: limit - len(ELLIPSIS)]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(",;:-–— ") + ELLIPSIS
