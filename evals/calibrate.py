"""Calibrate the refusal thresholds on `evals/data/calibration.yaml`: `python -m evals.calibrate`.

For each question it takes the best chunk similarity and the best sentence similarity among the retrieved
passages, then grid-searches the two thresholds for the best balanced accuracy (mean of in-scope answer rate
and out-of-scope refusal rate), ties going to the stricter pair. Deterministic: same model, same base, same
numbers.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

import yaml

from advisor.answer import Hit
from advisor.service import Advisor
from advisor.settings import load_settings

CALIBRATION = Path(__file__).parent / "data" / "calibration.yaml"


def features(advisor: Advisor, question: str) -> tuple[float, float]:
    """(best chunk similarity, best sentence similarity) for a question."""
    hits = advisor.search(question, k=advisor.settings.top_k)
    return _best_chunk(hits), advisor.extractive.sentence_relevance(question, hits)


def _best_chunk(hits: list[Hit]) -> float:
    return max((h.score for h in hits), default=0.0)


def best_thresholds(inside: list[tuple[float, float]], outside: list[tuple[float, float]]) -> dict[str, float]:
    """Grid-search (chunk, sentence) thresholds; answer when chunk >= t1 or sentence >= t2.

    The best balanced accuracy wins; among equals, the pair farthest from every example (the widest margin).
    """
    grid = [round(0.20 + 0.01 * i, 2) for i in range(51)]
    best: tuple[float, float, float, float] | None = None
    for t1, t2 in itertools.product(grid, grid):
        answered = sum(c >= t1 or s >= t2 for c, s in inside) / len(inside)
        refused = sum(not (c >= t1 or s >= t2) for c, s in outside) / len(outside)
        margin = min(
            min(max(c - t1, s - t2) for c, s in inside),
            min(min(t1 - c, t2 - s) for c, s in outside),
        )
        key = ((answered + refused) / 2, margin, t1, t2)
        if best is None or key > best:
            best = key
    assert best is not None
    return {
        "balanced_accuracy": best[0],
        "margin": best[1],
        "min_relevance": best[2],
        "min_sentence_relevance": best[3],
    }


def best_named_threshold(inside: list[float], outside: list[float]) -> dict[str, float]:
    """The unknown-name rule's threshold: answer a question naming something unknown when its best chunk is this
    close. Best balanced accuracy wins; among equals, the midpoint of the widest gap."""
    grid = [round(0.30 + 0.01 * i, 2) for i in range(51)]
    scored = []
    for t in grid:
        answered = sum(c >= t for c in inside) / len(inside)
        refused = sum(c < t for c in outside) / len(outside)
        scored.append(((answered + refused) / 2, t))
    best = max(score for score, _ in scored)
    ties = [t for score, t in scored if score == best]
    return {"named_balanced_accuracy": best, "named_relevance": round((ties[0] + ties[-1]) / 2, 2)}


def named_feature(advisor: Advisor, question: str) -> float:
    """The best chunk similarity for a question (what the unknown-name rule compares)."""
    return _best_chunk(advisor.search(question, k=advisor.settings.top_k))


def main(argv: list[str] | None = None) -> int:
    """Print the calibrated thresholds for the real knowledge base."""
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__)
    parser.add_argument("--knowledge-dir", type=Path, default=Path("knowledge"))
    args = parser.parse_args(argv)
    data = yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as data_dir:
        advisor = Advisor.from_settings(load_settings(knowledge_dir=args.knowledge_dir, data_dir=Path(data_dir)))
        advisor.ingest(progress=False)
        inside = [features(advisor, q) for q in data["in_scope"]]
        outside = [features(advisor, q) for q in data["out_of_scope"]]
        named_inside = [named_feature(advisor, q) for q in data["named_in_scope"]]
        named_outside = [named_feature(advisor, q) for q in data["named_out_of_scope"]]
    result = best_thresholds(inside, outside) | best_named_threshold(named_inside, named_outside)
    print(f"in-scope {len(inside)}, out-of-scope {len(outside)}")
    for key, value in result.items():
        print(f"{key}: {value:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
