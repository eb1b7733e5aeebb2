"""Browser-test helpers: the real app with one API key on loopback, Debian's Chromium, a page signed in with the
key that records every error Gradio shows. Import the fixtures `live` and `browser` into a test module."""

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

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}
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


def signed_in(browser: Any, url: str, key: str, viewport: dict[str, int], **options: Any) -> Any:
    context = browser.new_context(viewport=viewport, **options)
    context.add_init_script(WATCH_ERRORS)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.locator("#key").fill(key)
    page.locator("#sign-in").click()
    page.wait_for_selector("#tabs")
    return page


def fill(page: Any, selector: str, text: str) -> None:
    page.locator(f"{selector} textarea, {selector} input").first.fill(text)


def says(page: Any, slot: str, words: str) -> None:
    """Wait until the notice slot `slot` shows `words` (the handler answered in place)."""
    expect(page.locator(f"{slot} .notice")).to_contain_text(re.compile(words, re.I), timeout=EXPECT_MS)


def errors_seen(page: Any) -> list[str]:
    return list(page.evaluate("window.__uiErrors"))
