"""Aggregating per-case results into the run's summary metrics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evals.metrics import mean, percentile

RETRIEVAL = ("hit_at_1", "hit_at_k", "mrr", "context_fact_recall")
GROUNDING = ("answer_fact_recall", "citation_validity", "citation_support", "faithfulness")
SYSTEMS = ("hybrid", "dense", "keyword", "baseline")

Row = dict[str, Any]


def summarise(results: list[Row], k: int) -> dict[str, Any]:
    """Summary metrics over the cases (None where the run had no case a metric applies to)."""
    answers = _kind(results, "answer")
    summary: dict[str, Any] = {"cases": len(results), "k": k, "passed": _share(results, lambda r: r["passed"])}
    for name in (*RETRIEVAL, *GROUNDING):
        summary[name] = _round(mean(r["metrics"].get(name) for r in answers))
    summary["all_facts"] = _share(answers, lambda r: r["metrics"].get("answer_fact_recall") == 1.0)
    summary["refusal_recall"] = _share(_kind(results, "decline"), lambda r: r["refused"])
    summary["false_refusal_rate"] = _share(answers + _kind(results, "smalltalk"), lambda r: r["refused"])
    summary["intent_accuracy"] = _share(_kind(results, "smalltalk"), lambda r: r["passed"])
    summary["readiness_accuracy"] = _share(_kind(results, "readiness"), lambda r: r["passed"])
    # The latency gate is for a question's answer; a readiness case imports, scores and cites a whole
    # assessment (about 15 searches), so its time is reported apart and has no threshold.
    latencies = [r["latency_ms"] for r in results if r.get("latency_ms") is not None and r["kind"] != "readiness"]
    summary["latency_p50_ms"] = _round(percentile(latencies, 50), 1)
    summary["latency_p95_ms"] = _round(percentile(latencies, 95), 1)
    imports = [r["latency_ms"] for r in _kind(results, "readiness") if r.get("latency_ms") is not None]
    summary["readiness_latency_p95_ms"] = _round(percentile(imports, 95), 1)
    summary["retrieval"] = {
        system: {name: _round(mean(r["metrics"].get(f"{system}_{name}") for r in answers)) for name in RETRIEVAL}
        for system in SYSTEMS
    }
    summary["by_tag"] = _by_label(results)
    return summary


def _kind(results: list[Row], kind: str) -> list[Row]:
    return [r for r in results if r["kind"] == kind]


def _share(rows: list[Row], test: Callable[[Row], bool]) -> float | None:
    return _round(sum(1 for r in rows if test(r)) / len(rows)) if rows else None


def _by_label(results: list[Row]) -> dict[str, dict[str, Any]]:
    labels = sorted({label for r in results for label in [r["kind"], *r["tags"]]})
    table = {}
    for label in labels:
        rows = [r for r in results if label == r["kind"] or label in r["tags"]]
        table[label] = {"cases": len(rows), "passed": _share(rows, lambda r: r["passed"])}
    return table


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)
