"""A small keyword searcher over a folder of Markdown files, for tests and for running without an index."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from advisor.answer import Hit

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"a", "an", "and", "the", "of", "in", "to", "for", "is", "what", "how", "when", "with", "on", "or"}


@dataclass(frozen=True)
class _Section:
    source: str
    title: str
    section: str
    topic: str
    text: str
    words: frozenset[str]


class FolderSearcher:
    """Ranks the ``##`` sections of the Markdown files in a folder by words shared with the query."""

    def __init__(self, folder: Path) -> None:
        self.sections = [s for path in sorted(folder.glob("*.md")) for s in _sections(folder, path)]

    def __call__(self, query: str, k: int) -> list[Hit]:
        """The ``k`` sections sharing the most query words (ties keep file order)."""
        wanted = _words(query)
        ranked = sorted(
            ((len(wanted & s.words) / (len(wanted) or 1), i) for i, s in enumerate(self.sections)),
            key=lambda pair: -pair[0],
        )
        return [
            Hit(source=s.source, title=s.title, section=s.section, topic=s.topic, text=s.text, score=score)
            for score, i in ranked[:k]
            if score > 0 and (s := self.sections[i])
        ]


def _sections(folder: Path, path: Path) -> list[_Section]:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, object] = {}
    if text.startswith("---"):
        _, header, text = text.split("---", 2)
        meta = yaml.safe_load(header) or {}
    title = str(meta.get("title") or path.stem)
    parts = re.split(r"^## +(.+)$", text, flags=re.MULTILINE)[1:]
    return [
        _Section(
            source=path.relative_to(folder).as_posix(),
            title=title,
            section=heading.strip(),
            topic=str(meta.get("topic", "")),
            text=body.strip(),
            words=frozenset(_words(f"{title} {heading} {body}")),
        )
        for heading, body in zip(parts[::2], parts[1::2], strict=True)
    ]


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}
