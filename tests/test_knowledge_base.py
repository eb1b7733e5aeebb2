"""The real knowledge base: complete, well-formed, original, and it ingests cleanly."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from advisor.knowledge import TOPICS, parse_file
from advisor.service import Advisor
from advisor.settings import load_settings

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FILES = sorted(KNOWLEDGE.glob("*.md"))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%]+", text.lower())


def test_the_base_has_at_least_30_files_and_12000_words() -> None:
    assert len(FILES) >= 30
    assert sum(len(p.read_text().split()) for p in FILES) >= 12_000


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_has_front_matter_a_known_topic_and_two_sections(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    parsed = parse_file(path)
    assert parsed.title and parsed.summary and parsed.tags
    assert parsed.topic in TOPICS
    assert len([s for s in parsed.sections if s.path != "Overview"]) >= 2


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_cross_references_point_to_existing_files(path: Path) -> None:
    for target in re.findall(r"see:\s*([^\n]+)", path.read_text(), flags=re.I):
        for name in re.findall(r"[\w-]+\.md", target):
            assert (KNOWLEDGE / name).is_file(), f"{path.name} points to missing {name}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles live in ../shared/seeds beside the repo")
def test_no_file_repeats_an_eight_word_run_of_the_seed_articles() -> None:
    seeds: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        w = words(seed.read_text(errors="ignore"))
        seeds.update(tuple(w[i : i + 8]) for i in range(len(w) - 7))
    copied = [
        f"{p.name}: {' '.join(w[i : i + 8])}"
        for p in FILES
        for w in [words(p.read_text())]
        for i in range(len(w) - 7)
        if tuple(w[i : i + 8]) in seeds
    ]
    assert copied == []


def test_the_real_knowledge_base_ingests_without_errors_and_reingests_as_a_no_op(
    tmp_path: Path, make_advisor: Callable[..., Advisor]
) -> None:
    advisor = make_advisor(load_settings(knowledge_dir=KNOWLEDGE, data_dir=tmp_path / "data"))
    report = advisor.ingest()
    assert report.errors == []
    assert advisor.index.sources() == {p.name for p in FILES}
    assert set(advisor.topics()) <= set(TOPICS)
    # Many chunks span several write batches; a second run must still change nothing.
    again = advisor.ingest()
    assert (again.added, again.deleted, again.skipped) == (0, 0, report.added)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_records_the_public_sources_its_claims_were_checked_against(path: Path) -> None:
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    sources = meta.get("checked_against") or []
    assert sources and all(str(s).startswith("http") for s in sources)
