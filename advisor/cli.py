"""The `advisor` command line: ask, chat, search, ingest, and the sub-commands other modules register."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from advisor.answer import Answer, Event, Final
from advisor.answering.responder import InvalidQuestion
from advisor.service import Advisor
from advisor.settings import SettingsError

Command = Callable[[argparse.Namespace, Advisor], int]
# Modules that add their own sub-commands with `add_parsers(subparsers)`.
COMMAND_MODULES = ("advisor.readiness.commands", "advisor.api.commands")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="advisor", description="BPO Advisor: grounded outsourcing advice.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer one question, with sources")
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.set_defaults(func=_ask)

    chat = sub.add_parser("chat", help="talk with the advisor in the terminal")
    chat.set_defaults(func=_chat)

    search = sub.add_parser("search", help="show the passages that match a query")
    search.add_argument("query", help="what to look for")
    search.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    search.add_argument("--topic", help="only passages of this knowledge topic")
    search.add_argument("--json", action="store_true", help="print the passages as JSON")
    search.set_defaults(func=_search)

    ingest = sub.add_parser("ingest", help="index the knowledge dir (or the given files)")
    ingest.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the knowledge dir)")
    ingest.add_argument("--json", action="store_true", help="print the counts and errors as JSON")
    ingest.set_defaults(func=_ingest)

    for name in COMMAND_MODULES:
        try:
            importlib.import_module(name).add_parsers(sub)
        except ModuleNotFoundError as exc:
            if not exc.name or not name.startswith(exc.name):
                raise
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for bad input or settings)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        advisor = Advisor.from_settings()
        return int(args.func(args, advisor))
    except (SettingsError, InvalidQuestion) as exc:
        print(f"error: {exc}", file=sys.stderr)
        if getattr(args, "json", False):  # a script reading stdout gets the error as JSON too
            print(json.dumps({"error": {"message": str(exc)}}, indent=2))
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def answer_json(answer: Answer) -> dict[str, object]:
    """The JSON shape of `advisor ask --json`."""
    return {
        "answer": answer.text,
        "refused": answer.refused,
        "citations": [
            c.model_dump(include={"source", "title", "section", "snippet", "score"}) for c in answer.citations
        ],
    }


def format_answer(answer: Answer) -> str:
    """An answer with its numbered sources, for the terminal."""
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        lines.extend(f"[{c.n}] {c.title} — {c.section} ({c.source})" for c in answer.citations)
    return "\n".join(lines)


def _ask(args: argparse.Namespace, advisor: Advisor) -> int:
    if args.json:
        print(json.dumps(answer_json(advisor.ask(args.question)), indent=2))
    else:
        _print_streamed(advisor.stream(args.question))
    return 0


def _print_streamed(events: Iterator[Event], prefix: str = "") -> Answer:
    """Print text as it streams, then the sources; returns the final answer."""
    print(prefix, end="", flush=True)
    shown = ""
    for event in events:
        if isinstance(event, Final):
            piece = event.answer
            if piece.text != shown:  # the answer fell back: show what it finally says
                print(
                    ("\n" if shown else "") + piece.text[len(shown) :]
                    if piece.text.startswith(shown)
                    else f"\n(replaced by a grounded answer)\n{piece.text}",
                    end="",
                )
            print("\n" + format_answer(piece.model_copy(update={"text": ""})).strip())
            return piece
        print(event.text, end="", flush=True)
        shown += event.text
    raise RuntimeError("the answer stream ended without an answer")


def _chat(args: argparse.Namespace, advisor: Advisor) -> int:
    print("BPO Advisor. Ask about outsourcing; an empty line or Ctrl-D ends the chat.")
    history: list[tuple[str, str]] = []
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            answer = _print_streamed(advisor.stream(question, history), prefix="advisor> ")
        except InvalidQuestion as exc:
            print(f"{exc}")
            continue
        history += [("user", question), ("assistant", answer.text)]
    return 0


def _search(args: argparse.Namespace, advisor: Advisor) -> int:
    hits = advisor.search(args.query, k=args.k, topic=args.topic)
    if args.json:
        print(json.dumps([h.model_dump() for h in hits], indent=2))
        return 0
    for rank, hit in enumerate(hits, 1):
        print(f"{rank}. {hit.title} — {hit.section} ({hit.source}, score {hit.score:.3f})")
        print(f"   {' '.join(hit.text.split())[:240]}")
    return 0


def _ingest(args: argparse.Namespace, advisor: Advisor) -> int:
    report = advisor.ingest(args.paths, progress=None if not args.json else False)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(
            f"added {report.added}, updated {report.updated}, skipped {report.skipped}, "
            f"deleted {report.deleted}, errors {len(report.errors)}, planted instructions {len(report.warnings)}"
        )
        for error in report.errors:
            print(f"error: {error.path}: {error.reason}", file=sys.stderr)
        for warning in report.warnings:
            where = f"{warning.path}:{warning.line}"
            print(f"warning: {where}: left out, {warning.reason}: {warning.text}", file=sys.stderr)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
