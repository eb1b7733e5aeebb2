"""`python -m bench.latency`: ask p50/p95 of whichever `advisor` is importable, on the dev outsider questions.

Run it once per version to compare (e.g. `PYTHONPATH=../main python -m bench.latency` for the code on main).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

DEV_QUESTIONS = Path(__file__).resolve().parents[1] / "evals" / "data" / "outsider" / "dev" / "answers.yaml"


def dev_questions(path: Path = DEV_QUESTIONS) -> list[str]:
    """The questions outsiders wrote for the dev split."""
    return [case["question"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50 and p95 of timings, in milliseconds."""
    cuts = statistics.quantiles(seconds, n=20, method="inclusive")
    return {"p50_ms": round(statistics.median(seconds) * 1000, 1), "p95_ms": round(cuts[18] * 1000, 1)}


def timings(action: Callable[[str], object], questions: list[str]) -> list[float]:
    """The wall time of the action on each question."""
    spent = []
    for question in questions:
        started = time.perf_counter()
        action(question)
        spent.append(time.perf_counter() - started)
    return spent


def main(argv: list[str] | None = None) -> None:
    """Ingest the real knowledge base into a throw-away data dir, warm up, then time ask and search."""
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the questions (default 2)")
    args = parser.parse_args(argv)
    from advisor.service import Advisor
    from advisor.settings import load_settings

    questions = dev_questions()
    with tempfile.TemporaryDirectory() as data_dir:
        advisor = Advisor.from_settings(load_settings(data_dir=Path(data_dir)))
        advisor.ingest(progress=False)
        for question in questions[:5]:
            advisor.ask(question)
        asks = timings(advisor.ask, questions * args.rounds)
        searches = timings(lambda q: advisor.search(q, k=4), questions * args.rounds)
    print(json.dumps({"questions": len(questions), "ask": percentiles(asks), "search": percentiles(searches)}))


if __name__ == "__main__":
    main()
