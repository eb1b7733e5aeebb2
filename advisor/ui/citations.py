"""An answer's numbered sources: `[n]` marks that open their source, the cited passage marked inside it."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from advisor.answer import Citation
from advisor.snippets import plain
from advisor.text import split_lines_and_sentences, words

_MARK = re.compile(r"\[(\d+)\]")
_SHARED = 0.6  # a source sentence is the cited passage when this share of its words is in the citing sentence


def linked(text: str, citations: Sequence[Citation]) -> str:
    """The answer with each `[n]` of a known source as a link that opens that source below the answer."""
    known = {c.n for c in citations}
    return _MARK.sub(lambda m: _link(int(m.group(1))) if int(m.group(1)) in known else m.group(0), text)


def sources_html(citations: Sequence[Citation], answer: str = "") -> str:
    """Numbered, expandable sources (title, section, snippet with the passage `answer` cites in <mark>)."""
    entries = "".join(
        f'<details class="source" id="source-{c.n}"><summary><span class="source-n">{c.n}</span> '
        f"<strong>{html.escape(c.title)}</strong> · {html.escape(c.section)}</summary>"
        f'<div class="source-body"><p>{highlighted(c.snippet, _citing(answer, c.n))}</p>'
        f'<p class="source-file">{html.escape(c.source)}</p></div></details>'
        for c in citations
    )
    return f'<div class="sources"><div class="sources-title">Sources</div>{entries}</div>'


def highlighted(snippet: str, citing: Sequence[str]) -> str:
    """The snippet as escaped HTML, its sentences that the `citing` sentences draw on wrapped in <mark>."""
    said = [set(_words(s)) for s in citing]
    parts = []
    for sentence in split_lines_and_sentences(plain(snippet)):
        own = set(_words(sentence))
        drawn = any(own and len(own & other) / len(own) >= _SHARED for other in said)
        parts.append(f"<mark>{html.escape(sentence)}</mark>" if drawn else html.escape(sentence))
    return " ".join(parts)


def _citing(answer: str, n: int) -> list[str]:
    return [_MARK.sub("", s) for s in split_lines_and_sentences(answer) if f"[{n}]" in s]


def _words(text: str) -> list[str]:
    return [w.lower() for w in words(text)]


def _link(n: int) -> str:
    return f'<a class="cite" href="#source-{n}" title="Show source {n}">[{n}]</a>'
