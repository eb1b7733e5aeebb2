"""Measure and calibrate the support checker on labelled sentence/passage pairs.

Run ``python -m evals.support_calibration`` to print the metrics and the chosen weight and threshold.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from advisor.answering.support import SupportChecker

PAIRS_PATH = Path(__file__).resolve().parent.parent / "evals" / "data" / "support_pairs.jsonl"
_WEIGHTS = tuple(round(0.3 + 0.05 * i, 2) for i in range(11))  # 0.30 .. 0.80
_BETA = 0.5  # precision counts more: an unsupported sentence that passes reaches the user

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pair:
    """One labelled example: is ``sentence`` supported by ``passage``?"""

    sentence: str
    passage: str
    supported: bool
    kind: str


@dataclass
class SupportMetrics:
    """Accuracy, precision and recall of the "supported" verdict, overall and per kind."""

    n: int
    accuracy: float
    precision: float
    recall: float
    accuracy_by_kind: dict[str, float] = field(default_factory=dict)
    errors: list[Pair] = field(default_factory=list)


def load_pairs(path: Path = PAIRS_PATH) -> list[Pair]:
    """Read the labelled JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [Pair(**json.loads(line)) for line in handle if line.strip()]


def evaluate_checker(checker: SupportChecker, pairs: list[Pair] | None = None) -> SupportMetrics:
    """Score the checker's verdicts against the labels (positive class: supported)."""
    pairs = load_pairs() if pairs is None else pairs
    checker.prefetch([t for p in pairs for t in (p.sentence, p.passage)])
    predicted = [checker.check(p.sentence, [p.passage]).supported for p in pairs]
    return _metrics(pairs, predicted)


def calibrate(checker: SupportChecker, pairs: list[Pair] | None = None) -> tuple[float, float, float]:
    """Pick (weight, threshold) maximising F0.5 on the pairs; deterministic, ties go to the first found.

    Returns the weight, the threshold and the F0.5 reached.
    """
    pairs = load_pairs() if pairs is None else pairs
    checker.prefetch([t for p in pairs for t in (p.sentence, p.passage)])
    features = [checker.features(p.sentence, [p.passage]) for p in pairs]
    best = (checker.weight, checker.threshold, -1.0)
    for weight in _WEIGHTS:
        scores = [weight * cos + (1 - weight) * overlap - penalty for (cos, overlap, penalty, _), _ in features]
        for threshold in sorted({round(s + 0.0005, 3) for s in scores}):
            predicted = [not hard and s >= threshold for s, (_, hard) in zip(scores, features, strict=True)]
            quality = _f_beta(_metrics(pairs, predicted))
            if quality > best[2] + 1e-9:
                best = (weight, threshold, quality)
    return best


def cross_validated(checker: SupportChecker, pairs: list[Pair] | None = None) -> SupportMetrics:
    """Two-fold estimate: calibrate on even lines, test on odd, and the other way round."""
    pairs = load_pairs() if pairs is None else pairs
    folds = (pairs[0::2], pairs[1::2])
    tested: list[Pair] = []
    predicted: list[bool] = []
    for train, test in (folds, folds[::-1]):
        weight, threshold, _ = calibrate(checker, train)
        fold_checker = checker.tuned(threshold, weight)
        tested += test
        predicted += [fold_checker.check(p.sentence, [p.passage]).supported for p in test]
    return _metrics(tested, predicted)


def _metrics(pairs: list[Pair], predicted: list[bool]) -> SupportMetrics:
    tp = sum(p.supported and y for p, y in zip(pairs, predicted, strict=True))
    fp = sum(not p.supported and y for p, y in zip(pairs, predicted, strict=True))
    fn = sum(p.supported and not y for p, y in zip(pairs, predicted, strict=True))
    right: dict[str, list[bool]] = defaultdict(list)
    for pair, verdict in zip(pairs, predicted, strict=True):
        right[pair.kind].append(verdict == pair.supported)
    return SupportMetrics(
        n=len(pairs),
        accuracy=round(sum(sum(v) for v in right.values()) / max(len(pairs), 1), 4),
        precision=round(tp / (tp + fp), 4) if tp + fp else 0.0,
        recall=round(tp / (tp + fn), 4) if tp + fn else 0.0,
        accuracy_by_kind={k: round(sum(v) / len(v), 4) for k, v in sorted(right.items())},
        errors=[p for p, y in zip(pairs, predicted, strict=True) if y != p.supported],
    )


def _f_beta(metrics: SupportMetrics) -> float:
    p, r = metrics.precision, metrics.recall
    return (1 + _BETA**2) * p * r / (_BETA**2 * p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> None:
    """Calibrate on the labelled pairs and print the metrics before and after."""
    parser = argparse.ArgumentParser(description="Calibrate the sentence support checker.")
    parser.add_argument("--pairs", type=Path, default=PAIRS_PATH, help="labelled JSONL file")
    parser.add_argument("--errors", action="store_true", help="list misjudged pairs")
    args = parser.parse_args(argv)

    from advisor.embeddings import load_embeddings
    from advisor.settings import Settings

    embeddings = load_embeddings(Settings())
    checker = SupportChecker(embeddings)
    pairs = load_pairs(args.pairs)
    current = evaluate_checker(checker, pairs)
    weight, threshold, quality = calibrate(checker, pairs)
    tuned = evaluate_checker(checker.tuned(threshold, weight), pairs)
    folds = cross_validated(checker, pairs)
    print(f"current  weight={checker.weight} threshold={checker.threshold} {_summary(current)}")
    print(f"best     weight={weight} threshold={threshold} f0.5={quality:.4f} {_summary(tuned)}")
    print(f"2-fold   {_summary(folds)}")
    print(f"by kind  {tuned.accuracy_by_kind}")
    if args.errors:
        for pair in tuned.errors:
            (cos, overlap, penalty, _), hard = checker.features(pair.sentence, [pair.passage])
            print(
                f"  [{pair.kind}] supported={pair.supported} cos={cos:.2f} overlap={overlap:.2f} "
                f"penalty={penalty} hard={hard}: {pair.sentence}"
            )


def _summary(metrics: SupportMetrics) -> str:
    return f"n={metrics.n} accuracy={metrics.accuracy} precision={metrics.precision} recall={metrics.recall}"


if __name__ == "__main__":
    main()
