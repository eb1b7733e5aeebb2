"""The numpy MiniLM gives the vectors of the real sentence-transformers model."""

from __future__ import annotations

import numpy as np

from advisor.embeddings import MiniLMEmbeddings
from advisor.settings import Settings

SENTENCES = [
    "What is BPO?",
    "Offshore outsourcing sends work to a provider in a distant country with lower labour costs.",
    "A service level agreement sets measurable targets, such as answering 80% of calls within 20 seconds, and the "
    "service credits owed when the provider misses them. " * 6,
    "Naïve café — “quotes”, émigré, 日本語, and an emoji 🙂.",
    "x",
    "",
]


def test_vectors_match_sentence_transformers_to_1e_4() -> None:
    from sentence_transformers import SentenceTransformer

    path = Settings().resolved_embedding_model
    expected = SentenceTransformer(path, device="cpu").encode(SENTENCES, normalize_embeddings=True)

    batched = np.array(MiniLMEmbeddings(path, batch_size=4).embed_documents(SENTENCES))
    single = np.array([MiniLMEmbeddings(path).embed_query(s) for s in SENTENCES[:2]])

    assert np.abs(batched - expected).max() < 1e-4
    assert np.abs(single - expected[:2]).max() < 1e-4


def test_vectors_are_unit_length_and_a_paraphrase_is_closer_than_another_subject() -> None:
    model = MiniLMEmbeddings(Settings().resolved_embedding_model)
    a, b, c = np.array(model.embed_documents(["What is BPO?", "What does BPO mean?", "How do I bake bread?"]))

    assert np.allclose([np.linalg.norm(a), np.linalg.norm(b), np.linalg.norm(c)], 1.0, atol=1e-5)
    assert a @ b > a @ c + 0.3
