"""Profiles: prepared beats unprepared everywhere; the location model follows data, oversight and cost."""

from __future__ import annotations

from pathlib import Path

import pytest
from readiness_support import RULES, make_service, profile

from advisor.readiness.results import Result
from advisor.readiness.service import AssessmentService


@pytest.fixture
def service(tmp_path: Path) -> AssessmentService:
    return make_service(tmp_path)


def _run(service: AssessmentService, name: str, **changes: object) -> Result:
    data = profile(name)
    return service.import_answers(data["client"], {**data["answers"], **changes})


def _band_rank(band: str | None) -> int:
    return [b.id for b in RULES.bands].index(band or "")


def test_well_prepared_company_scores_above_unprepared_one_in_every_dimension(service: AssessmentService) -> None:
    prepared = _run(service, "well_prepared").scores
    unprepared = _run(service, "unprepared").scores
    for good, poor in zip(prepared.dimensions, unprepared.dimensions, strict=True):
        assert good.score is not None and poor.score is not None
        assert good.score > poor.score, good.id
        assert _band_rank(good.band) > _band_rank(poor.band), good.id
    assert (prepared.band, unprepared.band) == ("ready", "not_ready")


def test_unprepared_company_gets_a_risk_with_mitigations_for_every_dimension(service: AssessmentService) -> None:
    result = _run(service, "unprepared")  # not supervised: the regulatory dimension does not apply
    risks = result.recommendations.risks
    assert {r.dimension for r in risks} == {d.id for d in result.scores.dimensions}
    assert all(r.mitigations and r.citations for r in risks)


def test_well_prepared_company_gets_no_risks(service: AssessmentService) -> None:
    assert _run(service, "well_prepared").recommendations.risks == []


def test_sensitive_regulated_data_with_close_oversight_is_not_sent_offshore(service: AssessmentService) -> None:
    location = _run(service, "sensitive_regulated").recommendations.location
    assert location.model != "offshore"
    assert "offshore" in location.excluded
    assert any("regulated" in reason for reason in location.reasons)


def test_same_company_without_sensitive_data_or_close_oversight_could_go_offshore(service: AssessmentService) -> None:
    location = _run(
        service, "sensitive_regulated", ctx_data_sensitivity="internal", ctx_oversight="light", ctx_timezone="none"
    ).recommendations.location
    assert location.excluded == {}
    assert location.model == "offshore"


def test_cost_driven_company_with_documented_transactional_processes_gets_offshore(service: AssessmentService) -> None:
    result = _run(service, "cost_driven_transactional")
    location = result.recommendations.location
    assert location.model == "offshore"
    assert any("cost" in reason.lower() for reason in location.reasons)
    assert result.recommendations.first_candidates[0].nature == "transactional"


def test_first_candidates_come_from_the_functions_considered(service: AssessmentService) -> None:
    data = profile("cost_driven_transactional")
    candidates = _run(service, "cost_driven_transactional").recommendations.first_candidates
    assert {c.id for c in candidates} <= set(data["answers"]["ctx_functions"])
    assert all(c.reasons for c in candidates)


def test_every_citation_resolves_to_a_real_knowledge_file(service: AssessmentService, tmp_path: Path) -> None:
    recs = _run(service, "unprepared").recommendations
    groups = [*recs.risks, *recs.first_candidates, recs.location, *recs.roadmap]
    citations = [c for item in groups for c in item.citations]
    assert citations
    assert all((tmp_path / "knowledge" / c.source).is_file() for c in citations)


def test_roadmap_has_the_five_phases_and_adds_actions_for_weak_dimensions(service: AssessmentService) -> None:
    weak = _run(service, "unprepared").recommendations.roadmap
    strong = _run(service, "well_prepared").recommendations.roadmap
    assert [p.id for p in weak] == ["business_case", "vendor_selection", "pilot", "transition", "governance"]
    assert sum(len(p.actions) for p in weak) > sum(len(p.actions) for p in strong)
