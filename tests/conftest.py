"""Shared fixtures: the real embedding model (once per session), a small knowledge base and a real index."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"

from advisor.embeddings import SentenceTransformerEmbeddings
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
def embeddings() -> SentenceTransformerEmbeddings:
    """The real bundled embedding model, loaded once."""
    settings = Settings()
    return SentenceTransformerEmbeddings(settings.resolved_embedding_model)


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
def make_advisor(embeddings: SentenceTransformerEmbeddings) -> Callable[[Settings], Advisor]:
    """Build an advisor on the real embedding model for the given settings."""

    def build(settings: Settings) -> Advisor:
        return Advisor(settings, embeddings, KnowledgeIndex(settings, embeddings))

    return build


@pytest.fixture
def advisor(settings: Settings, make_advisor: Callable[[Settings], Advisor]) -> Advisor:
    """An advisor over the ingested temporary knowledge base (real Chroma in tmp_path)."""
    built = make_advisor(settings)
    report = built.ingest()
    assert not report.errors
    return built


# API (tests/test_api_*.py) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def indexed_kb(
    tmp_path_factory: pytest.TempPathFactory, embeddings: SentenceTransformerEmbeddings
) -> tuple[Settings, KnowledgeIndex]:
    """The sample knowledge base ingested once per module into a real Chroma (its tests share the index)."""
    root = tmp_path_factory.mktemp("kb")
    (root / "knowledge").mkdir()
    for name, text in SAMPLE_KB.items():
        (root / "knowledge" / name).write_text(text, encoding="utf-8")
    settings = load_settings(knowledge_dir=root / "knowledge", data_dir=root / "data")
    index = KnowledgeIndex(settings, embeddings)
    assert not Advisor(settings, embeddings, index).ingest().errors
    return settings, index


@pytest.fixture
def api_advisor(
    indexed_kb: tuple[Settings, KnowledgeIndex], embeddings: SentenceTransformerEmbeddings, tmp_path: Path
) -> Advisor:
    """An advisor over the module's shared index, with a database of its own (keys, conversations...)."""
    settings, index = indexed_kb
    own = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'advisor.db'}"})
    return Advisor(own, embeddings, index)


@pytest.fixture
def make_client(api_advisor: Advisor) -> Callable[..., object]:
    """Build a TestClient over the API app of `api_advisor`; keyword arguments override settings."""
    from fastapi.testclient import TestClient

    from advisor.api import create_app

    def build(raise_server_exceptions: bool = True, **overrides: object) -> TestClient:
        settings = api_advisor.settings.model_copy(update=overrides)
        return TestClient(create_app(api_advisor, settings), raise_server_exceptions=raise_server_exceptions)

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
