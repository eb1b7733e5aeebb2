"""The PDF report rendered to images and measured: nothing outside the page, numbered pages, left headings."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from readiness_support import make_service, profile

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 renders the PDF (pip install -e '.[dev]')")

MARGIN_PT = 14.0  # 5 mm: nothing may be drawn closer to a page's edge
LEFT_MARGIN_PT = 28.35  # the PDF's 10 mm left margin, where every heading starts


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Any]]:
    service = make_service(tmp_path_factory.mktemp("layout"))
    bank = profile("regional_bank_works_council")
    aid = service.import_answers(bank["client"], bank["answers"], interviewer="Dana Whitfield").assessment.id
    document = pdfium.PdfDocument(service.report(aid, "pdf"))
    yield [document[i] for i in range(len(document))]
    document.close()


def _text(page: Any) -> str:
    return str(page.get_textpage().get_text_bounded())


def _ink_box(page: Any) -> tuple[int, int, int, int] | None:
    image = page.render(scale=1).to_pil().convert("L").point(lambda v: 255 if v < 245 else 0)
    return image.getbbox()  # type: ignore[no-any-return]


def _first_char_x(page: Any, phrase: str) -> float | None:
    textpage = page.get_textpage()
    found = textpage.search(phrase, match_case=True).get_next()
    return None if found is None else float(textpage.get_charbox(found[0])[0])


def test_nothing_is_drawn_outside_the_pages_margins(pages: list[Any]) -> None:
    for number, page in enumerate(pages, 1):
        width, height = page.get_size()
        box = _ink_box(page)
        assert box is not None, f"page {number} is blank"
        left, top, right, bottom = box
        assert left >= MARGIN_PT and top >= MARGIN_PT, f"page {number}: ink at {box}"
        assert right <= width - MARGIN_PT and bottom <= height - MARGIN_PT, f"page {number}: ink at {box}"


def test_every_page_after_the_cover_is_numbered_page_n_of_total(pages: list[Any]) -> None:
    total = len(pages)
    assert "Page 1 of" not in _text(pages[0])
    for number, page in enumerate(pages[1:], 2):
        assert f"Page {number} of {total}" in _text(page)


def test_cover_names_client_consultant_and_date_and_the_summary_follows(pages: list[Any]) -> None:
    cover = _text(pages[0])
    assert "Rhineland Regional Bank" in cover and "Dana Whitfield" in cover
    assert re.search(r"Date\s*\d{1,2} \w+ \d{4}", cover)
    summary = _text(pages[1])
    assert summary.startswith("Executive summary") and "Top 3 actions" in summary and "Knock-outs" in summary


def test_headings_start_at_the_left_margin_without_stretched_word_gaps(pages: list[Any]) -> None:
    headings = ["Executive summary", "Scores by dimension", "Risks and mitigations", "Roadmap: next steps"]
    found = {h: x for page in pages for h in headings if (x := _first_char_x(page, h)) is not None}
    assert set(found) == set(headings)
    assert all(LEFT_MARGIN_PT <= x <= LEFT_MARGIN_PT + 6 for x in found.values()), found
    for page in pages:
        textpage = page.get_textpage()
        match = textpage.search("Risks and mitigations", match_case=True).get_next()
        if match:
            boxes = [textpage.get_charbox(match[0] + i) for i in range(match[1])]
            gaps = [b[0] - a[2] for a, b in itertools.pairwise(boxes)]
            assert max(gaps) < 8, gaps  # a justified line would open wide gaps between words


def test_the_radar_chart_fits_inside_the_text_area(pages: list[Any]) -> None:
    images = [
        (number, obj.get_bounds())
        for number, page in enumerate(pages, 1)
        for obj in page.get_objects()
        if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE
    ]
    assert images, "the report has no chart"
    for number, (left, bottom, right, top) in images:
        width, height = pages[number - 1].get_size()
        assert left >= LEFT_MARGIN_PT - 0.5 and right <= width - LEFT_MARGIN_PT + 0.5
        assert bottom >= MARGIN_PT and top <= height - MARGIN_PT
