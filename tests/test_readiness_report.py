"""Reports in JSON, Markdown, HTML and PDF, each with scores, band, radar chart, citations and answers."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pypdf
import pytest
from readiness_support import make_service, profile

from advisor.readiness.service import AssessmentService

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def service(tmp_path: Path) -> AssessmentService:
    return make_service(tmp_path)


@pytest.fixture
def assessment_id(service: AssessmentService) -> str:
    answers = {**profile("unprepared")["answers"], "str_core": {"value": "no", "note": "Board <b>undecided</b>"}}
    return service.import_answers("Acme & Sons", answers).assessment.id


def test_json_report_has_scores_band_recommendations_answers_and_chart(
    service: AssessmentService, assessment_id: str
) -> None:
    report = json.loads(service.report(assessment_id, "json"))
    assert report["scores"]["band"] == "not_ready"
    assert len(report["scores"]["dimensions"]) == 9  # the regulatory dimension applies to supervised firms only
    assert report["recommendations"]["risks"][0]["citations"]
    assert any(a["note"] == "Board <b>undecided</b>" for a in report["answers"])
    assert base64.b64decode(report["radar_png_base64"]).startswith(PNG)


def test_markdown_report_links_the_chart_as_a_file_and_lists_citations_and_notes(
    service: AssessmentService, assessment_id: str
) -> None:
    text = service.report(assessment_id, "md", chart_href="acme-radar.png").decode("utf-8")
    assert text.startswith("# Outsourcing readiness report: Acme & Sons")
    assert "](acme-radar.png)" in text and "base64" not in text and len(text) < 40_000
    assert "Not ready" in text and "## Risks and mitigations" in text
    assert "**Sources:**" in text and ".md)" in text
    assert "## Appendix: the client's answers and notes" in text and "undecided" in text


def test_report_opens_with_a_cover_and_an_executive_summary(service: AssessmentService) -> None:
    bank = profile("regional_bank_works_council")
    aid = service.import_answers(bank["client"], bank["answers"], interviewer="Dana Whitfield").assessment.id
    text = service.report(aid, "md", chart_href="radar.png").decode("utf-8")
    cover, summary = text.split("## Executive summary")
    assert "**Client:** Rhineland Regional Bank" in cover and "**Consultant:** Dana Whitfield" in cover
    assert "**Date:**" in cover and "version 1" in cover
    summary = summary.split("## Scores by dimension")[0]
    assert "Emerging" in summary and "People and change management below the floor" in summary
    actions = [line for line in summary.splitlines() if line[:3] in ("1. ", "2. ", "3. ")]
    assert len(actions) == 3 and "Tell affected employees early" in actions[0]


def test_appendix_shows_the_clients_own_words_beside_the_reading(service: AssessmentService) -> None:
    answers = {**profile("unprepared")["answers"], "ctx_company_size": {"text": "about 120 people"}}
    aid = service.import_answers("Acme", answers).assessment.id
    appendix = service.report(aid, "md", chart_href="radar.png").decode("utf-8").split("## Appendix")[1]
    assert "| 120 people | \u201cabout 120 people\u201d |" in appendix


def test_html_report_has_print_styles_and_a_cover_on_its_own_page(
    service: AssessmentService, assessment_id: str
) -> None:
    page = service.report(assessment_id, "html").decode("utf-8")
    assert "@media print" in page and "@page{size:A4" in page
    assert '<div class="cover">' in page and '<div class="page-break"></div>' in page
    assert "break-inside:avoid" in page


def test_html_report_is_self_contained_and_escapes_user_text(service: AssessmentService, assessment_id: str) -> None:
    page = service.report(assessment_id, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<img alt="Radar chart' in page and 'src="data:image/png;base64,' in page
    assert "<table>" in page and "Recommended location model" in page
    assert "&lt;b&gt;undecided&lt;/b&gt;" in page and "<b>undecided</b>" not in page
    assert "http://" not in page and "https://" not in page


def test_pdf_report_contains_the_text_and_the_chart_image(service: AssessmentService, assessment_id: str) -> None:
    pdf = pypdf.PdfReader(io.BytesIO(service.report(assessment_id, "pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Outsourcing readiness report: Acme &\nSons" in text and "Executive summary" in text
    assert "Not ready" in text and "Risks and mitigations" in text and "Roadmap" in text
    assert "Appendix: the client's answers and notes" in text
    assert sum(len(page.images) for page in pdf.pages) >= 1


def test_unknown_report_format_is_refused(service: AssessmentService, assessment_id: str) -> None:
    with pytest.raises(ValueError, match="docx"):
        service.report(assessment_id, "docx")


@pytest.mark.parametrize("fmt", ["json", "md", "html", "pdf"])
def test_comparison_report_draws_both_shapes_on_one_chart(service: AssessmentService, fmt: str) -> None:
    before = service.import_answers("Acme", profile("unprepared")["answers"]).assessment.id
    after = service.import_answers("Acme", profile("well_prepared")["answers"]).assessment.id
    report = service.compare_report(before, after, fmt)
    if fmt == "json":
        data = json.loads(report)
        assert data["overall_delta"] > 0 and base64.b64decode(data["radar_png_base64"]).startswith(PNG)
    elif fmt == "pdf":
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(report)).pages)
        assert "Readiness comparison: Acme" in text and "Change" in text
    else:
        assert b"data:image/png;base64," in report and b"Readiness comparison: Acme" in report
