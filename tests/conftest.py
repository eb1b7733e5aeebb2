"""Shared fixtures: the real embedding model (once per session), a small knowledge base and a real index."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"

from langchain_core.embeddings import Embeddings

from advisor.embeddings import load_embeddings
from advisor.index import KnowledgeIndex
from advisor.service import Advisor
from advisor.settings import Settings, load_settings

SAMPLE_KB = {
    "nearshore.md": """---
title: Nearshore outsourcing
topic: location-models
tags: [nearshore, location]
summary: What nearshore outsourcing is, its benefits and downsides.
---
## What is nearshore outsourcing?
Nearshore outsourcing moves work to a provider in a neighbouring country. Canada and Mexico are the usual
nearshore destinations for companies based in the United States.

## Benefits of nearshore outsourcing
Nearshore outsourcing keeps working hours within one or two time zones of the client. Nearshore teams share
much of the client's culture, which makes customer conversations feel natural.

## Downsides of nearshore outsourcing
Nearshore outsourcing costs more than offshore outsourcing because wages in neighbouring countries are higher.
Nearshore talent pools are smaller, so large programmes can struggle to hire quickly.
""",
    "offshore.md": """---
title: Offshore outsourcing
topic: location-models
tags: [offshore, location]
summary: Offshore outsourcing to distant, lower-cost countries.
---
## What is offshore outsourcing?
Offshore outsourcing sends work to a provider in a distant country with lower labour costs.

## Which countries are popular for offshore outsourcing?
India and the Philippines are the largest offshore outsourcing destinations. Vietnam and South Africa are
growing offshore destinations for voice and back-office work.

## Benefits of offshore outsourcing
Offshore outsourcing gives the lowest labour cost of any location model. Offshore teams in distant time zones
allow round-the-clock coverage through follow-the-sun shifts.
""",
    "benefits.md": """---
title: Benefits of outsourcing
topic: benefits-and-risks
tags: [benefits, savings]
summary: Why companies outsource business processes.
---
## How much can outsourcing save?
Business process outsourcing typically cuts the cost of a process by 20% to 60%. The saving comes from lower
wages, economies of scale and shared technology.

## Focus on core activities
Outsourcing routine processes frees managers to spend their time on the activities that differentiate
the company.
""",
    "contracts.md": """---
title: Outsourcing contracts
topic: contracts
tags: [contract, sla]
summary: What an outsourcing contract must contain.
---
## What should an outsourcing contract include?
An outsourcing contract defines the scope of services, the service levels and the price. A good contract
also covers data protection, intellectual property, dispute resolution and exit assistance.

## What is a service level agreement?
A service level agreement sets measurable targets, such as answering 80% of calls within 20 seconds, and
the service credits owed when the provider misses them.
""",
}


@pytest.fixture(scope="session")
def embeddings() -> Embeddings:
    """The real bundled embedding model, loaded once."""
    return load_embeddings(Settings())


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A small knowledge base written for the test."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name, text in SAMPLE_KB.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def settings(tmp_path: Path, knowledge_dir: Path) -> Settings:
    """Settings pointing at the temporary knowledge base and a temporary data dir."""
    return load_settings(knowledge_dir=knowledge_dir, data_dir=tmp_path / "data")


@pytest.fixture
def make_advisor(embeddings: Embeddings) -> Callable[[Settings], Advisor]:
    """Build an advisor on the real embedding model for the given settings."""

    def build(settings: Settings) -> Advisor:
        return Advisor(settings, embeddings, KnowledgeIndex(settings, embeddings))

    return build


@pytest.fixture
def advisor_on(tmp_path: Path, make_advisor: Callable[[Settings], Advisor]) -> Callable[[dict[str, str]], Advisor]:
    """Build and ingest an advisor on a knowledge base of the given files (name -> Markdown)."""

    def build(files: dict[str, str]) -> Advisor:
        folder = tmp_path / "kb"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        advisor = make_advisor(load_settings(knowledge_dir=folder, data_dir=tmp_path / "kb-data"))
        advisor.ingest()
        return advisor

    return build


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory: pytest.TempPathFactory, embeddings: Embeddings) -> Path:
    """A data dir holding the sample knowledge base's index, built once and copied into each test."""
    root = tmp_path_factory.mktemp("template")
    folder = root / "knowledge"
    folder.mkdir()
    for name, text in SAMPLE_KB.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = load_settings(knowledge_dir=folder, data_dir=root / "data")
    report = KnowledgeIndex(settings, embeddings).ingest()
    assert not report.errors
    return root / "data"


@pytest.fixture
def advisor(settings: Settings, make_advisor: Callable[[Settings], Advisor], indexed_template: Path) -> Advisor:
    """An advisor over the ingested temporary knowledge base (a real Chroma copied into tmp_path)."""
    shutil.copytree(indexed_template, settings.data_dir, dirs_exist_ok=True)
    return make_advisor(settings)


# API (tests/test_api_*.py) ---------------------------------------------------------------------


@pytest.fixture
def make_client(advisor: Advisor) -> Callable[..., object]:
    """Build a TestClient over the API app of `advisor`; keyword arguments override settings."""
    from fastapi.testclient import TestClient

    from advisor.api import create_app

    def build(raise_server_exceptions: bool = True, **overrides: object) -> TestClient:
        settings = advisor.settings.model_copy(update=overrides)
        return TestClient(create_app(advisor, settings), raise_server_exceptions=raise_server_exceptions)

    return build


@pytest.fixture
def client(make_client: Callable[..., object]) -> object:
    """A TestClient over the API (no keys, default limits)."""
    return make_client()


@pytest.fixture
def read_sse() -> Callable[[str], list[tuple[str | None, str]]]:
    """Parse a Server-Sent Events body into (event name or None, data) pairs, in order."""

    def parse(body: str) -> list[tuple[str | None, str]]:
        events = []
        for block in body.replace("\r\n", "\n").split("\n\n"):
            if not block.strip():
                continue
            fields = [line.split(": ", 1) for line in block.split("\n") if ": " in line]
            event = next((value for name, value in fields if name == "event"), None)
            events.append((event, "\n".join(value for name, value in fields if name == "data")))
        return events

    return parse
