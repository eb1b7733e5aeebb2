"""`make bench` (`python -m bench`): the speed figures of issue 15, side by side with a naive LangChain RAG.

One run, printed as JSON: one query embedding, the naive baseline's retrieval (1000/200 character chunks, the same
MiniLM, in-memory Chroma, dense top-4), the project's `search` and `ask` on the dev outsider questions, a cold
`advisor ask` and an unchanged re-ingest in new processes, the cold ingest, and the peak RSS. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.latency import dev_questions, percentiles, timings

ROOT = Path(__file__).resolve().parents[1]


def naive_baseline(embeddings: Any, knowledge_dir: Path) -> Any:
    """The textbook pipeline: split every file 1000/200, embed into an in-memory Chroma, dense top-4."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    texts = [piece for p in sorted(knowledge_dir.glob("*.md")) for piece in splitter.split_text(p.read_text())]
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma("bench_naive", embedding_function=embeddings, client=client)
    store.add_texts(texts)
    return store.as_retriever(search_kwargs={"k": 4})


def cold_commands(data_dir: Path) -> dict[str, float]:
    """Wall seconds of a cold `advisor ask` and an unchanged `advisor ingest`, each in a new process."""
    env = {**os.environ, "ADVISOR_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    figures = {}
    for name, args in (("cold_ask_s", ["ask", "What is BPO?"]), ("unchanged_reingest_s", ["ingest"])):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "advisor", *args], env=env, cwd=ROOT, check=True, capture_output=True)
        figures[name] = round(time.perf_counter() - started, 2)
    return figures


def _ratio(ours: dict[str, float], base: dict[str, float]) -> dict[str, float]:
    return {key: round(ours[key] / base[key], 2) for key in ours}


def run(data_dir: Path) -> dict[str, Any]:
    """Every figure, measured in this process (and two child processes for the cold start)."""
    from advisor.service import Advisor
    from advisor.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    started = time.perf_counter()
    advisor = Advisor.from_settings(settings)
    advisor.ingest(progress=False)
    cold_ingest = time.perf_counter() - started
    chunks = [d.page_content for d in advisor.documents]
    model = advisor.embeddings.inner
    started = time.perf_counter()
    model.embed_documents(chunks)
    encode = time.perf_counter() - started
    questions = dev_questions()
    baseline = naive_baseline(model, settings.knowledge_dir)
    advisor.warm()
    for question in questions[:5]:
        advisor.ask(question)
        baseline.invoke(question)
    embed = percentiles(timings(model.embed_query, questions))
    base = percentiles(timings(baseline.invoke, questions))
    advisor.embeddings.clear()  # each figure embeds its questions afresh, as a new question would
    search = percentiles(timings(lambda q: advisor.search(q, k=4), questions))
    advisor.embeddings.clear()
    ask = percentiles(timings(advisor.ask, questions))
    return {
        "questions": len(questions),
        "query_embedding": embed,
        "baseline_retrieval": base,
        "search": {**search, "x_baseline": _ratio(search, base)},
        "ask": {**ask, "x_baseline": _ratio(ask, base)},
        "cold_ingest": {"seconds": round(cold_ingest, 2), "chunks": len(chunks)},
        "encode_chunks_per_s": round(len(chunks) / encode, 1),
        **cold_commands(data_dir),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    """Measure in a throw-away data dir (or the given one: then the "cold" ingest is a re-ingest) and print JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="an existing data dir (default: a throw-away one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        print(json.dumps(run(args.data_dir or Path(scratch)), indent=2))


if __name__ == "__main__":
    main()
