"""Index generations: an ingest counts as complete only once finished, and edited files make the index stale."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from langchain_core.embeddings import Embeddings

import advisor.index
from advisor.index import KnowledgeIndex
from advisor.service import Advisor
from advisor.settings import Settings


class FailingEmbeddings(Embeddings):
    """The real model, failing on its ``fail_on``-th batch of documents (an ingest killed half-way)."""

    def __init__(self, real: Embeddings, fail_on: int) -> None:
        self.real, self.fail_on, self.calls = real, fail_on, 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls == self.fail_on:
            raise RuntimeError("killed half-way through the ingest")
        return self.real.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


def interrupted_ingest(settings: Settings, embeddings: Embeddings, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run the real ingest in small batches until it fails on the second one; returns the chunks written."""
    monkeypatch.setattr(advisor.index, "WRITE_BATCH", 2)
    index = KnowledgeIndex(settings, FailingEmbeddings(embeddings, fail_on=2))
    with pytest.raises(RuntimeError, match="killed"):
        index.ingest()
    monkeypatch.undo()
    return index.count()


def test_a_new_index_is_empty_and_complete_after_an_ingest(settings: Settings, embeddings: Embeddings) -> None:
    index = KnowledgeIndex(settings, embeddings)
    assert index.status().state == "empty"
    index.ingest()
    status = index.status()
    assert status.complete and status.generation == index.generations.current() == 1


def test_an_interrupted_ingest_is_incomplete_until_the_next_one_finishes(
    settings: Settings, embeddings: Embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = interrupted_ingest(settings, embeddings, monkeypatch)
    index = KnowledgeIndex(settings, embeddings)
    assert 0 < written < 10
    assert index.status().state == "incomplete" and index.generations.current() == 0
    assert "did not finish" in index.status().describe()

    index.ingest()
    assert index.status().complete and index.count() == 10


def test_an_interruption_after_a_complete_ingest_is_still_reported(
    settings: Settings, embeddings: Embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    KnowledgeIndex(settings, embeddings).ingest()
    for name in ("benefits.md", "contracts.md", "offshore.md"):
        path = settings.knowledge_dir / name
        path.write_text(path.read_text().replace("outsourcing", "outsourcing work"))
    interrupted_ingest(settings, embeddings, monkeypatch)
    status = KnowledgeIndex(settings, embeddings).status()
    assert status.state == "incomplete" and status.generation == 1


def test_a_file_edited_after_the_ingest_makes_the_index_stale_until_it_is_ingested(
    settings: Settings, embeddings: Embeddings
) -> None:
    index = KnowledgeIndex(settings, embeddings)
    index.ingest()
    edited = settings.knowledge_dir / "benefits.md"
    edited.write_text(edited.read_text() + "\n## Speed\nOutsourcing can shorten hiring.\n")
    (settings.knowledge_dir / "new.md").write_text("## New\nA new file about outsourcing vendors.\n")

    status = index.status()
    assert status.state == "stale" and status.changed == ["benefits.md", "new.md"]
    assert "2 knowledge file(s) changed since generation 1" in status.describe()

    index.ingest([edited])
    assert index.status().changed == ["new.md"]  # a partial ingest keeps the other files' record
    index.ingest()
    assert index.status().complete and index.generations.current() == 3


def test_another_advisor_on_the_same_index_sees_a_new_ingest_without_restarting(
    settings: Settings, make_advisor: Callable[[Settings], Advisor]
) -> None:
    shared = settings.model_copy(update={"refresh_seconds": 0})
    writer, reader = make_advisor(shared), make_advisor(shared)
    writer.ingest()
    assert "Outsourcing contracts" in str(reader.topics())
    (settings.knowledge_dir / "pricing.md").write_text(
        "---\ntitle: Pricing models\ntopic: pricing\n---\n## What is per-FTE pricing?\n"
        "Per-FTE pricing charges a fixed monthly rate for each full-time agent the provider staffs.\n"
    )

    writer.ingest()

    assert "Pricing models" in str(reader.topics())
    assert reader.search("per-FTE pricing fixed monthly rate", k=1)[0].source == "pricing.md"


def test_a_warmed_advisor_answers_its_first_question_from_the_snapshot_it_warmed(
    settings: Settings, make_advisor: Callable[[Settings], Advisor]
) -> None:
    make_advisor(settings).ingest()
    advisor = make_advisor(settings)
    advisor.warm()
    warmed = advisor.snapshot

    advisor.ask("What is nearshore outsourcing?")

    assert advisor.snapshot is warmed  # rebuilding it would make the first question pay for the whole index
