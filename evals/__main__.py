"""`python -m evals`: run the eval suite, write the reports and exit non-zero when the gate fails."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from evals.compare import compare_markdown, load_run
from evals.dataset import SPLITS
from evals.gate import check, load_thresholds, threshold_key
from evals.report import write_reports
from evals.runner import OUT_DIR, RunConfig, run_eval


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evals", description="Run the BPO Advisor eval suite.")
    parser.add_argument("--backend", default="extractive", help="answer backend: extractive, openai, ollama, llamacpp")
    parser.add_argument("--k", type=int, default=4, help="passages given to the answerer, and the k of hit@k")
    parser.add_argument("--mode", choices=["hybrid", "dense", "keyword"], default="hybrid", help="retrieval mode")
    parser.add_argument("--chunk-size", type=int, default=600, help="max characters per chunk of our index")
    parser.add_argument(
        "--subset", action="append", default=[], help="only cases with this kind, tag, file stem or id (repeatable)"
    )
    parser.add_argument(
        "--split",
        choices=sorted(SPLITS),
        default="core",
        help="case set: our own cases (core), the outsiders' questions (dev, held-out test) or a later fresh set",
    )
    parser.add_argument("--limit", type=int, help="at most this many cases of each kind")
    parser.add_argument("--out", type=Path, help="output folder (default: evals/out/runs/<timestamp>)")
    parser.add_argument("--index-dir", type=Path, default=OUT_DIR / "index", help="where the eval indexes live")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    parser.add_argument("--no-gate", action="store_true", help="report only; never exit non-zero for thresholds")
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("RUN_A", "RUN_B"),
        help="compare two earlier runs (folders or report.json) instead of running",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run (or compare) and return the exit code: 0 ok, 1 gate failed."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    if args.compare:
        text = compare_markdown(
            load_run(args.compare[0]), load_run(args.compare[1]), (args.compare[0].name, args.compare[1].name)
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "comparison.md").write_text(text, encoding="utf-8")
        print(text)
        return 0
    config = RunConfig(
        backend=args.backend,
        k=args.k,
        mode=args.mode,
        chunk_size=args.chunk_size,
        subset=tuple(args.subset),
        limit=args.limit,
        index_dir=args.index_dir,
        baseline=not args.no_baseline,
        split=args.split,
    )
    if args.out:
        config.out = args.out
    report = run_eval(config)
    checks = check(report["summary"], report["checker"], load_thresholds(threshold_key(args.backend, args.split)))
    paths = write_reports(report, checks, config.out)
    _print_summary(report, checks, paths["md"])
    failed = [c for c in checks if not c.ok]
    return 1 if failed and not args.no_gate else 0


def _print_summary(report: dict, checks: list, markdown_path: Path) -> None:
    summary = report["summary"]
    for name in (
        "hit_at_k",
        "mrr",
        "answer_fact_recall",
        "all_facts",
        "faithfulness",
        "refusal_recall",
        "false_refusal_rate",
        "readiness_accuracy",
        "latency_p95_ms",
    ):
        print(f"{name:>20}: {summary.get(name)}")
    base = summary["retrieval"]["baseline"]
    print(f"{'baseline hit@k/mrr':>20}: {base['hit_at_k']} / {base['mrr']}")
    for c in checks:
        if not c.ok:
            print(f"GATE FAILED {c.metric}={c.value} needs {c.direction} {c.threshold}", file=sys.stderr)
    print(f"report: {markdown_path}")


if __name__ == "__main__":
    sys.exit(main())
