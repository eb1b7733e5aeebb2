"""Page-wide behaviour in a real browser: `[n]` opens its source with the passage marked; dark mode sticks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from signed_in_browser import DESKTOP, EXPECT_MS, SCREENSHOTS, browser, errors_seen, expect, fill, live, signed_in

pytestmark = pytest.mark.slow
__all__ = ["browser", "live"]  # fixtures, used by name
DARK = re.compile(r"\bdark\b")


def test_clicking_a_citation_opens_its_source_with_the_cited_passage_marked(live: Any, browser: Any) -> None:
    url, _, key, _ = live
    page = signed_in(browser, url, key, DESKTOP)
    fill(page, "#question", "Which countries are popular for offshore outsourcing?")
    page.locator("#send").click()
    cite = page.locator("#chatbot a.cite").first
    cite.wait_for(timeout=EXPECT_MS)
    number = (cite.get_attribute("href") or "").removeprefix("#source-")
    source = page.locator(f"#chatbot details.source:has(.source-n:text-is('{number}'))").last
    expect(source).not_to_have_attribute("open", "", timeout=EXPECT_MS)
    cite.click()
    expect(source).to_have_attribute("open", "", timeout=EXPECT_MS)
    expect(source.locator("mark").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chat-citation-open.png"))
    assert page.url.startswith(url) and errors_seen(page) == []
    page.close()


def test_the_dark_mode_toggle_sticks_across_reloads(live: Any, browser: Any) -> None:
    url, _, key, _ = live
    page = signed_in(browser, url, key, DESKTOP)
    body = page.locator("body")
    expect(body).not_to_have_class(DARK)
    page.locator("#theme-toggle").click()
    expect(body).to_have_class(DARK)
    page.reload()
    page.wait_for_selector("#tabs")
    page.wait_for_timeout(1000)  # Gradio applies its own theme once loaded; the choice must survive that
    expect(body).to_have_class(DARK)
    expect(page.locator("#theme-toggle .when-dark")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "chat-dark.png"))
    page.locator("#theme-toggle").click()
    page.reload()
    page.wait_for_selector("#tabs")
    page.wait_for_timeout(1000)
    expect(body).not_to_have_class(DARK)
    assert errors_seen(page) == []
    page.close()


def test_the_api_docs_render_without_any_outside_host(live: Any, browser: Any) -> None:
    url, *_ = live
    context = browser.new_context(viewport=DESKTOP)
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(url) else None)
    page = context.new_page()
    page.goto(url + "docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("BPO Advisor API", timeout=EXPECT_MS)
    expect(page.locator(".opblock").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"))
    assert outside == []
    context.close()


def test_an_allowed_key_adds_documents_and_sees_each_files_outcome(live: Any, browser: Any, tmp_path: Any) -> None:
    url, advisor, key, _ = live
    advisor.settings.uploaders = ["dana"]
    good, empty = tmp_path / "escalation.md", tmp_path / "blank.txt"
    good.write_text("## Escalation\nEscalate a missed service level to the vendor's account manager within a day.\n")
    empty.write_text("\n")
    try:
        page = signed_in(browser, url, key, DESKTOP)
        page.get_by_role("tab", name="Knowledge").click()
        page.locator("#kb-upload").get_by_text("Add documents").click()
        page.locator("#kb-files input[type=file]").set_input_files([str(good), str(empty)])
        page.locator("#kb-add").click()
        result = page.locator("#kb-upload-result")
        expect(result).to_contain_text("escalation.md: added", timeout=EXPECT_MS)
        expect(result).to_contain_text("blank.txt: not added, empty file")
        page.screenshot(path=str(SCREENSHOTS / "knowledge-upload.png"), full_page=True)
        assert errors_seen(page) == []
        page.close()
    finally:
        advisor.settings.uploaders = []
