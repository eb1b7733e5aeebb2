"""Runs the dataset against a real `Advisor` (and the naive baseline) and scores every case."""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from advisor.answer import Answer, Hit
from advisor.index import KnowledgeIndex
from advisor.retrieval import Mode
from advisor.service import Advisor
from advisor.settings import Settings, load_settings
from evals import metrics
from evals.baseline import NaiveBaseline
from evals.dataset import SPLITS, Case, dataset_version, load_cases, select
from evals.readiness import ProfileJudge
from evals.summary import summarise

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "evals" / "out"
DEPTH = 10  # retrieval is scored on this many ranked passages (MRR@10); hit@k uses the first k
MODES: tuple[Mode, ...] = ("hybrid", "dense", "keyword")


@dataclass
class RunConfig:
    """What to run: backend, retrieval depth and mode, chunk size, which cases, and where to keep the index."""

    backend: str = "extractive"
    k: int = 4
    mode: Mode = "hybrid"
    chunk_size: int = 600
    subset: tuple[str, ...] = ()
    limit: int | None = None
    knowledge_dir: Path = ROOT / "knowledge"
    index_dir: Path = OUT_DIR / "index"
    out: Path = field(default_factory=lambda: OUT_DIR / "runs" / datetime.now(UTC).strftime("%Y%m%d-%H%M%S"))
    baseline: bool = True
    progress: bool | None = None
    split: str = "core"


class EvalAdvisor(Advisor):
    """The real advisor with its retrieval mode fixed, so answers can be measured per mode."""

    mode: Mode = "hybrid"

    def search(self, query: str, k: int = 5, topic: str | None = None, mode: Mode | None = None) -> list[Hit]:
        """Ranked passages, in this advisor's mode unless one is given."""
        return super().search(query, k=k, topic=topic, mode=mode or self.mode)


def run_eval(config: RunConfig, embeddings: Embeddings | None = None) -> dict[str, Any]:
    """Run the selected cases and return the report: settings, summary metrics and per-case results."""
    with index_lock(config.index_dir):
        return _run(config, embeddings)


@contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index dir for one run: runs share its Chroma store and the database recording what it holds."""
    import fcntl

    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another eval run to release {index_dir} ...", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _run(config: RunConfig, embeddings: Embeddings | None) -> dict[str, Any]:
    cases = select(load_cases(SPLITS[config.split]), config.subset, config.limit)
    settings = _settings(config)
    if embeddings is None:
        from advisor.embeddings import load_embeddings

        embeddings = load_embeddings(settings)
    advisor = EvalAdvisor(settings, embeddings, KnowledgeIndex(settings, embeddings))
    advisor.mode = config.mode
    advisor.ingest(progress=False)
    baseline = _baseline(config, embeddings) if config.baseline else None
    from advisor.answering.support import SupportChecker

    scorer = _CaseScorer(advisor, baseline, SupportChecker(embeddings), config)
    results = [scorer.score(case) for case in _progress(cases, config.progress)]
    return {
        "meta": _meta(config, settings, len(advisor.documents)),
        "summary": summarise(results, config.k),
        "checker": _checker_quality(scorer.checker),
        "cases": results,
    }


def _settings(config: RunConfig) -> Settings:
    config.out.mkdir(parents=True, exist_ok=True)
    return load_settings(
        knowledge_dir=config.knowledge_dir,
        # The index's own database (in its data dir) records what its Chroma store holds: it must persist
        # with the store, or each run would re-embed everything and never clean up edited files' chunks.
        data_dir=config.index_dir / f"chunk-{config.chunk_size}",
        chunk_size=config.chunk_size,
        chunk_overlap=0,
        top_k=config.k,
        backend=config.backend,
    )


def _baseline(config: RunConfig, embeddings: Embeddings) -> NaiveBaseline:
    folder = config.index_dir / "baseline"
    baseline = NaiveBaseline(embeddings, config.knowledge_dir, folder)
    stamp = folder / "fingerprint"
    current = _fingerprint(config.knowledge_dir)
    if not stamp.exists() or stamp.read_text() != current:
        log.info("baseline_build chunks=%d", baseline.build())
        stamp.write_text(current)
    return baseline


def _fingerprint(knowledge_dir: Path) -> str:
    digest = hashlib.sha256(f"{NaiveBaseline.__module__}:1000:200".encode())
    for path in sorted(knowledge_dir.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _progress(cases: list[Case], progress: bool | None) -> Sequence[Case]:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return cases
    from tqdm import tqdm

    return tqdm(cases, desc="Evaluating", unit="case", file=sys.stderr)


def _meta(config: RunConfig, settings: Settings, chunks: int) -> dict[str, Any]:
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "dataset": dataset_version(SPLITS[config.split]),
        "split": config.split,
        "backend": config.backend,
        "mode": config.mode,
        "k": config.k,
        "chunk_size": config.chunk_size,
        "chunks": chunks,
        "subset": list(config.subset),
        "limit": config.limit,
        "min_relevance": settings.min_relevance,
        "baseline": "RecursiveCharacterTextSplitter(1000, 200), dense top-k, same embeddings"
        if config.baseline
        else None,
    }


def _checker_quality(checker: Any) -> dict[str, Any]:
    from evals.support_calibration import evaluate_checker

    quality = evaluate_checker(checker)
    return {k: v for k, v in asdict(quality).items() if k != "errors"}


class _CaseScorer:
    """Scores one case at a time against the advisor, the baseline and the support checker."""

    def __init__(self, advisor: EvalAdvisor, baseline: NaiveBaseline | None, checker: Any, config: RunConfig):
        self.advisor = advisor
        self.baseline = baseline
        self.checker = checker
        self.config = config
        self.readiness = ProfileJudge(advisor)

    def score(self, case: Case) -> dict[str, Any]:
        """The case's result: what was asked, answered and retrieved, its metric values and pass/fail."""
        if case.kind == "readiness":
            return self.readiness.judge(case)
        history = self._replay(case.history)
        started = time.perf_counter()
        answer = self.advisor.ask(case.question, history)
        latency = (time.perf_counter() - started) * 1000
        result = _base_result(case, answer, latency)
        result["passages"] = {str(c.n): self._section_text(c) for c in answer.citations}
        if case.kind == "answer":
            result.update(self._answer_metrics(case, answer))
        elif case.kind == "decline":
            result["passed"] = answer.refused
            hits = self.advisor.search(answer.question or case.question, k=self.config.k)
            result["retrieved"] = [_passage(h) for h in hits]
        else:
            result["passed"] = not answer.refused and answer.intent == (case.intent or "smalltalk")
        return result

    def _replay(self, turns: Sequence[str]) -> list[tuple[str, str]]:
        history: list[tuple[str, str]] = []
        for turn in turns:
            reply = self.advisor.ask(turn, history)
            history += [("user", turn), ("assistant", reply.text)]
        return history

    def _answer_metrics(self, case: Case, answer: Answer) -> dict[str, Any]:
        k = self.config.k
        query = answer.question or case.question
        ranked = {mode: self.advisor.search(query, k=DEPTH, mode=mode) for mode in MODES}
        ours = ranked[self.config.mode]
        values: dict[str, float | None] = {}
        values.update(_retrieval_values(case, [h.source for h in ours], [h.text for h in ours[:k]], k))
        for mode in MODES:
            ranking = _retrieval_values(case, [h.source for h in ranked[mode]], [h.text for h in ranked[mode][:k]], k)
            values.update({f"{mode}_{name}": v for name, v in ranking.items()})
        if self.baseline is not None:
            found = self.baseline.search(query, k=DEPTH)
            ranking = _retrieval_values(
                case, [str(d.metadata["source"]) for d in found], [d.page_content for d in found[:k]], k
            )
            values.update({f"baseline_{name}": v for name, v in ranking.items()})
        values.update(self._grounding(case, answer, ours[:k]))
        return {
            "metrics": values,
            "retrieved": [_passage(h) for h in ours[:k]],
            "passed": bool(values["hit_at_k"]) and values["answer_fact_recall"] == 1.0 and not answer.refused,
        }

    def _grounding(self, case: Case, answer: Answer, hits: list[Hit]) -> dict[str, float | None]:
        values: dict[str, float | None] = {"answer_fact_recall": metrics.fact_recall(answer.text, case.facts)}
        if answer.refused:
            values.update(citation_validity=None, citation_support=None, faithfulness=None)
            return values
        passages = {c.n: self._section_text(c) for c in answer.citations}
        found = {n: text for n, text in passages.items() if text is not None}
        sources = {c.n: c.source for c in answer.citations}
        supports = self._supports
        values["citation_validity"] = metrics.citation_validity(answer.text, sources, [h.source for h in hits])
        values["citation_support"] = metrics.citation_support(answer.text, found, supports)
        values["faithfulness"] = metrics.faithfulness(answer.text, found, supports)
        return values

    def _section_text(self, citation: Any) -> str | None:
        # A citation carries only a snippet; the checker (and a grader) needs the whole section it quotes.
        section = self.advisor.sections.hit(citation.source, citation.section)
        return section.text if section is not None else None

    def _supports(self, sentence: str, passages: list[str]) -> bool:
        return bool(self.checker.check(sentence, passages).supported)


def _retrieval_values(case: Case, sources: list[str], top_texts: list[str], k: int) -> dict[str, float]:
    return {
        "hit_at_1": metrics.hit_at_k(sources, case.sources, 1),
        "hit_at_k": metrics.hit_at_k(sources, case.sources, k),
        "mrr": metrics.reciprocal_rank(sources, case.sources),
        "context_fact_recall": metrics.fact_recall("\n".join(top_texts), case.facts),
    }


def _base_result(case: Case, answer: Answer, latency: float) -> dict[str, Any]:
    return {
        "id": case.id,
        "kind": case.kind,
        "tags": list(case.tags),
        "question": case.question,
        "history": list(case.history),
        "standalone": answer.question,
        "expected_sources": list(case.sources),
        "expected_facts": [list(f) for f in case.facts],
        "expected_intent": case.intent,
        "answer": answer.text,
        "refused": answer.refused,
        "intent": answer.intent,
        "backend": answer.backend,
        "fell_back": answer.fell_back,
        "citations": [{"n": c.n, "source": c.source, "section": c.section} for c in answer.citations],
        "latency_ms": round(latency, 1),
        "metrics": {},
        "retrieved": [],
    }


def _passage(hit: Hit) -> dict[str, Any]:
    return {"source": hit.source, "section": hit.section, "score": hit.score, "text": hit.text}
