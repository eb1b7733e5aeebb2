"""The three client profiles of issue 12 (a founder-run startup, a regulated bank with a works council, a
manufacturer outsourcing accounts payable) get advice a consultant would sign, checked on the report content."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from readiness_support import make_service, profile

from advisor.readiness.results import Result
from advisor.readiness.service import AssessmentService

BANK, STARTUP, MANUFACTURER = (
    "regional_bank_works_council",
    "startup_founder_ecommerce",
    "manufacturer_accounts_payable",
)


@pytest.fixture
def service(tmp_path: Path) -> AssessmentService:
    return make_service(tmp_path)


def _run(service: AssessmentService, name: str, **changes: object) -> Result:
    data = profile(name)
    return service.import_answers(data["client"], {**data["answers"], **changes}, interviewer=data["interviewer"])


def _advice(result: Result) -> str:
    """Every action the client is told to take: roadmap steps and risk mitigations."""
    recs = result.recommendations
    steps = [a for phase in recs.roadmap for a in phase.actions] + [m for r in recs.risks for m in r.mitigations]
    return "\n".join(steps)


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages)


# --- The regional bank ------------------------------------------------------------------------------------


def test_bank_scoring_ready_on_average_is_capped_at_emerging_by_its_people_knock_out(
    service: AssessmentService,
) -> None:
    scores = _run(service, BANK).scores
    people = next(d for d in scores.dimensions if d.id == "people")
    assert people.score == 26.2 and scores.overall is not None and scores.overall >= 80
    assert (scores.score_band, scores.band, scores.band_label) == ("ready", "emerging", "Emerging")
    assert [k.id for k in scores.knockouts] == ["floor_people"]
    assert "26/100" in scores.knockouts[0].reason and scores.knockouts[0].cap_label == "Emerging"


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_bank_report_says_which_knock_out_capped_the_band_and_why(service: AssessmentService, fmt: str) -> None:
    aid = _run(service, BANK).assessment.id
    content = service.report(aid, fmt)
    text = _pdf_text(content) if fmt == "pdf" else content.decode("utf-8")
    assert "People and change management below the floor (band capped at Emerging)" in text
    assert "26/100, below the floor of 40" in text
    assert "The score alone would be Ready" in text


def test_bank_json_report_carries_the_knock_out_and_the_uncapped_band(service: AssessmentService) -> None:
    report = json.loads(service.report(_run(service, BANK).assessment.id, "json"))
    assert report["scores"]["band"] == "emerging" and report["scores"]["score_band"] == "ready"
    assert report["scores"]["knockouts"][0]["title"] == "People and change management below the floor"
    assert report["scores"]["provisional"] is False and report["scores"]["missing"] == []


def test_bank_is_not_told_to_do_what_it_answered_as_done(service: AssessmentService) -> None:
    advice = _advice(_run(service, BANK)).lower()
    for done in ("executive sponsor", "vendor manager", "measurable objectives", "fully loaded cost"):
        assert done not in advice, done


def test_bank_is_told_to_consult_its_works_council_and_settle_staff_transfer(service: AssessmentService) -> None:
    advice = _advice(_run(service, BANK))
    assert "Consult the works council or unions and settle staff-transfer duties" in advice
    assert "Tell affected employees early" in advice


def test_bank_with_regulated_data_and_no_exit_plan_is_also_knocked_out(service: AssessmentService) -> None:
    scores = _run(service, BANK, gov_exit_plan="no").scores
    assert [k.id for k in scores.knockouts] == ["floor_people", "regulated_without_exit_plan"]
    assert "EBA guidelines" in scores.knockouts[1].reason and scores.band == "emerging"


def test_regulated_data_without_an_exit_plan_caps_an_otherwise_ready_profile(service: AssessmentService) -> None:
    well = {"ctx_data_sensitivity": "regulated", "sec_transfers": "yes", "ctx_regulations": ["gdpr"]}
    ready = _run(service, "well_prepared", **well).scores
    knocked = _run(service, "well_prepared", **well, gov_exit_plan="no").scores
    assert (ready.band, ready.knockouts) == ("ready", [])
    assert knocked.score_band == "ready" and knocked.band == "emerging"
    assert [k.id for k in knocked.knockouts] == ["regulated_without_exit_plan"]


def test_bank_with_a_complete_exit_plan_is_advised_to_keep_it_current_not_to_write_one(
    service: AssessmentService,
) -> None:
    advice = _advice(_run(service, BANK, gov_exit_plan="yes"))
    assert "Keep your exit plan current" in advice and "Write an exit plan" not in advice


# --- The founder-run startup ------------------------------------------------------------------------------


def test_startup_gets_a_small_company_vendor_process_without_an_rfp_or_site_visits(
    service: AssessmentService,
) -> None:
    result = _run(service, STARTUP)
    phases = {p.id: p for p in result.recommendations.roadmap}
    assert (
        phases["vendor_selection"].title == "Choose a provider" and phases["vendor_selection"].duration == "2-4 weeks"
    )
    advice = _advice(result)
    assert "RFP" not in advice and "site visits" not in advice
    assert "weekly, monthly and quarterly" not in advice and "quarterly business review" not in advice
    assert "Ask two or three providers that serve companies of your size" in advice
    assert "Review the provider once a month" in advice


def test_the_same_answers_from_a_large_company_keep_the_formal_rfp(service: AssessmentService) -> None:
    large = {"ppl_labour_law": "yes", "str_shared_service": "no", "gov_board": "yes", "gov_audit": "no"}
    advice = _advice(_run(service, STARTUP, ctx_company_size=800, **large))
    assert "RFP with three to five shortlisted vendors" in advice
    assert "Ask two or three providers" not in advice


def test_startup_is_not_sent_to_a_blended_model_and_sees_why(service: AssessmentService) -> None:
    location = _run(service, STARTUP).recommendations.location
    assert location.model != "blended"
    blended = next(o for o in location.ranking if o.model == "blended")
    assert any("too much overhead for a company of your size" in r for r in blended.reasons_against)


def test_startup_location_tie_is_shown_with_the_tie_break_and_the_reasons_against(
    service: AssessmentService,
) -> None:
    result = _run(service, STARTUP)
    location = result.recommendations.location
    assert (location.model, location.tied_with) == ("nearshore", ["Offshore"])
    assert [o.points for o in location.ranking] == sorted((o.points for o in location.ranking), reverse=True)
    offshore = next(o for o in location.ranking if o.model == "offshore")
    assert offshore.points == location.points["nearshore"] and offshore.reasons_against
    text = service.report(result.assessment.id, "md").decode("utf-8")
    assert "**Tie:** Nearshore ties with Offshore at 3 points" in text
    assert "| Model | Points | Against it |" in text


def test_startup_founder_who_is_sponsor_and_vendor_manager_is_not_told_to_name_them(
    service: AssessmentService,
) -> None:
    advice = _advice(_run(service, STARTUP)).lower()
    assert "executive sponsor" not in advice and "vendor manager" not in advice


# --- The manufacturer outsourcing accounts payable --------------------------------------------------------


def test_manufacturer_savings_target_is_tested_in_the_business_case(service: AssessmentService) -> None:
    result = _run(service, MANUFACTURER)
    business_case = next(p for p in result.recommendations.roadmap if p.id == "business_case")
    assert any(a.startswith("Test your 30% savings target") for a in business_case.actions)
    assert "Test your 30% savings target" in service.report(result.assessment.id, "md").decode("utf-8")


def test_manufacturer_accounts_payable_scope_leads_the_candidates_and_its_words_are_quoted(
    service: AssessmentService,
) -> None:
    result = _run(service, MANUFACTURER)
    assert [c.id for c in result.recommendations.first_candidates] == ["finance_accounting"]
    text = service.report(result.assessment.id, "md").decode("utf-8")
    assert "**Why now, in the client's words:**" in text and "AP processing cost down by 30%" in text


def test_manufacturer_without_a_target_gets_no_target_step(service: AssessmentService) -> None:
    data = profile(MANUFACTURER)
    answers = {k: v for k, v in data["answers"].items() if k != "ctx_savings_target"}
    result = service.import_answers(data["client"], answers)
    assert "savings target" not in _advice(result) and not result.scores.provisional


def test_manufacturer_first_vendor_contract_is_capped_by_its_governance_floor(service: AssessmentService) -> None:
    scores = _run(service, MANUFACTURER).scores
    assert [k.id for k in scores.knockouts] == ["floor_governance"] and scores.band == "emerging"


def test_the_three_profiles_get_three_different_results(service: AssessmentService) -> None:
    results = [_run(service, name) for name in (BANK, STARTUP, MANUFACTURER)]
    assert len({r.scores.overall for r in results}) == 3
    assert len({r.recommendations.location.model for r in results}) == 3


def test_bank_is_shown_its_regulatory_obligations(service: AssessmentService) -> None:
    advice = _advice(_run(service, BANK))
    assert "notify your supervisor" in advice and "outsourcing register (EBA guidelines" in advice
    assert "SOC 1 Type II" in advice and "Article 28" in advice
    assert "PCI DSS" not in advice  # not one of the regulations the bank named


def test_startup_that_named_pci_dss_sees_it_in_its_vendor_steps(service: AssessmentService) -> None:
    result = _run(service, STARTUP)
    vendor = next(p for p in result.recommendations.roadmap if p.id == "vendor_selection")
    assert any(a.startswith("PCI DSS: ask every provider") for a in vendor.actions)
    assert "notify your supervisor" not in _advice(result)


# --- Questionnaire v3: regulated module, labour relations, scope ------------------------------------------


def test_bank_is_scored_on_regulatory_obligations_and_a_startup_is_not(service: AssessmentService) -> None:
    bank = {d.id: d.score for d in _run(service, BANK).scores.dimensions}
    startup = {d.id for d in _run(service, STARTUP).scores.dimensions}
    assert bank["regulatory"] == 75 and "regulatory" not in startup and "scope" in startup


def test_bank_that_has_not_checked_notice_or_concentration_is_told_to(service: AssessmentService) -> None:
    result = _run(service, BANK, reg_notification="no", reg_concentration="no", reg_critical="partly")
    risk = next(r for r in result.recommendations.risks if r.id == "regulatory_gaps")
    assert any("supervisor must be notified" in m for m in risk.mitigations)
    assert any("vendor, cloud or country" in m for m in risk.mitigations)
    assert not any("subcontractors" in m for m in risk.mitigations)  # answered yes


def test_bank_is_told_to_consult_its_works_council_before_anything_is_announced(service: AssessmentService) -> None:
    assert "union or works council is informed and consulted" in _advice(_run(service, BANK))


def test_startup_founder_who_holds_the_know_how_is_asked_to_write_it_down(service: AssessmentService) -> None:
    assert "Have the one or two people who hold the know-how write it down" in _advice(_run(service, STARTUP))


def test_manufacturer_that_has_not_settled_who_owns_the_procedures_is_told_to(service: AssessmentService) -> None:
    assert "Keep ownership of procedures, data, tools and improvements" in _advice(_run(service, MANUFACTURER))
