"""Helpers for the readiness tests: a small knowledge base on disk, a service on a real SQLite file, profiles."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from advisor.db import make_engine
from advisor.readiness.citations import FolderSearcher
from advisor.readiness.questionnaire import load_questionnaire
from advisor.readiness.rules import load_rules
from advisor.readiness.service import AssessmentService

QUESTIONNAIRE = load_questionnaire()
RULES = load_rules(QUESTIONNAIRE)
PROFILES = Path(__file__).parent.parent / "advisor" / "readiness" / "profiles"

KNOWLEDGE = {
    "data-security-and-compliance.md": (
        "Data security and compliance",
        {
            "How to mitigate data security risk in outsourcing": "Require ISO 27001 and audit rights.",
            "Card payments and PCI DSS": (
                "Keep card data in scope. For retail and e-commerce merchants the data security risk is card data: "
                "under PCI DSS it stays in a certified environment, tokenised before a vendor sees an order."
            ),
            "Data security in banking and financial services": (
                "Banks name the regulator. A bank's data security risk is regulated: it must notify its supervisor "
                "before outsourcing a critical function and hold the vendor to financial regulation."
            ),
        },
    ),
    "offshore-outsourcing.md": (
        "Offshore outsourcing",
        {"Benefits of offshore outsourcing": "Offshore gives the lowest cost.", "When offshore fits": "Cost."},
    ),
    "onshore-outsourcing.md": ("Onshore outsourcing", {"When onshore outsourcing fits": "Regulated data."}),
    "building-the-business-case.md": (
        "Building the business case",
        {"Baseline cost and hidden costs": "Count governance costs.", "Payback period": "Months."},
    ),
    "governance-and-relationship-management.md": (
        "Governance",
        {"Governance model and quarterly business reviews": "Weekly, monthly, quarterly reviews."},
    ),
    "when-not-to-outsource.md": (
        "When not to outsource",
        {"Undocumented or unstable processes": "Do not outsource a mess; document processes first."},
    ),
    "change-management-and-morale.md": (
        "Change management and morale",
        {"Protecting employee morale during an outsourcing transition": "Tell employees early."},
    ),
    "slas-and-kpis.md": ("SLAs and KPIs", {"Writing service level agreements with a baseline": "Targets."}),
    "pricing-models.md": (
        "Pricing models",
        {"Pricing on volumes and a clear scope of work": "Vendors price on volumes."},
    ),
    "trends-automation-ai-cloud.md": (
        "Automation, AI and cloud",
        {"Automation and cloud integration before outsourcing": "Automate first."},
    ),
}


def write_knowledge(folder: Path) -> Path:
    """Write a few real Markdown knowledge files and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, sections) in KNOWLEDGE.items():
        body = "\n\n".join(f"## {heading}\n{text}" for heading, text in sections.items())
        (folder / name).write_text(f"---\ntitle: {title}\ntopic: reference\n---\n{body}\n", encoding="utf-8")
    return folder


def make_service(tmp_path: Path, db_name: str = "advisor.db") -> AssessmentService:
    """A service on a SQLite file in ``tmp_path``, citing a small knowledge base written there."""
    knowledge = write_knowledge(tmp_path / "knowledge")
    engine = make_engine(f"sqlite:///{tmp_path / db_name}")
    return AssessmentService(engine, QUESTIONNAIRE, RULES, FolderSearcher(knowledge), knowledge_dir=knowledge)


def profile(name: str) -> dict[str, Any]:
    """A stored profile answer set (client, answers)."""
    data: dict[str, Any] = json.loads((PROFILES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def run_command(service: AssessmentService, *argv: str) -> int:
    """Run one readiness sub-command (as `advisor ARGV...`) against ``service``; returns its exit code."""
    from advisor.readiness.commands import add_parsers

    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args, SimpleNamespace(assessments=service)))
