"""Comparing two runs side by side: summary metrics with deltas, and the cases whose verdict changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evals.metrics import LOWER_IS_BETTER
from evals.report import HEADLINE, _fmt, _label
from evals.summary import RETRIEVAL, SYSTEMS


def load_run(path: Path) -> dict[str, Any]:
    """A run's report, from its folder or its `report.json`."""
    file = path / "report.json" if path.is_dir() else path
    return json.loads(file.read_text(encoding="utf-8"))


def compare_markdown(a: dict[str, Any], b: dict[str, Any], names: tuple[str, str] = ("A", "B")) -> str:
    """Markdown table of A, B and B-A for every headline and retrieval metric, then the changed cases."""
    lines = ["# Eval comparison", ""]
    for name, run in zip(names, (a, b), strict=True):
        meta = run["meta"]
        lines.append(
            f"- **{name}**: {meta['created']}, backend `{meta['backend']}`, mode `{meta['mode']}`, "
            f"k={meta['k']}, chunk size {meta['chunk_size']}, {run['summary']['cases']} cases"
        )
    lines += ["", f"| Metric | {names[0]} | {names[1]} | Δ |", "|---|---|---|---|"]
    rows = [(m, a["summary"].get(m), b["summary"].get(m)) for m in HEADLINE]
    rows += [
        (f"{s} {m}", a["summary"]["retrieval"][s][m], b["summary"]["retrieval"][s][m])
        for s in SYSTEMS
        for m in RETRIEVAL
    ]
    for metric, x, y in rows:
        lines.append(f"| {_label(metric)} | {_fmt(x, metric)} | {_fmt(y, metric)} | {_delta(metric, x, y)} |")
    lines += ["", "## Cases whose verdict changed", ""]
    before = {c["id"]: c["passed"] for c in a["cases"]}
    changed = [c for c in b["cases"] if c["id"] in before and before[c["id"]] != c["passed"]]
    lines += [f"- {c['id']}: {'fail → pass' if c['passed'] else '**pass → fail**'}" for c in changed] or ["None."]
    return "\n".join(lines) + "\n"


def _delta(metric: str, x: float | None, y: float | None) -> str:
    if x is None or y is None:
        return ""
    delta = y - x
    if abs(delta) < 1e-9:
        return "0"
    better = delta < 0 if metric.endswith("ms") or metric in LOWER_IS_BETTER else delta > 0
    return f"{delta:+.3f} {'▲' if better else '▼'}" if abs(delta) < 10 else f"{delta:+.0f} {'▲' if better else '▼'}"
