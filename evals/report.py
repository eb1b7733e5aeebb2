"""Writing a run as `report.json`, `report.md`, `report.html` and `metrics.png` in its output folder."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

from evals.gate import Check
from evals.summary import GROUNDING, RETRIEVAL, SYSTEMS

HEADLINE = (
    "hit_at_1",
    "hit_at_k",
    "mrr",
    "context_fact_recall",
    *GROUNDING,
    "refusal_recall",
    "false_refusal_rate",
    "intent_accuracy",
    "readiness_accuracy",
    "latency_p50_ms",
    "latency_p95_ms",
)
_QUALITY = (*GROUNDING, "refusal_recall", "intent_accuracy", "readiness_accuracy")


def write_reports(report: dict[str, Any], checks: list[Check], out: Path) -> dict[str, Path]:
    """Write every format into `out`; returns the paths by format."""
    out.mkdir(parents=True, exist_ok=True)
    report = {**report, "gate": [_check_dict(c) for c in checks]}
    chart = metrics_chart(report["summary"])
    paths = {
        "json": out / "report.json",
        "md": out / "report.md",
        "html": out / "report.html",
        "png": out / "metrics.png",
    }
    paths["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    paths["png"].write_bytes(chart)
    paths["md"].write_text(markdown(report), encoding="utf-8")
    paths["html"].write_text(html_page(report, chart), encoding="utf-8")
    return paths


def metrics_chart(summary: dict[str, Any]) -> bytes:
    """A PNG: retrieval per system (ours in each mode, and the baseline) beside the answer-quality metrics."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1.1, 1]})
    width = 0.2
    for i, system in enumerate(SYSTEMS):
        values = [summary["retrieval"][system][m] or 0.0 for m in RETRIEVAL]
        left.bar([x + i * width for x in range(len(RETRIEVAL))], values, width, label=system)
    left.set_xticks([x + 1.5 * width for x in range(len(RETRIEVAL))], [_label(m) for m in RETRIEVAL])
    left.set_ylim(0, 1.18)
    left.set_title(f"Retrieval (k={summary['k']})")
    left.legend(loc="upper center", ncol=len(SYSTEMS), fontsize=8, frameon=False)
    quality = [(m, summary.get(m)) for m in _QUALITY if summary.get(m) is not None]
    right.barh([_label(m) for m, _ in quality], [v for _, v in quality], color="#4c72b0")
    right.set_xlim(0, 1.05)
    right.invert_yaxis()
    right.set_title("Answers, refusals and readiness")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown: settings, summary with gate, retrieval comparison, checker, cases."""
    meta, summary = report["meta"], report["summary"]
    lines = [
        f"# Eval run {meta['created']}",
        "",
        _settings_line(meta),
        "",
        "![metrics](metrics.png)",
        "",
        "## Summary",
        "",
        "| Metric | Value | Threshold | |",
        "|---|---|---|---|",
    ]
    gate = {c["metric"]: c for c in report.get("gate", [])}
    for metric in HEADLINE:
        check = gate.get(metric)
        limit = f"{check['direction']} {check['threshold']}" if check else ""
        lines.append(f"| {_label(metric)} | {_fmt(summary.get(metric), metric)} | {limit} | {_mark(check)} |")
    lines += [
        "",
        "## Retrieval: ours vs the naive baseline",
        "",
        "| System | " + " | ".join(map(_label, RETRIEVAL)) + " |",
        "|---" * (len(RETRIEVAL) + 1) + "|",
    ]
    for system in SYSTEMS:
        row = summary["retrieval"][system]
        lines.append(f"| {_system(system, meta)} | " + " | ".join(_fmt(row[m]) for m in RETRIEVAL) + " |")
    lines += ["", "## Checking the checker", "", _checker_line(report.get("checker", {})), ""]
    lines += _gate_lines(report.get("gate", []))
    lines += [
        "## Cases",
        "",
        "| Case | Kind | Pass | Hit@k | RR | Facts | Faithful | ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in report["cases"]:
        m = case["metrics"]
        lines.append(
            f"| {case['id']} | {case['kind']} | {'yes' if case['passed'] else '**no**'} | "
            f"{_fmt(m.get('hit_at_k'))} | {_fmt(m.get('mrr'))} | {_fmt(m.get('answer_fact_recall'))} | "
            f"{_fmt(m.get('faithfulness'))} | {_fmt(case.get('latency_ms'), 'latency_ms')} |"
        )
    lines += ["", "## Case details", ""]
    for case in report["cases"]:
        lines += _case_markdown(case)
    return "\n".join(lines) + "\n"


def _case_markdown(case: dict[str, Any]) -> list[str]:
    lines = [f"### {case['id']} ({case['kind']}, {'pass' if case['passed'] else 'FAIL'})", ""]
    for turn in case.get("history", []):
        lines.append(f"> earlier: {turn}")
    lines.append(f"> **{case['question']}**")
    if case.get("standalone") and case["standalone"] != case["question"]:
        lines.append(f"> (standalone: {case['standalone']})")
    lines.append("")
    expected = _expected(case)
    if expected:
        lines += [f"Expected: {expected}", ""]
    lines += [
        f"Answer ({case.get('intent', '')}{', refused' if case.get('refused') else ''}): "
        f"{case.get('answer', case.get('error', ''))}",
        "",
    ]
    for i, passage in enumerate(case.get("retrieved", []), start=1):
        text = " ".join(passage["text"].split())[:300]
        lines.append(f"{i}. `{passage['source']}` › {passage['section']} ({passage['score']}): {text}")
    return [*lines, ""]


def html_page(report: dict[str, Any], chart: bytes) -> str:
    """The report as one self-contained HTML page (the chart is an inline PNG)."""
    import markdown as md

    body = markdown(report).replace("![metrics](metrics.png)", "")
    head = body.partition("## Case details")[0]
    image = base64.b64encode(chart).decode()
    cases = "".join(_case_html(c) for c in report["cases"])
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>BPO Advisor eval</title><style>"
        "body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
        "details{margin:.4em 0}summary{cursor:pointer}.fail{color:#b00;font-weight:600}"
        "blockquote{color:#444;margin:.3em 0 .3em 1em}</style></head><body>"
        f"<img alt='metrics chart' src='data:image/png;base64,{image}'>"
        f"{md.markdown(head, extensions=['tables'])}<h2>Case details</h2>{cases}</body></html>"
    )


def _case_html(case: dict[str, Any]) -> str:
    status = "pass" if case["passed"] else "<span class='fail'>FAIL</span>"
    e = html.escape
    turns = "".join(f"<blockquote>earlier: {e(t)}</blockquote>" for t in case.get("history", []))
    passages = "".join(
        f"<li><code>{e(p['source'])}</code> › {e(p['section'])} ({p['score']}): {e(p['text'])}</li>"
        for p in case.get("retrieved", [])
    )
    expected = _expected(case)
    return (
        f"<details><summary>{e(case['id'])} ({case['kind']}) — {status}</summary>{turns}"
        f"<blockquote><b>{e(case['question'])}</b></blockquote>"
        + (f"<p>Expected: {e(expected)}</p>" if expected else "")
        + f"<p>Answer ({e(str(case.get('intent', '')))}): {e(str(case.get('answer', case.get('error', ''))))}</p>"
        + (f"<ol>{passages}</ol>" if passages else "")
        + f"<pre>{e(json.dumps(case['metrics'], indent=1))}</pre></details>"
    )


def _expected(case: dict[str, Any]) -> str:
    parts = []
    if case.get("expected_sources"):
        parts.append("sources " + ", ".join(case["expected_sources"]))
    if case.get("expected_facts"):
        parts.append("facts " + "; ".join(" | ".join(f) for f in case["expected_facts"]))
    if case["kind"] == "decline":
        parts.append("refused")
    if case.get("expected_intent"):
        parts.append(f"intent {case['expected_intent']}")
    if case.get("expected_band"):
        parts.append(f"band {case['expected_band']}, location {case.get('expected_location')}")
    return "; ".join(parts)


def _gate_lines(checks: list[dict[str, Any]]) -> list[str]:
    failed = [c for c in checks if not c["ok"]]
    if not checks:
        return ["Gate: no thresholds for this backend.", ""]
    if not failed:
        return [f"Gate: **passed** ({len(checks)} thresholds).", ""]
    return [
        "Gate: **FAILED**",
        "",
        *(f"- {_label(c['metric'])} = {_fmt(c['value'])}, needs {c['direction']} {c['threshold']}" for c in failed),
        "",
    ]


def _checker_line(checker: dict[str, Any]) -> str:
    if not checker:
        return "Not measured."
    return (
        f"The support checker on {checker['n']} labelled sentence/passage pairs: accuracy "
        f"{_fmt(checker['accuracy'])}, precision {_fmt(checker['precision'])}, recall {_fmt(checker['recall'])}; "
        f"accuracy by kind: " + ", ".join(f"{k} {_fmt(v)}" for k, v in checker["accuracy_by_kind"].items())
    )


def _settings_line(meta: dict[str, Any]) -> str:
    return (
        f"Backend `{meta['backend']}`, mode `{meta['mode']}`, k={meta['k']}, chunk size {meta['chunk_size']} "
        f"({meta['chunks']} chunks), dataset {meta['dataset']}"
        + (f", subset {meta['subset']}" if meta.get("subset") else "")
        + (f", limit {meta['limit']}" if meta.get("limit") else "")
        + "."
    )


def _check_dict(check: Check) -> dict[str, Any]:
    return {
        "metric": check.metric,
        "threshold": check.threshold,
        "value": check.value,
        "ok": check.ok,
        "direction": check.direction,
    }


def _system(system: str, meta: dict[str, Any]) -> str:
    if system == "baseline":
        return "naive baseline"
    return f"ours, {system}" + (" (this run)" if system == meta["mode"] else "")


def _mark(check: dict[str, Any] | None) -> str:
    return "" if check is None else ("ok" if check["ok"] else "**below**")


def _label(metric: str) -> str:
    return metric.replace("_at_", "@").replace("_", " ")


def _fmt(value: Any, metric: str = "") -> str:
    if value is None:
        return "–"
    if metric.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
