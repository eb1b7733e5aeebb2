"""Blind grading of answers: a packet a grader reads (question, answer, cited passages only) and its summary.

    python -m evals.grading packet RUN_DIR -o evals/grades/test-packet.jsonl
    python -m evals.grading summary evals/grades/test-grades.jsonl

The grader scores each answer 2/1/0 by `evals/grades/RUBRIC.md`; the grades are kept in the repo beside
their packet so that the numbers in the README can be checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def packet(report: dict[str, Any]) -> list[dict[str, Any]]:
    """What the grader may see of each answerable case: the question, the answer and the cited passages."""
    rows = []
    for case in report["cases"]:
        if case["kind"] != "answer":
            continue
        passages = case.get("passages") or {}
        cited = [
            {"n": c["n"], "source": c["source"], "section": c["section"], "text": passages.get(str(c["n"]))}
            for c in case["citations"]
        ]
        rows.append(
            {
                "id": case["id"],
                "question": case["question"],
                "history": case.get("history") or [],
                "answer": case["answer"],
                "declined": case["refused"],
                "passages": cited,
            }
        )
    return rows


def summary(grades: list[dict[str, Any]]) -> dict[str, Any]:
    """The share of answers graded 2, 1 and 0, the mean grade and the unsupported sentences."""
    counts = Counter(int(g["grade"]) for g in grades)
    total = len(grades) or 1
    return {
        "graded": len(grades),
        "grade_2": round(counts[2] / total, 4),
        "grade_1": round(counts[1] / total, 4),
        "grade_0": round(counts[0] / total, 4),
        "mean": round(sum(int(g["grade"]) for g in grades) / total, 3),
        "unsupported_sentences": sum(int(g.get("unsupported", 0)) for g in grades),
    }


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """`packet` writes a grading packet from a run; `summary` prints a grades file's distribution."""
    parser = argparse.ArgumentParser(prog="python -m evals.grading", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("packet", help="write the blind grading packet of a run")
    make.add_argument("run", type=Path, help="a run folder (or its report.json)")
    make.add_argument("-o", "--out", type=Path, required=True, help="the packet file (JSON lines)")
    show = sub.add_parser("summary", help="print the distribution of a grades file")
    show.add_argument("grades", type=Path, help="grades (JSON lines: id, grade, unsupported, reason)")
    args = parser.parse_args(argv)
    if args.command == "packet":
        path = args.run / "report.json" if args.run.is_dir() else args.run
        rows = packet(json.loads(path.read_text(encoding="utf-8")))
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{len(rows)} cases -> {args.out}")
        return 0
    print(json.dumps(summary(read_jsonl(args.grades)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
