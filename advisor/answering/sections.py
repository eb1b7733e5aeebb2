"""The knowledge base's sections as units of meaning: whole section texts and each document's outline."""

from __future__ import annotations

from collections.abc import Iterable

from langchain_core.documents import Document

from advisor.answer import Hit
from advisor.knowledge import chunk_body


class Sections:
    """Whole sections rebuilt from the indexed chunks, by (source, section), in document order."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._text: dict[tuple[str, str], list[str]] = {}
        self._meta: dict[tuple[str, str], dict[str, str]] = {}
        self._outline: dict[str, list[str]] = {}
        ordered = sorted(documents, key=lambda d: (str(d.metadata.get("source")), int(d.metadata.get("chunk", 0))))
        for doc in ordered:
            source, section = str(doc.metadata.get("source", "")), str(doc.metadata.get("section", ""))
            key = (source, section)
            if key not in self._text:
                self._text[key] = []
                self._meta[key] = {k: str(doc.metadata.get(k, "")) for k in ("title", "topic")}
                self._outline.setdefault(source, []).append(section)
            self._text[key].append(chunk_body(doc))

    def hit(self, source: str, section: str, score: float = 0.0) -> Hit | None:
        """The whole section as a Hit, or None when the index has no such section."""
        key = (source, section)
        if key not in self._text:
            return None
        meta = self._meta[key]
        text = "\n\n".join(self._text[key])
        return Hit(source=source, title=meta["title"], section=section, topic=meta["topic"], text=text, score=score)

    def outline(self, source: str) -> list[str]:
        """The document's sections in order (the introduction, 'Overview', first when it has one)."""
        return list(self._outline.get(source, []))

    def whole(self, hit: Hit) -> Hit:
        """The hit widened to its whole section (the hit itself when the section is unknown)."""
        found = self.hit(hit.source, hit.section, hit.score)
        return found if found is not None else hit
