"""How much of an answer's quality is composition: the same sources, composed by another writer, graded blind.

    python -m evals.composition sources test -o DIR           # DIR/compose-in.jsonl, DIR/extractive.jsonl
    python -m evals.composition replay DIR/composed.jsonl test -o DIR/replayed.jsonl
    python -m evals.composition mix DIR ext=extractive.jsonl comp=composed.jsonl --graders 2
    python -m evals.composition unmix DIR

`sources` writes, per answerable question, the sections the generative backend would give an LLM
(`Responder.llm_sources`: the extractive answer's sections, then the next retrieved ones, whole) and the
extractive answer as a grading-packet row. A writer who sees only those inputs (`evals/grades/COMPOSE.md`)
composes an answer from them. `replay` puts those answers through the product's generative pipeline, as if a
chat model had written them: each sentence is checked against its sources, unsupported ones are dropped,
citations renumbered, and the extractive answer is kept when too little survives. `mix` interleaves answers to
the same questions into anonymous packets, every answer to one question going to the same grader, so that a
blind grader grades them side by side without knowing which is which; `unmix` reads the grades back per arm.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from evals.grading import read_jsonl, summary

_QUESTION = re.compile(r"<question>\n(.*)\n</question>", re.DOTALL)


class ReplayChatModel(BaseChatModel):
    """A chat model whose answers were written elsewhere: it returns the text kept for the prompt's question."""

    answers: dict[str, str]

    @property
    def _llm_type(self) -> str:
        return "replay"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **_: Any) -> ChatResult:
        found = _QUESTION.search(str(messages[-1].content))
        text = self.answers.get(found.group(1).strip() if found else "", "")
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def questions(source: str) -> list[tuple[str, str]]:
    """(id, question) of the answerable single-turn cases of a split name or a pool file."""
    from evals.dataset import SPLITS, load_cases

    if source in SPLITS:
        return [(c.id, c.question) for c in load_cases(SPLITS[source]) if c.kind == "answer" and not c.history]
    cases = yaml.safe_load(Path(source).read_text(encoding="utf-8"))["cases"]
    return [(c["id"], c["question"]) for c in cases if c.get("kind", "answer") == "answer"]


def packet_row(case_id: str, question: str, answer: Any, sections: Any) -> dict[str, Any]:
    """A grading-packet row: the question, the answer and the whole sections it cites."""
    cited = []
    for c in answer.citations:
        hit = sections.hit(c.source, c.section)
        cited.append({"n": c.n, "source": c.source, "section": c.section, "text": hit.text if hit else None})
    return {
        "id": case_id,
        "question": question,
        "history": [],
        "answer": answer.text,
        "declined": answer.refused,
        "passages": cited,
    }


