"""Every button with empty and wrong input, and the layout at phone and desktop sizes, in a real browser.

A signed-in person (with an API key) never sees a Gradio error toast, an "Error" badge or "didn't return enough
output values": each handler answers in place with a notice. The page never scrolls sideways and Send stays on
screen at 390x844 and 1280x800, before and after the first answer.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from signed_in_browser import (
    DESKTOP,
    EXPECT_MS,
    PHONE,
    SCREENSHOTS,
    SMALL_PHONE,
    browser,
    errors_seen,
    expect,
    fill,
    live,
    says,
    signed_in,
)

pytestmark = pytest.mark.slow
__all__ = ["browser", "live"]  # fixtures, used by name


def test_every_button_with_empty_or_wrong_input_answers_in_place_without_an_error(live: Any, browser: Any) -> None:
    url, advisor, key, _ = live
    someone_else = advisor.assessments.start("Other Co", owner="another-key").id
    page = signed_in(browser, url, key, DESKTOP)

    page.locator("#send").click()
    says(page, "#chat-notice", "type a question first")
    fill(page, "#question", "outsourcing " * 400)
    page.locator("#send").click()
    says(page, "#chat-notice", "too long")
    expect(page.locator("#question textarea")).to_have_value(re.compile("^outsourcing"), timeout=EXPECT_MS)

    page.get_by_role("tab", name="Consultant workspace").click()
    page.locator("#ws-compare").click()
    says(page, "#ws-compare-notice", "choose two different assessments")
    page.locator("#ws-start").click()
    says(page, "#ws-notice", "client's name")

    page.get_by_role("tab", name="Readiness check").click()
    page.locator("#self-start").click()
    says(page, "#self-notice", "company's name")
    page.locator("#self-resume").click()
    says(page, "#self-notice", "paste the assessment id")
    fill(page, "#self-resume-id", "no-such-id")
    page.locator("#self-resume").click()
    says(page, "#self-notice", "no assessment of yours")
    fill(page, "#self-resume-id", someone_else)
    page.locator("#self-resume").click()
    says(page, "#self-notice", "no assessment of yours")

    fill(page, "#self-client", "Acme Ltd")
    page.locator("#self-start").click()
    expect(page.locator("#self-question")).to_contain_text("question 1 of", timeout=EXPECT_MS)
    expect(page.locator("#self-notice .notice")).to_have_count(0)
    page.locator("#self-next").click()
    says(page, "#self-notice", "choose or type an answer first")
    page.locator("#self-back").click()
    says(page, "#self-notice", "first question")
    expect(page.locator("#self-question")).to_contain_text("question 1 of")

    page.get_by_role("tab", name="Knowledge").click()
    page.locator("#kb-search").click()
    expect(page.locator("#kb-hits .notice")).to_contain_text("Type some words", timeout=EXPECT_MS)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "input-knowledge-empty-search.png"), full_page=True)
    assert errors_seen(page) == []
    page.context.close()


def test_comparing_an_assessment_with_itself_is_refused_in_place(live: Any, browser: Any) -> None:
    url, advisor, key, owner = live
    advisor.assessments.import_answers("Globex", {"str_objectives": 2}, owner=owner, provisional=True)
    page = signed_in(browser, url, key, DESKTOP)
    page.get_by_role("tab", name="Consultant workspace").click()
    for side in ("#ws-before", "#ws-after"):
        page.locator(f"{side} input").click()
        page.locator("li[role='option']", has_text="Globex").first.click()
    page.locator("#ws-compare").click()
    says(page, "#ws-compare-notice", "two different assessments")
    assert errors_seen(page) == []
    page.context.close()


@pytest.mark.parametrize(
    "viewport", [PHONE, SMALL_PHONE, DESKTOP], ids=["phone-390x844", "phone-360x740", "desktop-1280x800"]
)
def test_no_page_scrolls_sideways_and_send_stays_on_screen(live: Any, browser: Any, viewport: dict[str, int]) -> None:
    url, _, key, _ = live
    phone = viewport["width"] < 640
    page = signed_in(browser, url, key, viewport, is_mobile=phone, has_touch=phone)
    _expect_fits(page)
    expect(page.locator("#send")).to_be_in_viewport(timeout=EXPECT_MS)
    width = _container_width(page)

    fill(page, "#question", "What should an outsourcing contract include?")
    page.locator("#send").click()
    page.locator("#chatbot details.source").first.wait_for()
    _expect_fits(page)
    assert _container_width(page) == width, "the page changed width after the first answer"
    page.locator("#send").scroll_into_view_if_needed()
    expect(page.locator("#send")).to_be_in_viewport(timeout=EXPECT_MS)
    name = f"{viewport['width']}x{viewport['height']}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"layout-chat-{name}.png"), full_page=True)

    for tab in ("Readiness check", "Consultant workspace", "Knowledge", "Ask"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true", timeout=EXPECT_MS)
        expect(page.get_by_role("tab", name=tab)).to_be_in_viewport()
        _expect_fits(page)
        slug = tab.split()[0].lower()
        page.screenshot(path=str(SCREENSHOTS / f"layout-{slug}-{name}.png"), full_page=True)
    assert errors_seen(page) == []
    page.context.close()


def _expect_fits(page: Any) -> None:
    page.wait_for_function(
        "() => document.documentElement.scrollWidth <= window.innerWidth", timeout=EXPECT_MS, polling=200
    )


def _container_width(page: Any) -> float:
    return float(page.evaluate("document.querySelector('.gradio-container').getBoundingClientRect().width"))
