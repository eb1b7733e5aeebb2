"""The eval suite: metric functions, the dataset's integrity, the gate, and the full default-backend eval."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from evals import metrics
from evals.dataset import KINDS, SPLITS, Case, load_cases, select
from evals.gate import THRESHOLDS_PATH, Check, check, load_thresholds, threshold_key
from evals.grading import read_jsonl
from evals.runner import ROOT, RunConfig, index_lock, run_eval
from evals.summary import summarise


def _judge_by_words(sentence: str, passages: list[str]) -> bool:
    # A stand-in checker: supported when every word of the sentence (minus markers) is in a passage.
    words = {w.strip(".,").lower() for w in sentence.split() if not w.startswith("[")}
    return any(words <= {w.strip(".,").lower() for w in p.split()} for p in passages)


def test_reciprocal_rank_of_a_known_ranking() -> None:
    ranking = ["a.md", "b.md", "c.md", "d.md"]
    assert metrics.reciprocal_rank(ranking, ["c.md"]) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank(ranking, ["d.md", "b.md"]) == pytest.approx(1 / 2)
    assert metrics.reciprocal_rank(ranking, ["z.md"]) == 0.0


def test_hit_at_k_counts_only_the_first_k() -> None:
    ranking = ["a.md", "b.md", "c.md"]
    assert metrics.hit_at_k(ranking, ["c.md"], 2) == 0.0
    assert metrics.hit_at_k(ranking, ["c.md"], 3) == 1.0


def test_fact_recall_accepts_alternatives_and_ignores_case_and_dash_style() -> None:
    facts = [("20-60%", "20% to 60%"), ("Mexico",), ("Poland",)]
    assert metrics.fact_recall("Savings of 20–60% are typical; MEXICO is close.", facts) == pytest.approx(2 / 3)
    assert metrics.fact_recall("anything", []) == 1.0


def test_citation_validity_rejects_unknown_numbers_and_unretrieved_sources() -> None:
    text = "Offshore is cheapest [1]. Nearshore is close [2]. Onshore is dearest [3]."
    sources = {1: "offshore.md", 2: "nearshore.md"}
    assert metrics.citation_validity(text, sources, ["offshore.md"]) == pytest.approx(1 / 3)
    assert metrics.citation_validity("No markers at all.", sources, ["offshore.md"]) == 0.0


def test_faithfulness_counts_uncited_sentences_as_unsupported() -> None:
    passages = {1: "offshore work is cheap", 2: "nearshore work is close"}
    text = "Offshore work is cheap [1]. Nearshore work is cheap [2]. Onshore work is dear."
    assert metrics.faithfulness(text, passages, _judge_by_words) == pytest.approx(1 / 3)
    assert metrics.citation_support(text, passages, _judge_by_words) == pytest.approx(1 / 2)


def test_cited_sentences_read_grouped_markers() -> None:
    assert metrics.cited_sentences("One fact [1, 2]. Another [3].") == [
        ("One fact [1, 2].", [1, 2]),
        ("Another [3].", [3]),
    ]


def test_percentile_interpolates() -> None:
    assert metrics.percentile([10, 20, 30, 40], 50) == 25
    assert metrics.percentile([], 95) is None


def test_gate_minds_direction_and_skips_unmeasured_metrics() -> None:
    summary = {"hit_at_k": 0.9, "false_refusal_rate": 0.1, "refusal_recall": None}
    checks = check(
        summary,
        {"accuracy": 0.95},
        {"hit_at_k": 0.95, "false_refusal_rate": 0.05, "refusal_recall": 0.9, "checker_accuracy": 0.9},
    )
    assert [(c.metric, c.ok) for c in checks] == [
        ("hit_at_k", False),
        ("false_refusal_rate", False),
        ("refusal_recall", True),
        ("checker_accuracy", True),
    ]
    assert Check("latency_p95_ms", 1000, 800).ok


def test_dataset_has_enough_cases_of_every_kind() -> None:
    cases = load_cases()
    assert len(cases) >= 120
    assert {c.kind for c in cases} == set(KINDS)
    assert sum("multiturn" in c.tags for c in cases) >= 10


def test_dataset_sources_exist_and_cover_every_knowledge_file() -> None:
    knowledge = {p.name for p in (ROOT / "knowledge").glob("*.md")}
    # The fresh set is graded blind only: it names no sources or facts.
    cases = [case for split in ("core", "dev", "test") for case in load_cases(SPLITS[split])]
    named = {s for c in cases for s in c.sources}
    assert named <= knowledge
    assert knowledge <= named
    assert all(c.sources and c.facts for c in cases if c.kind == "answer")


def test_select_filters_by_label_and_limits_per_kind() -> None:
    cases = [Case(id=f"a{i}", kind="answer", question="q", tags=("multiturn",) if i % 2 else ()) for i in range(4)]
    cases.append(Case(id="d0", kind="decline", question="q"))
    assert [c.id for c in select(cases, ["multiturn"])] == ["a1", "a3"]
    assert [c.id for c in select(cases, limit=1)] == ["a0", "d0"]
    assert [c.id for c in select(cases, ["d0"])] == ["d0"]


def test_readiness_imports_are_timed_apart_from_the_answer_latency_gate() -> None:
    row = {"tags": [], "passed": True, "metrics": {}, "refused": False}
    rows = [{**row, "kind": "answer", "latency_ms": 100.0}, {**row, "kind": "readiness", "latency_ms": 2000.0}]
    summary = summarise(rows, 4)
    assert summary["latency_p95_ms"] == 100.0 and summary["readiness_latency_p95_ms"] == 2000.0
    assert summarise(rows[1:], 4)["latency_p95_ms"] is None


def test_a_second_eval_run_on_the_same_index_waits_for_the_first(tmp_path: Path) -> None:
    entered: list[float] = []
    with index_lock(tmp_path / "index"):
        second = threading.Thread(target=_enter_and_note, args=(tmp_path / "index", entered))
        second.start()
        time.sleep(0.3)
        assert entered == []
        released = time.monotonic()
    second.join(timeout=5)
    assert len(entered) == 1 and entered[0] >= released


def _enter_and_note(index_dir: Path, entered: list[float]) -> None:
    with index_lock(index_dir):
        entered.append(time.monotonic())


def test_thresholds_exist_for_the_default_backend() -> None:
    thresholds = load_thresholds("extractive", THRESHOLDS_PATH)
    for metric in ("hit_at_k", "mrr", "faithfulness", "refusal_recall", "false_refusal_rate", "readiness_accuracy"):
        assert metric in thresholds


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_default_backend_eval_passes_the_gate(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    config = RunConfig(index_dir=tmp_path / "index", out=tmp_path / "run", progress=False)
    report = run_eval(config, embeddings=embeddings)
    thresholds = {k: v for k, v in load_thresholds("extractive").items() if not k.endswith("_ms")}
    failed = [c for c in check(report["summary"], report["checker"], thresholds) if not c.ok]
    assert not failed, [(c.metric, c.value, c.threshold) for c in failed]
    assert report["summary"]["retrieval"]["hybrid"]["mrr"] > report["summary"]["retrieval"]["baseline"]["mrr"]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_outsiders_held_out_test_split_passes_its_gate(tmp_path: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    config = RunConfig(index_dir=tmp_path / "index", out=tmp_path / "run", progress=False, split="test", baseline=False)
    report = run_eval(config, embeddings=embeddings)
    thresholds = {
        k: v for k, v in load_thresholds(threshold_key("extractive", "test")).items() if not k.endswith("_ms")
    }
    assert thresholds, "the test split has no thresholds"
    failed = [c for c in check(report["summary"], report["checker"], thresholds) if not c.ok]
    assert not failed, [(c.metric, c.value, c.threshold) for c in failed]


def test_the_outsider_splits_are_disjoint_and_big_enough() -> None:
    dev, test = load_cases(SPLITS["dev"]), load_cases(SPLITS["test"])
    assert not {c.question for c in dev} & {c.question for c in test}
    assert sum(c.kind == "answer" for c in test) >= 60 and sum(c.kind == "decline" for c in test) >= 15
    assert sum(c.kind == "answer" for c in dev + test) >= 150 and sum(c.kind == "decline" for c in dev + test) >= 30
    assert all(c.sources and c.facts for c in dev + test if c.kind == "answer")


def test_grades_cover_their_packets_and_use_the_rubrics_scale() -> None:
    grades_dir = ROOT / "evals" / "grades"
    for split in ("dev", "test"):
        packet = [row["id"] for row in read_jsonl(grades_dir / f"{split}-packet.jsonl")]
        grades = read_jsonl(grades_dir / f"{split}-grades.jsonl")
        assert [g["id"] for g in grades] == packet
        assert {int(g["grade"]) for g in grades} <= {0, 1, 2}
