"""One-off: merge the gathered outsider questions and split them once into dev and test (seeded, by topic).

Run once (`python -m evals.split_outsider`); the split files are then committed and never re-drawn, so the
test split stays unseen by whoever tunes the system. Fact groups and sources are added to the split files.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent / "data" / "outsider"
TEST_SHARE = 0.4
SEED = 16


def main() -> None:
    """Write dev/ and test/ answers.yaml and declines.yaml from raw_*.yaml."""
    raw = [c for path in sorted(FOLDER.glob("raw_*.yaml")) for c in yaml.safe_load(path.read_text())["cases"]]
    rng = random.Random(SEED)
    splits: dict[tuple[str, str], list[dict]] = {}
    by_group: dict[tuple[str, str], list[dict]] = {}
    for case in raw:
        kind = "decline" if case.get("expect") == "decline" else "answer"
        group = case.get("decline_reason", "") if kind == "decline" else case["topic"]
        by_group.setdefault((kind, group), []).append(case)
    for (kind, _), cases in sorted(by_group.items()):
        rng.shuffle(cases)
        n_test = round(len(cases) * TEST_SHARE)
        splits.setdefault(("test", kind), []).extend(cases[:n_test])
        splits.setdefault(("dev", kind), []).extend(cases[n_test:])
    for (split, kind), cases in splits.items():
        _write(split, kind, cases)


def _write(split: str, kind: str, cases: list[dict]) -> None:
    prefix = {"dev": "od", "test": "ot"}[split] + ("d" if kind == "decline" else "")
    out = []
    for number, case in enumerate(cases, start=1):
        entry = {"id": f"{prefix}-{number:03d}", "question": case["question"], "url": case["url"]}
        if kind == "decline":
            entry["tags"] = [case.get("decline_reason", "not-covered")]
        else:
            entry["tags"] = [case["topic"]]
        out.append(entry)
    folder = FOLDER / split
    folder.mkdir(parents=True, exist_ok=True)
    name = "declines.yaml" if kind == "decline" else "answers.yaml"
    header = {"version": 1, "kind": kind, "cases": out}
    (folder / name).write_text(yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=120))


if __name__ == "__main__":
    main()
