"""The naive baseline: fixed-size chunks that ignore headings, dense top-k, same embeddings, own Chroma collection.

It stands for the textbook RAG pipeline (load files, `RecursiveCharacterTextSplitter(1000, 200)`, embed,
similarity search) so that every report shows what heading-aware chunking and hybrid retrieval gain.
"""

from __future__ import annotations

from pathlib import Path

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from advisor.knowledge import discover

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
COLLECTION = "eval_naive_baseline"


class NaiveBaseline:
    """Dense retrieval over fixed-size chunks of the raw knowledge files."""

    def __init__(self, embeddings: Embeddings, knowledge_dir: Path, data_dir: Path) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma

        self.knowledge_dir = knowledge_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(data_dir), settings=ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma(
            collection_name=COLLECTION,
            embedding_function=embeddings,
            client=client,
            collection_metadata={"hnsw:space": "cosine"},
        )

    def build(self) -> int:
        """(Re)build the collection from the knowledge files; returns the number of chunks."""
        chunks = self.chunks()
        existing = self.store.get(include=[])["ids"]
        if existing:
            self.store.delete(ids=existing)
        ids = [f"{d.metadata['source']}#{d.metadata['chunk']}" for d in chunks]
        self.store.add_documents(chunks, ids=ids)
        return len(chunks)

    def chunks(self) -> list[Document]:
        """Every file's raw text (front matter and headings included) cut into fixed-size pieces."""
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        documents = []
        for path in discover(self.knowledge_dir):
            if path.suffix.lower() not in {".md", ".markdown", ".txt"}:
                continue
            source = path.relative_to(self.knowledge_dir).as_posix()
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, piece in enumerate(splitter.split_text(text)):
                documents.append(Document(page_content=piece, metadata={"source": source, "chunk": number}))
        return documents

    def search(self, query: str, k: int = 4) -> list[Document]:
        """The k most similar chunks."""
        return list(self.store.similarity_search(query, k=k))
