"""The embedding model behind LangChain's interface, and the query cache that lets a turn embed its question once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.embeddings import BULK_TEXTS, QueryCache


def test_concurrent_queries_each_get_their_own_vector(embeddings: Embeddings) -> None:
    cache = QueryCache(embeddings, size=4)
    questions = [f"What does outsourcing cost in country number {i}?" for i in range(24)]
    expected = {q: np.asarray(embeddings.embed_query(q)) for q in questions}

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(cache.embed_query, questions * 2))

    for question, vector in zip(questions * 2, got, strict=True):
        assert np.allclose(vector, expected[question], atol=1e-5)


def test_a_repeated_query_is_not_embedded_again(embeddings: Embeddings) -> None:
    calls: list[str] = []

    class Counting(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            calls.extend(texts)
            return embeddings.embed_documents(texts)

        def embed_query(self, text: str) -> list[float]:
            calls.append(text)
            return embeddings.embed_query(text)

    cache = QueryCache(Counting())

    first = cache.embed_query("What is BPO?")
    again = cache.embed_queries(["What is BPO?", "What is KPO?"])

    assert calls == ["What is BPO?", "What is KPO?"]
    assert again[0] == first


def test_a_bulk_batch_gets_the_same_vectors_as_one_text_at_a_time(embeddings: Embeddings) -> None:
    texts = [f"Outsourcing clause number {i} covers service credits and exit." for i in range(BULK_TEXTS + 6)]
    bulk = np.asarray(embeddings.embed_documents(texts))
    one_by_one = np.asarray([embeddings.embed_documents([t])[0] for t in texts[:5]])
    assert bulk.shape == (len(texts), 384)
    assert np.allclose(bulk[:5], one_by_one, atol=1e-5)
