"""Sentence and section-question vectors: embedded at ingest, stored beside the chunks, shared by every turn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from loopback import chroma_server

from advisor.answering.units import split_sentences
from advisor.index import KnowledgeIndex
from advisor.knowledge import chunk_body
from advisor.service import Advisor
from advisor.settings import Settings
from advisor.text_vectors import section_questions


class RecordingEmbeddings(Embeddings):
    """The real model, recording every text it embeds, passage or query."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.texts.append(text)
        return self.inner.embed_query(text)


def test_ingest_stores_the_vector_of_every_sentence_and_section_question(
    settings: Settings, embeddings: Embeddings
) -> None:
    index = KnowledgeIndex(settings, embeddings)
    index.ingest()

    stored = index.text_vectors.load()

    for doc in index.documents():
        for text in [*split_sentences(chunk_body(doc)), *section_questions(doc)]:
            assert np.allclose(stored[text], embeddings.embed_query(text), atol=1e-4)


def test_a_deleted_file_loses_its_stored_sentences(settings: Settings, embeddings: Embeddings) -> None:
    index = KnowledgeIndex(settings, embeddings)
    index.ingest()
    assert any("service credits" in text for text in index.text_vectors.load())
    (settings.knowledge_dir / "contracts.md").unlink()

    index.ingest()

    assert not any("service credits" in text for text in index.text_vectors.load())


def test_an_answer_embeds_only_the_question_and_only_once(
    settings: Settings, embeddings: Embeddings, make_advisor: Callable[[Settings], Advisor]
) -> None:
    make_advisor(settings).ingest()
    recording = RecordingEmbeddings(embeddings)
    advisor = Advisor(settings, recording, KnowledgeIndex(settings, recording))
    advisor.snapshot.warm()

    answer = advisor.ask("Which countries are popular for offshore outsourcing?")

    assert "India" in answer.text and not answer.refused
    assert recording.texts == ["Which countries are popular for offshore outsourcing?"]


def test_a_borderline_question_is_still_embedded_once(
    settings: Settings, embeddings: Embeddings, make_advisor: Callable[[Settings], Advisor]
) -> None:
    make_advisor(settings).ingest()
    recording = RecordingEmbeddings(embeddings)
    strict = settings.model_copy(update={"min_relevance": 0.99})
    advisor = Advisor(strict, recording, KnowledgeIndex(strict, recording))
    advisor.snapshot.warm()

    advisor.ask("How long do offshore teams work?")

    assert recording.texts == ["How long do offshore teams work?"]


def test_a_replica_with_a_data_dir_of_its_own_answers_from_the_vectors_stored_by_another_ones_ingest(
    settings: Settings, embeddings: Embeddings, tmp_path: Path
) -> None:
    with chroma_server(tmp_path / "chroma-server") as chroma_url:
        shared = {"chroma_url": chroma_url, "database_url": f"sqlite:///{tmp_path / 'shared.db'}"}
        writer = settings.model_copy(update=shared)
        KnowledgeIndex(writer, embeddings).ingest()
        replica = writer.model_copy(update={"data_dir": tmp_path / "replica-data"})
        recording = RecordingEmbeddings(embeddings)
        advisor = Advisor(replica, recording, KnowledgeIndex(replica, recording))
        advisor.snapshot.warm()

        answer = advisor.ask("Which countries are popular for offshore outsourcing?")

    assert "India" in answer.text and not answer.refused
    assert recording.texts == ["Which countries are popular for offshore outsourcing?"]
