"""Risk evidence for this client: the situation from the answers, searches built from it, quoted passages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from readiness_support import QUESTIONNAIRE, make_service, profile

from advisor.readiness.evidence import Situation, client_query, quote, situation
from advisor.readiness.results import Risk
from advisor.readiness.service import AssessmentService

SECURITY = "data_security"


@pytest.fixture
def service(tmp_path: Path) -> AssessmentService:
    return make_service(tmp_path)


def _client(industry: str, regulations: list[str], motivation: str) -> dict[str, Any]:
    return {
        **profile("unprepared")["answers"],
        "ctx_industry": industry,
        "ctx_data_sensitivity": "regulated",
        "ctx_regulations": regulations,
        "ctx_motivation": motivation,
        "sec_transfers": "no",
    }


def _security_risk(service: AssessmentService, name: str, answers: dict[str, Any]) -> Risk:
    risks = service.import_answers(name, answers).recommendations.risks
    return next(r for r in risks if r.dimension == "security")


def test_the_situation_reads_industry_size_functions_regulations_and_motivation() -> None:
    bank = situation(QUESTIONNAIRE, profile("regional_bank_works_council")["answers"])
    text = bank.describe()
    assert text.startswith("a banking and financial services company of 2,000 people")
    assert "outsourcing customer service, data management and IT services" in text
    assert "under GDPR" in text and "because \u201cRising cost" in text


def test_vague_answers_add_nothing_to_the_situation() -> None:
    vague = situation(QUESTIONNAIRE, {"ctx_industry": "other", "ctx_regulations": ["other"]})
    assert vague == Situation() and vague.describe() == "a company" and client_query("risk", vague) == "risk"


def test_the_query_adds_the_clients_industry_regulations_functions_and_motivation() -> None:
    where = Situation(industry="Retail", regulations=["PCI DSS"], functions=["Order processing"], motivation="Peak")
    assert client_query("data security risk", where) == "data security risk Retail PCI DSS Order processing Peak"


def test_the_quote_is_the_sentence_closest_to_the_query_cut_at_a_word() -> None:
    text = "asked: Is card data safe?\n- Vendors vary.\n- **Card data** under PCI DSS stays in a safe place. More."
    assert quote(text, "PCI DSS card data") == "Card data under PCI DSS stays in a safe place."
    assert (
        quote("word " * 200, "word", limit=30).endswith("\u2026") and len(quote("word " * 200, "word", limit=30)) <= 30
    )


def test_the_same_risk_is_evidenced_differently_for_a_shop_and_a_bank(service: AssessmentService) -> None:
    shop = _security_risk(service, "Shop", _client("retail_ecommerce", ["pci_dss"], "Card fraud at peak season"))
    bank = _security_risk(service, "Bank", _client("financial_services", ["sox"], "The supervisor asked"))
    assert shop.title == bank.title and shop.why == bank.why
    assert shop.citations[0].section == "Card payments and PCI DSS" and "PCI DSS" in shop.citations[0].quote
    assert bank.citations[0].section == "Data security in banking and financial services"
    assert "supervisor" in bank.citations[0].quote
    assert "retail and e-commerce company" in shop.situation and "PCI DSS" in shop.query
    assert "banking and financial services company" in bank.situation and "SOX" in bank.query


def test_the_report_explains_each_risk_for_the_client_and_quotes_its_evidence(service: AssessmentService) -> None:
    answers = _client("retail_ecommerce", ["pci_dss"], "Card fraud at peak season")
    aid = service.import_answers("Shop", answers).assessment.id
    text = service.report(aid, "md", chart_href="radar.png").decode("utf-8")
    security = text.split("### Data security")[1].split("###")[0]
    assert "**For this client,** a retail and e-commerce company of 120 people" in security
    assert "**Evidence,** what the knowledge base says for this situation:" in security
    assert "\u201cFor retail and e-commerce merchants the data security risk is card data" in security
    assert "(Data security and compliance: Card payments and PCI DSS, data-security-and-compliance.md)" in security
