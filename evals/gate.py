"""The quality gate: thresholds per backend from `evals/thresholds.yaml`, checked against a run's summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evals.metrics import LOWER_IS_BETTER, passes

THRESHOLDS_PATH = Path(__file__).resolve().parent / "thresholds.yaml"


@dataclass(frozen=True)
class Check:
    """One threshold and how the run measured against it; `value` None means not measured in this run."""

    metric: str
    threshold: float
    value: float | None

    @property
    def ok(self) -> bool:
        """Passed, or not measured (a subset run without cases of that kind)."""
        return self.value is None or passes(self.metric, self.value, self.threshold)

    @property
    def direction(self) -> str:
        """`<=` for metrics where lower is better, else `>=`."""
        return "<=" if self.metric in LOWER_IS_BETTER else ">="


def threshold_key(backend: str, split: str = "core") -> str:
    """The thresholds' section for a backend and case set: `extractive`, or `extractive@test` for a split."""
    return backend if split == "core" else f"{backend}@{split}"


def load_thresholds(backend: str, path: Path = THRESHOLDS_PATH) -> dict[str, float]:
    """The thresholds for a backend (empty when the file has none for it)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): float(v) for k, v in (data.get(backend) or {}).items()}


def check(summary: dict[str, Any], checker: dict[str, Any], thresholds: dict[str, float]) -> list[Check]:
    """Every threshold against the run; `checker_*` metrics read the support checker's quality."""
    checks = []
    for metric, threshold in thresholds.items():
        source = checker if metric.startswith("checker_") else summary
        checks.append(Check(metric, threshold, source.get(metric.removeprefix("checker_"))))
    return checks
