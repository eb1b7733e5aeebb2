"""The eval dataset: versioned YAML files of cases under `evals/data/cases/`, loaded into `Case` objects."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
CASES_DIR = DATA_DIR / "cases"
# The case sets: our own cases, and questions written by outsiders, split once into dev (tune on it) and
# test (never tuned on, never read while changing the system), and a fresh set gathered later from other pages
# to check that what was tuned on dev carries over before the test split is run.
SPLITS = {
    "core": CASES_DIR,
    "dev": DATA_DIR / "outsider" / "dev",
    "test": DATA_DIR / "outsider" / "test",
    "fresh": DATA_DIR / "outsider" / "fresh",
}
Kind = Literal["answer", "decline", "smalltalk", "readiness"]
KINDS: tuple[Kind, ...] = ("answer", "decline", "smalltalk", "readiness")
_FIELDS = {"id", "question", "history", "sources", "facts", "tags", "intent", "profile", "band", "location", "url"}


class DatasetError(ValueError):
    """A case file that cannot be read; the message names the file and the case."""


@dataclass(frozen=True)
class Case:
    """One eval case; `facts` is a list of alternatives per fact (any one alternative counts)."""

    id: str
    kind: Kind
    question: str = ""
    history: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    tags: tuple[str, ...] = ()
    intent: str | None = None
    profile: str | None = None
    band: str | None = None
    location: str | None = None
    file: str = field(default="", compare=False)

    @property
    def labels(self) -> set[str]:
        """The kind, the tags and the file stem: what `--subset` can select on."""
        return {self.kind, *self.tags, Path(self.file).stem}


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    """Every case in every YAML file of the folder, in file order; ids must be unique."""
    cases: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        cases.extend(_read_file(path))
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise DatasetError(f"{case.file}: duplicate case id {case.id!r}")
        seen.add(case.id)
    return cases


def select(cases: Sequence[Case], subset: Iterable[str] = (), limit: int | None = None) -> list[Case]:
    """Cases carrying any of the subset labels (kind, tag, file stem or id), at most `limit` per kind."""
    wanted = set(subset)
    chosen = [c for c in cases if not wanted or wanted & (c.labels | {c.id})]
    if limit is None:
        return chosen
    counts: dict[str, int] = {}
    kept = []
    for case in chosen:
        counts[case.kind] = counts.get(case.kind, 0) + 1
        if counts[case.kind] <= limit:
            kept.append(case)
    return kept


def dataset_version(folder: Path = CASES_DIR) -> str:
    """The versions of the case files, e.g. `answers@1 declines@1`."""
    parts = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        parts.append(f"{path.stem}@{data.get('version', '?')}")
    return " ".join(parts)


def _read_file(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    kind = data.get("kind")
    if kind not in KINDS:
        raise DatasetError(f"{path.name}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return [_case(raw, kind, path.name) for raw in data.get("cases") or []]


def _case(raw: dict[str, Any], kind: Kind, file: str) -> Case:
    unknown = set(raw) - _FIELDS
    if unknown or "id" not in raw:
        raise DatasetError(f"{file}: case {raw.get('id')!r} has unknown fields {sorted(unknown)} or no id")
    if kind != "readiness" and not raw.get("question"):
        raise DatasetError(f"{file}: case {raw['id']!r} has no question")
    tags = tuple(str(t) for t in raw.get("tags") or ())
    if "should-decline" in tags:
        kind = "decline"  # an outsider's question that turned out to need a decline, kept where it was filed
    return Case(
        id=str(raw["id"]),
        kind=kind,
        question=str(raw.get("question", "")),
        history=tuple(str(t) for t in raw.get("history") or ()),
        sources=tuple(str(s) for s in raw.get("sources") or ()),
        facts=tuple(_alternatives(f) for f in raw.get("facts") or ()),
        tags=tags,
        intent=raw.get("intent"),
        profile=raw.get("profile"),
        band=raw.get("band"),
        location=raw.get("location"),
        file=file,
    )


def _alternatives(fact: object) -> tuple[str, ...]:
    return tuple(str(f) for f in fact) if isinstance(fact, list) else (str(fact),)
