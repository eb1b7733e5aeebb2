"""`python -m evals.replies`: how well the readiness reader understands free-text replies, per split.

Each case in `evals/data/readiness_replies.yaml` names a question, a reply and the expected reading (a value,
`dont_know`, `skip` or `ask_back`). A reading is correct when it matches. A reply the reader cannot read at all
is re-asked with the allowed answers, so it counts as asked back, never as a guess. "Confirmed" is the share of
the replies expected to be asked back that were asked back rather than guessed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from advisor.readiness.errors import ParseError
from advisor.readiness.parsing import parse_reply
from advisor.readiness.questionnaire import Questionnaire, load_questionnaire

REPLIES_PATH = Path(__file__).resolve().parent / "data" / "readiness_replies.yaml"
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class ReplyCase:
    """One free-text reply to one question, with the reading a consultant would write down."""

    split: str
    question: str
    reply: str
    expect: Any


@dataclass(frozen=True)
class SplitScore:
    """A split's accuracy and the share of uncertain replies that were asked back, with the misses."""

    split: str
    cases: int
    correct: int
    uncertain: int
    confirmed: int
    misses: list[dict[str, Any]]

    @property
    def accuracy(self) -> float:
        """Correct readings as a share of all cases."""
        return self.correct / self.cases if self.cases else 0.0

    @property
    def confirmed_share(self) -> float:
        """Replies expected to be asked back that were, as a share (1.0 when there are none)."""
        return self.confirmed / self.uncertain if self.uncertain else 1.0


def load_cases(path: Path = REPLIES_PATH) -> list[ReplyCase]:
    """Every case of every split, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [ReplyCase(split, c["question"], c["reply"], c["expect"]) for split in SPLITS for c in data[split]]


def reading(questionnaire: Questionnaire, case: ReplyCase) -> Any:
    """What the reader made of the case's reply: a value, or dont_know, skip or ask_back."""
    question = questionnaire.question(case.question)
    if question is None:
        raise ValueError(f"{case.question}: no such question in the questionnaire")
    try:
        reply = parse_reply(question, case.reply)
    except ParseError:
        return "ask_back"
    return reply.value if reply.kind == "answer" else reply.kind


def score_split(questionnaire: Questionnaire, cases: list[ReplyCase], split: str) -> SplitScore:
    """Score one split's cases."""
    chosen = [c for c in cases if c.split == split]
    misses: list[dict[str, Any]] = []
    confirmed = 0
    for case in chosen:
        got = reading(questionnaire, case)
        confirmed += case.expect == "ask_back" and got == "ask_back"
        if not _same(got, case.expect):
            misses.append({"question": case.question, "reply": case.reply, "expected": case.expect, "got": got})
    uncertain = sum(1 for c in chosen if c.expect == "ask_back")
    return SplitScore(split, len(chosen), len(chosen) - len(misses), uncertain, confirmed, misses)


def _same(got: Any, expected: Any) -> bool:
    if isinstance(expected, int | float) and isinstance(got, int | float) and not isinstance(got, bool):
        return abs(got - expected) < 1e-6
    return bool(got == expected)


def main(argv: list[str] | None = None) -> int:
    """Print accuracy and confirmed share per split (and, with --misses, every wrong reading)."""
    parser = argparse.ArgumentParser(prog="python -m evals.replies", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, action="append", help="only this split (repeatable)")
    parser.add_argument("--misses", action="store_true", help="list every wrong reading")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    questionnaire, cases = load_questionnaire(), load_cases()
    scores = [score_split(questionnaire, cases, s) for s in args.split or SPLITS]
    if args.json:
        print(json.dumps([_as_dict(s) for s in scores], indent=2))
        return 0
    for s in scores:
        print(
            f"{s.split}: accuracy {s.accuracy:.1%} ({s.correct}/{s.cases}); uncertain replies asked back "
            f"{s.confirmed_share:.0%} ({s.confirmed}/{s.uncertain})"
        )
        for miss in s.misses if args.misses else []:
            print(f"  {miss['question']}: {miss['reply']!r} expected {miss['expected']!r}, got {miss['got']!r}")
    return 0


def _as_dict(score: SplitScore) -> dict[str, Any]:
    return {
        "split": score.split,
        "cases": score.cases,
        "accuracy": round(score.accuracy, 4),
        "uncertain": score.uncertain,
        "confirmed": round(score.confirmed_share, 4),
        "misses": score.misses,
    }


if __name__ == "__main__":
    sys.exit(main())
