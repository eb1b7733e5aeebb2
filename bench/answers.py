"""`python -m bench.answers OUT.json`: every core and dev eval question answered by whichever `advisor` is importable.

Two runs (one per version) compared with `--compare A.json B.json` show whether a change altered any answer.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "evals" / "data"
FILES = [*sorted((DATA / "cases").glob("*.yaml")), *sorted((DATA / "outsider" / "dev").glob("*.yaml"))]


def _cases() -> list[dict]:
    cases: list[dict] = []
    for path in FILES:
        cases.extend(c for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"] if "question" in c)
    return cases


def answers() -> dict[str, dict]:
    """Each case's answer text, refusal and cited sources."""
    from advisor.service import Advisor
    from advisor.settings import load_settings

    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as data_dir:
        advisor = Advisor.from_settings(load_settings(data_dir=Path(data_dir)))
        advisor.ingest(progress=False)
        for case in _cases():
            history: list[tuple[str, str]] = []
            for turn in case.get("history") or []:
                history += [("user", turn), ("assistant", advisor.ask(turn, history).text)]
            answer = advisor.ask(case["question"], history)
            cited = [c.source for c in answer.citations]
            out[case["id"]] = {"text": answer.text, "refused": answer.refused, "cited": cited}
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the answers, or compare two files of them (exit 1 when any differs)."""
    parser = argparse.ArgumentParser(prog="python -m bench.answers", description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, help="where to write the answers (JSON)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="compare two answer files")
    args = parser.parse_args(argv)
    if args.compare:
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        changed = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        print(json.dumps({"cases": len(a), "changed": changed}, indent=1))
        return 1 if changed else 0
    args.out.write_text(json.dumps(answers(), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
