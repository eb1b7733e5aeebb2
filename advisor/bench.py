"""`make bench`: cold and warm ingest, query latency and peak memory, printed as figures (nothing asserted)."""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path

from advisor.service import Advisor
from advisor.settings import load_settings

QUESTIONS = [
    "What is business process outsourcing?",
    "How much can outsourcing save?",
    "What are the downsides of nearshore outsourcing?",
    "Which countries are popular for offshore BPO?",
    "What KPIs should we track for outsourced customer service?",
    "How long does a BPO transition take?",
    "What should an outsourcing contract include?",
    "How do we choose a BPO vendor?",
    "When should a company not outsource?",
    "What is the difference between BPO and KPO?",
    "How do service credits work in an SLA?",
    "What pricing models do BPO providers use?",
    "How do we protect customer data when outsourcing?",
    "What is business continuity management?",
    "Can a small business outsource payroll?",
    "What is a blended delivery model?",
    "How should we tell employees about outsourcing?",
    "What goes into an RFP for BPO?",
    "What is hypercare after go-live?",
    "How is AI changing outsourcing?",
    "What does front office outsourcing mean?",
    "How do we exit an outsourcing contract?",
    "What is a quarterly business review?",
    "Which industries use BPO the most?",
    "What is the weather in Paris?",
    "Write me a poem about cats",
    "What does finance and accounting outsourcing cover?",
    "What is first contact resolution?",
    "How do we build a business case for outsourcing?",
    "What are the risks of outsourcing?",
]


def main() -> None:
    """Run the benchmark against the real knowledge base in a throw-away data dir."""
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings(data_dir=Path(data_dir))
        started = time.perf_counter()
        advisor = Advisor.from_settings(settings)
        print(f"start-up (load model, open index): {time.perf_counter() - started:.2f} s")
        _timed("cold ingest", lambda: advisor.ingest(progress=False))
        _timed("re-ingest, unchanged", lambda: advisor.ingest(progress=False))
        print(f"chunks indexed: {advisor.index.count()}")
        advisor.ask("warm-up question about outsourcing")
        latencies = [_latency(advisor, q) for q in QUESTIONS]
        q = statistics.quantiles(latencies, n=20)
        print(
            f"ask latency over {len(latencies)} questions (warm): p50 {statistics.median(latencies) * 1000:.0f} ms,"
            f" p95 {q[18] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
        )
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        _bench_backends(advisor)


def _timed(label: str, action: object) -> None:
    started = time.perf_counter()
    report = action()  # type: ignore[operator]
    print(f"{label}: {time.perf_counter() - started:.2f} s  {report.to_dict()}")


def _latency(advisor: Advisor, question: str) -> float:
    started = time.perf_counter()
    advisor.ask(question)
    return time.perf_counter() - started


def _bench_backends(advisor: Advisor) -> None:
    """Time the local LLM backend (SmolLM2 through llama.cpp) when the `local` extra is installed."""
    import importlib.util

    if importlib.util.find_spec("llama_cpp") is None:
        print("llamacpp backend: not installed (make install-local), skipped")
        return
    from advisor.backend_bench import bench_backend

    local = Advisor(advisor.settings.model_copy(update={"backend": "llamacpp"}), advisor.embeddings, advisor.index)
    cases = [(q, advisor.search(q, k=advisor.settings.top_k)) for q in QUESTIONS[:8]]
    print(f"llamacpp backend over {len(cases)} questions: {bench_backend(local.generator, cases)}")


if __name__ == "__main__":
    main()
