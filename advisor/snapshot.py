"""What is derived from the indexed knowledge, built once per ingest and shared by every query and retriever."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from advisor.answering.sections import Sections
from advisor.index import KnowledgeIndex
from advisor.retrieval import ChunkMatrix, HeadingIndex, KeywordIndex


class Snapshot:
    """The chunks, their vectors, the keyword index, the headings, the sections and the vocabulary of one ingest."""

    def __init__(self, index: KnowledgeIndex, embeddings: Embeddings) -> None:
        self.index = index
        self.embeddings = embeddings

    @cached_property
    def documents(self) -> list[Document]:
        """Every indexed chunk, in source order."""
        return self.index.documents()

    @cached_property
    def vectors(self) -> dict[str, np.ndarray]:
        """Every chunk's vector, by chunk key."""
        return self.index.vectors()

    @cached_property
    def matrix(self) -> ChunkMatrix:
        """Every chunk's vector in one matrix, for dense search in memory."""
        return ChunkMatrix(self.documents, self.vectors)

    @cached_property
    def text_vectors(self) -> Mapping[str, np.ndarray]:
        """The stored vectors of the sentences and section questions."""
        return self.index.text_vectors.load()

    @cached_property
    def keywords(self) -> KeywordIndex:
        """BM25 over every chunk."""
        return KeywordIndex(self.documents)

    @cached_property
    def headings(self) -> HeadingIndex:
        """The sections' questions, with their stored vectors."""
        return HeadingIndex(self.documents, self.embeddings, self.text_vectors)

    @cached_property
    def sections(self) -> Sections:
        """Whole sections rebuilt from the chunks."""
        return Sections(self.documents)

    @cached_property
    def vocabulary(self) -> set[str]:
        """Every lower-cased word in the indexed knowledge, and its acronyms as written."""
        text = " ".join(d.page_content for d in self.documents)
        acronyms = set(re.findall(r"\b[A-Z][A-Z0-9&]+\b", text))  # as written: "BPO", "SLA"
        return set(re.findall(r"[a-z0-9]+", text.lower())) | acronyms

    def warm(self) -> None:
        """Build everything now, so that the first question does not pay for it."""
        names = ("documents", "vectors", "matrix", "text_vectors", "keywords", "headings", "sections", "vocabulary")
        for name in names:
            getattr(self, name)
