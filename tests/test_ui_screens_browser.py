"""Every screen at desktop (1280x800) and phone (390x844) size: nothing scrolls sideways, no control sits
outside the viewport, no Gradio error shows. Screenshots go to test-output/screens/ (copies in docs/screens/)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from signed_in_browser import (
    DESKTOP,
    EXPECT_MS,
    PHONE,
    WATCH_ERRORS,
    browser,
    errors_seen,
    expect,
    fill,
    live,
    signed_in,
)

pytestmark = pytest.mark.slow
__all__ = ["browser", "live"]  # fixtures, used by name
SCREENS = Path(__file__).resolve().parents[1] / "test-output" / "screens"
SIZES = {"desktop": DESKTOP, "phone": PHONE}
# Visible controls and text (paragraphs, list items, dimension rows) whose box reaches past the left or right
# edge, outside any sideways-scrolling area.
OFF_SCREEN = """() => {
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if ((o === "auto" || o === "scroll") && p.scrollWidth > p.clientWidth)
        return true; } return false; };
  const controls = document.querySelectorAll("button, input, textarea, select, a[href], [role=tab], .dim-row, p, li");
  return [...controls].filter((el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === "hidden") return false;
    return (r.left < -1 || r.right > window.innerWidth + 1) && !scrolls(el);
  }).map((el) => `${el.tagName.toLowerCase()}#${el.id} ${(el.innerText || el.value || "").slice(0, 30)}`);
}"""


def _check(page: Any, screen: str, size: str) -> None:
    page.wait_for_timeout(400)  # let layout settle after the last update
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{screen} at {size} scrolls sideways: {width[0]} px in {width[1]} px"
    assert page.evaluate(OFF_SCREEN) == [], f"{screen} at {size} has controls outside the viewport"
    assert page.locator(".toast-body.error").count() == 0 and errors_seen(page) == []
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{screen}-{size}.png"), full_page=True)


def _open(browser: Any, live: Any, size: str) -> Any:
    url, _, key, _ = live
    phone = size == "phone"
    return signed_in(browser, url, key, SIZES[size], is_mobile=phone, has_touch=phone)


def _chat(page: Any, live: Any) -> None:
    fill(page, "#question", "Which countries are popular for offshore outsourcing?")
    page.locator("#send").click()
    page.locator("#chatbot a.cite").first.click()
    expect(page.locator("#chatbot details.source[open] mark").first).to_be_visible(timeout=EXPECT_MS)


def _interview(page: Any, live: Any) -> None:
    fill(page, "#question", "Are we ready to outsource?")
    page.locator("#send").click()
    page.locator("#chat-start-interview").click()
    expect(page.locator("#chatbot")).to_contain_text("what is your company called?", timeout=EXPECT_MS)
    for reply in ("Initech", "about 200 people"):
        fill(page, "#question", reply)
        page.locator("#send").click()
        expect(page.locator("#chatbot")).to_contain_text(reply.removeprefix("about "), timeout=EXPECT_MS)
    expect(page.locator("#chatbot button.option").first).to_be_visible(timeout=EXPECT_MS)
    expect(page.locator("#chat-interview-pause")).to_be_visible()


def _readiness(page: Any, live: Any) -> None:
    page.get_by_role("tab", name="Readiness check").click()
    fill(page, "#self-client", "Acme Ltd")
    page.locator("#self-start").click()
    expect(page.locator("#self-question")).to_contain_text("question 1 of about", timeout=EXPECT_MS)


def _results(page: Any, live: Any) -> None:
    _, advisor, _, owner = live
    answers = {"str_objectives": 4, "proc_documented": 2, "sec_controls": 2}
    result = advisor.assessments.import_answers("Globex", answers, owner=owner, mode="self", provisional=True)
    page.get_by_role("tab", name="Readiness check").click()
    fill(page, "#self-resume-id", result.assessment.id)
    page.locator("#self-resume").click()
    expect(page.locator("#self-score")).to_contain_text("Provisional", timeout=EXPECT_MS)


def _workspace(page: Any, live: Any) -> None:
    _, advisor, _, owner = live
    advisor.assessments.start("Initech", interviewer="Ana Consultant", mode="consultant", owner=owner)
    page.get_by_role("tab", name="Consultant workspace").click()
    expect(page.locator("#ws-table")).to_contain_text("Initech", timeout=EXPECT_MS)


def _knowledge(page: Any, live: Any) -> None:
    page.get_by_role("tab", name="Knowledge").click()
    fill(page, "#kb-query", "nearshore time zones")
    page.locator("#kb-search").click()
    page.locator("#kb-hits .hit").first.wait_for(timeout=EXPECT_MS)


SCREENS_SHOWN: dict[str, Callable[[Any, Any], None]] = {
    "chat": _chat,
    "chat-interview": _interview,
    "readiness": _readiness,
    "results": _results,
    "workspace": _workspace,
    "knowledge": _knowledge,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS_SHOWN)
def test_each_screen_fits_the_viewport_without_errors(live: Any, browser: Any, screen: str, size: str) -> None:
    page = _open(browser, live, size)
    SCREENS_SHOWN[screen](page, live)
    _check(page, screen, size)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_sign_in_page_fits_the_viewport_without_errors(live: Any, browser: Any, size: str) -> None:
    url = live[0]
    phone = size == "phone"
    context = browser.new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone)
    context.add_init_script(WATCH_ERRORS)
    page = context.new_page()
    page.goto(url)
    page.locator("#key").fill("not-a-key")
    page.locator("#sign-in").click()
    page.locator("#key").wait_for(timeout=EXPECT_MS)
    _check(page, "sign-in", size)
    context.close()


def test_the_off_screen_check_finds_a_control_past_the_right_edge(live: Any, browser: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(live[0])
    page.evaluate(
        "() => { const b = document.createElement('button'); b.id = 'stray'; b.textContent = 'Stray';"
        " b.style.cssText = 'position:fixed;left:380px;top:10px;width:80px'; document.body.append(b); }"
    )
    assert page.evaluate(OFF_SCREEN) == ["button#stray Stray"]
    page.close()