def sources(advisor: Any, cases: list[tuple[str, str]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Per question: the composer's input (the LLM's sources) and the extractive answer's packet row."""
    responder = advisor.responder
    for case_id, question in cases:
        answer = advisor.ask(question)
        given = [] if answer.refused else responder.llm_sources(question, answer)
        passages = [{"n": n, "source": h.source, "section": h.section, "text": h.text} for n, h in enumerate(given, 1)]
        yield (
            {"id": case_id, "question": question, "passages": passages},
            packet_row(case_id, question, answer, advisor.sections),
        )


def replay(advisor: Any, cases: list[tuple[str, str]], composed: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Packet rows of the generative pipeline fed the composed answers; ``fell_back`` and dropped sentences kept."""
    from advisor.answering.generative import GenerativeAnswerer, _defang
    from advisor.answering.support import SupportChecker

    questions_ = dict(cases)
    model = ReplayChatModel(answers={_defang(questions_[i]): text for i, text in composed.items() if i in questions_})
    advisor.__dict__["generator"] = GenerativeAnswerer(
        model, SupportChecker(advisor.embeddings), advisor.extractive.answer, backend_name="replay"
    )
    for case_id, question in cases:
        if case_id not in composed:
            continue
        answer = advisor.ask(question)
        row = packet_row(case_id, question, answer, advisor.sections)
        yield {**row, "fell_back": answer.fell_back, "dropped": answer.dropped_sentences}


def mix(folder: Path, arms: dict[str, str], graders: int, seed: int = 8) -> list[int]:
    """Anonymous, shuffled packets mixing every arm's answer to each question; the key goes to map.json."""
    inputs = {r["id"]: r for r in read_jsonl(folder / "compose-in.jsonl")}
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for arm, name in arms.items():
        for r in read_jsonl(folder / name):
            if "passages" not in r:  # a writer's answer: its cited inputs become the passages
                given = inputs[r["id"]]
                cited = set(r.get("cited") or [])
                r = {
                    "id": r["id"],
                    "question": given["question"],
                    "history": [],
                    "answer": r["answer"],
                    "declined": False,
                    "passages": [p for p in given["passages"] if p["n"] in cited],
                }
            rows.setdefault(r["id"], {})[arm] = {
                k: r[k] for k in ("question", "history", "answer", "declined", "passages")
            }
    ids = sorted(i for i in rows if len(rows[i]) == len(arms))
    rnd = random.Random(seed)
    rnd.shuffle(ids)
    key: dict[str, list[str]] = {}
    packets: list[list[dict[str, Any]]] = [[] for _ in range(graders)]
    for i, case_id in enumerate(ids):
        for arm, row in rows[case_id].items():
            anonymous = f"g{len(key) + 1:03d}"
            key[anonymous] = [case_id, arm]
            packets[i % graders].append({"id": anonymous, **row})
    for g, packet in enumerate(packets):
        rnd.shuffle(packet)
        _write(folder / f"mix-{g}.jsonl", packet)
    (folder / "map.json").write_text(json.dumps(key, indent=0), encoding="utf-8")
    return [len(p) for p in packets]


def unmix(folder: Path) -> dict[str, Any]:
    """Each arm's grade summary, and per pair of arms how many questions one graded above the other."""
    key = json.loads((folder / "map.json").read_text(encoding="utf-8"))
    grades: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted(folder.glob("mix-*-grades.jsonl")):
        for g in read_jsonl(path):
            case_id, arm = key[g["id"]]
            grades.setdefault(arm, {})[case_id] = g
    result: dict[str, Any] = {arm: summary(list(g.values())) for arm, g in grades.items()}
    arms = sorted(grades)
    for i, a in enumerate(arms):
        for b in arms[i + 1 :]:
            both = set(grades[a]) & set(grades[b])
            above = sum(grades[a][c]["grade"] > grades[b][c]["grade"] for c in both)
            below = sum(grades[a][c]["grade"] < grades[b][c]["grade"] for c in both)
            result[f"{a} vs {b}"] = {"above": above, "below": below, "same": len(both) - above - below}
    return result


def _write(path: Path, rows: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _advisor() -> Any:
    """The advisor the evals use (their index under evals/out/index), the extractive backend configured."""
    from advisor.embeddings import load_embeddings
    from advisor.index import KnowledgeIndex
    from advisor.service import Advisor
    from evals.runner import RunConfig, _settings

    settings = _settings(RunConfig(out=Path("/tmp") / "evals-composition"))
    embeddings = load_embeddings(settings)
    advisor = Advisor(settings, embeddings, KnowledgeIndex(settings, embeddings))
    advisor.ingest(progress=False)
    return advisor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.composition", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sources", help="what an LLM would be given, and the extractive answers")
    p.add_argument("cases", help="a split name (dev, test) or a pool's questions.yaml")
    p.add_argument("-o", "--out", type=Path, required=True)
    p = sub.add_parser("replay", help="put composed answers through the generative pipeline")
    p.add_argument("composed", type=Path)
    p.add_argument("cases")
    p.add_argument("-o", "--out", type=Path, required=True)
    p = sub.add_parser("mix", help="paired anonymous grading packets")
    p.add_argument("folder", type=Path)
    p.add_argument("arms", nargs="+", help="ARM=FILE inside the folder")
    p.add_argument("--graders", type=int, default=2)
    p = sub.add_parser("unmix", help="grades per arm, and paired comparisons")
    p.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "sources":
        given, extracted = zip(*sources(_advisor(), questions(args.cases)), strict=True)
        _write(args.out / "compose-in.jsonl", given)
        _write(args.out / "extractive.jsonl", extracted)
        print(f"{len(given)} questions -> {args.out}")
    elif args.command == "replay":
        composed = {r["id"]: r["answer"] for r in read_jsonl(args.composed)}
        rows = list(replay(_advisor(), questions(args.cases), composed))
        _write(args.out, rows)
        dropped = sum(len(r["dropped"]) for r in rows)
        print(f"{len(rows)} answers, {sum(r['fell_back'] for r in rows)} fell back, {dropped} sentences dropped")
    elif args.command == "mix":
        arms = dict(a.split("=", 1) for a in args.arms)
        print("rows per grader:", mix(args.folder, arms, args.graders))
    else:
        print(json.dumps(unmix(args.folder), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
