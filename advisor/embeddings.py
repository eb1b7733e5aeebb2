"""Sentence embeddings behind LangChain's `Embeddings` interface, loaded from disk only."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from advisor.minilm import MiniLM
    from advisor.settings import Settings

QUERY_CACHE_SIZE = 256
# An ingest embeds thousands of sentences: torch's batched kernels are about ten times faster at that than the
# numpy model (same vectors to 1e-6), so big batches go to sentence-transformers when it is installed.
BULK_TEXTS = 64


def load_embeddings(settings: Settings) -> Embeddings:
    """The configured model: the numpy MiniLM for a BERT folder (the bundled default), else sentence-transformers."""
    path = settings.resolved_embedding_model
    if _is_bert_folder(Path(path)):
        return MiniLMEmbeddings(path, settings.embedding_batch_size)
    settings.apply_embedding_environment()
    return SentenceTransformerEmbeddings(path, settings.embedding_batch_size)


def _is_bert_folder(folder: Path) -> bool:
    import json

    config = folder / "config.json"
    if not (config.is_file() and (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file()):
        return False
    return json.loads(config.read_text(encoding="utf-8")).get("model_type") == "bert"


class MiniLMEmbeddings(Embeddings):
    """Normalised sentence embeddings from the numpy MiniLM (cosine similarity is a dot product).

    The weights load on first use: an ingest with nothing new to embed never reads them.
    """

    def __init__(self, model_path: str, batch_size: int = 64) -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self._loaded: MiniLM | None = None
        self._bulk: Embeddings | None = None
        self._bulk_tried = False
        self._lock = threading.Lock()

    @property
    def _model(self) -> MiniLM:
        with self._lock:
            if self._loaded is None:
                from advisor.minilm import MiniLM

                self._loaded = MiniLM(self.model_path)
            return self._loaded

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, in batches of similar length (less padding); many at once with torch if installed."""
        bulk = self._bulk_model() if len(texts) > BULK_TEXTS else None
        if bulk is not None:
            return bulk.embed_documents(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            for i, vector in zip(chunk, self._model.encode([texts[i] for i in chunk]), strict=True):
                vectors[i] = vector.tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self._model.encode([text])[0].tolist()

    def _bulk_model(self) -> Embeddings | None:
        with self._lock:
            if not self._bulk_tried:
                self._bulk_tried = True
                try:
                    self._bulk = SentenceTransformerEmbeddings(self.model_path, self.batch_size)
                except ImportError:
                    self._bulk = None
            return self._bulk


class SentenceTransformerEmbeddings(Embeddings):
    """Normalised sentence embeddings from sentence-transformers, for models the numpy MiniLM cannot run."""

    def __init__(self, model_path: str, batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer

        self.model_path = model_path
        self.batch_size = batch_size
        self._model = SentenceTransformer(model_path, device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        if not texts:
            return []
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [vector.tolist() for vector in vectors]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.embed_documents([text])[0]


class QueryCache(Embeddings):
    """Another `Embeddings` whose recent query vectors are remembered, so each layer of a turn shares one.

    Keyed by the query's text, so concurrent turns never see each other's vector.
    """

    def __init__(self, inner: Embeddings, size: int = QUERY_CACHE_SIZE) -> None:
        self.inner = inner
        self.size = size
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every remembered query (benchmarks time fresh questions)."""
        with self._lock:
            self._vectors.clear()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (never cached: the index stores them)."""
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed one query, or return its vector from a moment ago."""
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Embed several queries in one batch, reusing those already known."""
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self.inner.embed_documents(missing) if len(missing) > 1 else [self.inner.embed_query(missing[0])]
            known.update(zip(missing, fresh, strict=True))
            with self._lock:
                self._vectors.update(zip(missing, fresh, strict=True))
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return [known[t] for t in texts]
