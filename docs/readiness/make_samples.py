"""Render the sample report pages in this folder: python docs/readiness/make_samples.py (needs pypdfium2).

The bank profile is scored against the real knowledge folder (keyword search, no index needed), reopened with
its People answers improved, and compared; PDF pages are rendered to PNG.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from advisor.db import make_engine
from advisor.readiness.citations import FolderSearcher
from advisor.readiness.questionnaire import load_questionnaire
from advisor.readiness.rules import load_rules
from advisor.readiness.service import AssessmentService

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PAGES = {"cover": 0, "executive-summary": 1, "risks": 2, "appendix": -2}
TYPED = {  # a few answers as the client typed them, so the appendix shows their words beside the reading
    "ctx_company_size": {"text": "about 2,000 people"},
    "str_sponsor": {"text": "yes", "note": "COO sponsors the programme"},
    "proc_documented": {"text": "4 out of 5"},
}
IMPROVED = {"ppl_communication": "yes", "ppl_impact": "decided", "ppl_labour_law": "yes"}


def main() -> None:
    """Write report-*.png, comparison-*.png, report.md and report-radar.png here."""
    questionnaire = load_questionnaire()
    knowledge = ROOT / "knowledge"
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/samples.db")
        service = AssessmentService(
            engine, questionnaire, load_rules(questionnaire), FolderSearcher(knowledge), knowledge_dir=knowledge
        )
        bank = json.loads((ROOT / "advisor/readiness/profiles/regional_bank_works_council.json").read_text())
        answers = {**bank["answers"], **TYPED}
        first = service.import_answers(bank["client"], answers, interviewer="Dana Whitfield").assessment.id
        _pages(service.report(first, "pdf"), PAGES, "report")
        (HERE / "report.md").write_bytes(service.report(first, "md", chart_href="report-radar.png"))
        (HERE / "report-radar.png").write_bytes(service.chart(first))
        second = service.reopen(first).id
        service.revise(second, IMPROVED)
        _pages(service.compare_report(first, second, "pdf"), {"cover": 0, "scores": 1, "risks": 2}, "comparison")


def _pages(pdf: bytes, wanted: dict[str, int], prefix: str) -> None:
    document = pdfium.PdfDocument(pdf)
    for name, index in wanted.items():
        image = document[index % len(document)].render(scale=1.4).to_pil().convert("P", palette=1, colors=64)
        image.save(HERE / (f"{prefix}-{name}.png" if name else f"{prefix}.png"), optimize=True)
    document.close()


if __name__ == "__main__":
    main()
