"""Every button with empty and wrong input, and the layout at phone and desktop sizes, in a real browser.

A signed-in person (with an API key) never sees a Gradio error toast, an "Error" badge or "didn't return enough
output values": each handler answers in place with a notice. The page never scrolls sideways and Send stays on
screen at 390x844 and 1280x800, before and after the first answer.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from conftest import SAMPLE_KB
from loopback import free_port, uvicorn_in_thread

from advisor.api import create_app
from advisor.index import KnowledgeIndex
from advisor.service import Advisor
from advisor.settings import load_settings
from advisor.ui import mount_ui

pytestmark = pytest.mark.slow

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WAIT_MS = 60_000
EXPECT_MS = 30_000
# Records every error Gradio shows, however briefly: error toasts, "Error" badges and the output-count message.
WATCH_ERRORS = """
window.__uiErrors = [];
new MutationObserver(() => {
  for (const el of document.querySelectorAll('.toast-body.error, .status-tracker .error, span.error')) {
    const text = (el.innerText || el.className).trim();
    if (!window.__uiErrors.includes(text)) window.__uiErrors.push(text);
  }
  if (document.body && document.body.innerText.includes("didn't return enough output values"))
    window.__uiErrors.push("didn't return enough output values");
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, embeddings: Any, indexed_template: Path) -> Iterator[Any]:
    """The real app (API + UI) over the sample knowledge base with one API key, on a loopback port."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (run `make browser`)")
    root = tmp_path_factory.mktemp("ui-input")
    knowledge = root / "knowledge"
    knowledge.mkdir()
    for name, text in SAMPLE_KB.items():
        (knowledge / name).write_text(text, encoding="utf-8")
    settings = load_settings(knowledge_dir=knowledge, data_dir=root / "data")
    shutil.copytree(indexed_template, settings.data_dir)
    advisor = Advisor(settings, embeddings, KnowledgeIndex(settings, embeddings))
    key_id, key = advisor.keys.create("dana")
    app = create_app(advisor, settings)
    mount_ui(app, advisor)
    with uvicorn_in_thread(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")) as url:
        yield url + "/", advisor, key, key_id


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian, never a downloaded one."""
    with playwright_sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _signed_in(browser: Any, url: str, key: str, viewport: dict[str, int], **options: Any) -> Any:
    context = browser.new_context(viewport=viewport, **options)
    context.add_init_script(WATCH_ERRORS)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.locator("#key").fill(key)
    page.locator("#sign-in").click()
    page.wait_for_selector("#tabs")
    return page


def _fill(page: Any, selector: str, text: str) -> None:
    page.locator(f"{selector} textarea, {selector} input").first.fill(text)


def _says(page: Any, slot: str, words: str) -> None:
    """Wait until the notice slot `slot` shows `words` (the handler answered in place)."""
    expect(page.locator(f"{slot} .notice")).to_contain_text(re.compile(words, re.I), timeout=EXPECT_MS)


def _errors_seen(page: Any) -> list[str]:
    return list(page.evaluate("window.__uiErrors"))


def test_every_button_with_empty_or_wrong_input_answers_in_place_without_an_error(live: Any, browser: Any) -> None:
    url, advisor, key, _ = live
    someone_else = advisor.assessments.start("Other Co", owner="another-key").id
    page = _signed_in(browser, url, key, DESKTOP)

    page.locator("#send").click()
    _says(page, "#chat-notice", "type a question first")
    _fill(page, "#question", "outsourcing " * 400)
    page.locator("#send").click()
    _says(page, "#chat-notice", "too long")
    expect(page.locator("#question textarea")).to_have_value(re.compile("^outsourcing"), timeout=EXPECT_MS)

    page.get_by_role("tab", name="Consultant workspace").click()
    page.locator("#ws-compare").click()
    _says(page, "#ws-compare-notice", "choose two different assessments")
    page.locator("#ws-start").click()
    _says(page, "#ws-notice", "client's name")

    page.get_by_role("tab", name="Readiness check").click()
    page.locator("#self-start").click()
    _says(page, "#self-notice", "company's name")
    page.locator("#self-resume").click()
    _says(page, "#self-notice", "paste the assessment id")
    _fill(page, "#self-resume-id", "no-such-id")
    page.locator("#self-resume").click()
    _says(page, "#self-notice", "no assessment of yours")
    _fill(page, "#self-resume-id", someone_else)
    page.locator("#self-resume").click()
    _says(page, "#self-notice", "no assessment of yours")

    _fill(page, "#self-client", "Acme Ltd")
    page.locator("#self-start").click()
    expect(page.locator("#self-question")).to_contain_text("question 1 of", timeout=EXPECT_MS)
    expect(page.locator("#self-notice .notice")).to_have_count(0)
    page.locator("#self-next").click()
    _says(page, "#self-notice", "choose or type an answer first")
    page.locator("#self-back").click()
    _says(page, "#self-notice", "first question")
    expect(page.locator("#self-question")).to_contain_text("question 1 of")

    page.get_by_role("tab", name="Knowledge").click()
    page.locator("#kb-search").click()
    expect(page.locator("#kb-hits .notice")).to_contain_text("Type some words", timeout=EXPECT_MS)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "input-knowledge-empty-search.png"), full_page=True)
    assert _errors_seen(page) == []
    page.context.close()


def test_comparing_an_assessment_with_itself_is_refused_in_place(live: Any, browser: Any) -> None:
    url, advisor, key, owner = live
    advisor.assessments.import_answers("Globex", {"str_objectives": 2}, owner=owner)
    page = _signed_in(browser, url, key, DESKTOP)
    page.get_by_role("tab", name="Consultant workspace").click()
    for side in ("#ws-before", "#ws-after"):
        page.locator(f"{side} input").click()
        page.locator("li[role='option']", has_text="Globex").first.click()
    page.locator("#ws-compare").click()
    _says(page, "#ws-compare-notice", "two different assessments")
    assert _errors_seen(page) == []
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone-390x844", "desktop-1280x800"])
def test_no_page_scrolls_sideways_and_send_stays_on_screen(live: Any, browser: Any, viewport: dict[str, int]) -> None:
    url, _, key, _ = live
    phone = viewport["width"] < 640
    page = _signed_in(browser, url, key, viewport, is_mobile=phone, has_touch=phone)
    _expect_fits(page)
    expect(page.locator("#send")).to_be_in_viewport(timeout=EXPECT_MS)
    width = _container_width(page)

    _fill(page, "#question", "What should an outsourcing contract include?")
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
    assert _errors_seen(page) == []
    page.context.close()


def _expect_fits(page: Any) -> None:
    page.wait_for_function(
        "() => document.documentElement.scrollWidth <= window.innerWidth", timeout=EXPECT_MS, polling=200
    )


def _container_width(page: Any) -> float:
    return float(page.evaluate("document.querySelector('.gradio-container').getBoundingClientRect().width"))
