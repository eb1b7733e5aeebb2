"""The web UI in a real browser: Debian's Chromium driven by Playwright against the live app on loopback."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from loopback import free_port

from advisor.api import create_app
from advisor.index import KnowledgeIndex
from advisor.service import Advisor
from advisor.settings import load_settings
from advisor.ui import mount_ui

pytestmark = pytest.mark.slow

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
# A slice of the real knowledge base: enough for answers, recommendations and a browsable Knowledge tab.
KNOWLEDGE_FILES = [
    "what-is-bpo.md", "benefits.md", "offshore-outsourcing.md", "nearshore-outsourcing.md",
    "contract-essentials.md", "slas-and-kpis.md", "risks-and-mitigations.md", "when-to-outsource.md",
]  # fmt: skip
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 120_000


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, embeddings: Any) -> Iterator[tuple[str, Advisor]]:
    """The real app (API + mounted UI) over a real Advisor, served by uvicorn on a free loopback port."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (run `make browser`)")
    root = tmp_path_factory.mktemp("ui")
    knowledge = root / "knowledge"
    knowledge.mkdir()
    for name in KNOWLEDGE_FILES:
        shutil.copy(KNOWLEDGE / name, knowledge / name)
    settings = load_settings(knowledge_dir=knowledge, data_dir=root / "data")
    advisor = Advisor(settings, embeddings, KnowledgeIndex(settings, embeddings))
    assert not advisor.ingest().errors
    app = create_app(advisor, settings)
    mount_ui(app, advisor)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}/", advisor
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian, never a downloaded one."""
    with playwright_sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def laptop(browser: Any) -> Iterator[Any]:
    """One laptop-width browser context for the module, so the page's local storage persists across tests."""
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    yield context
    context.close()


def _open(context: Any, url: str) -> Any:
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.wait_for_selector("#tabs")
    return page


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _fill(page: Any, selector: str, text: str) -> None:
    page.locator(f"{selector} textarea, {selector} input").first.fill(text)


def _ask(page: Any, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def _last_answer(page: Any) -> Any:
    return page.locator("#chatbot .message-row.bot-row, #chatbot [data-testid='bot']").last


def _tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_chat_answers_with_a_numbered_source_and_stores_feedback(live: tuple[str, Advisor], laptop: Any) -> None:
    url, advisor = live
    page = _open(laptop, url)
    _ask(page, "What should an outsourcing contract include?")
    source = page.locator("#chatbot details.source").first
    source.wait_for()
    assert "[1]" in page.locator("#chatbot").inner_text()
    source.locator("summary").click()
    assert source.locator(".source-body").is_visible()
    assert page.locator("#chatbot .source-n").first.inner_text().strip() == "1"
    _shot(page, "01-chat-answer-laptop")

    page.locator("#chatbot button[aria-label='Like']").last.click()
    _fill(page, "#feedback-comment", "Clear and well sourced.")
    page.locator("#feedback-send").click()
    page.locator("#feedback-comment").wait_for(state="hidden")
    stored = advisor.feedback.list("local")
    assert [(f.rating, f.comment) for f in stored] == [("up", "Clear and well sourced.")]
    page.close()


def test_reload_restores_the_conversation(live: tuple[str, Advisor], laptop: Any) -> None:
    url, _ = live
    page = _open(laptop, url)
    page.locator("#chatbot details.source").first.wait_for()
    assert "outsourcing contract include" in page.locator("#chatbot").inner_text()
    assert "outsourcing contract include" in page.locator("#conversations label:has(input:checked)").inner_text()
    _shot(page, "02-chat-restored-after-reload")
    page.close()


def test_declined_question_and_an_over_long_one_show_messages_not_tracebacks(
    live: tuple[str, Advisor], laptop: Any
) -> None:
    url, _ = live
    page = _open(laptop, url)
    page.locator("#new-conversation").click()
    _ask(page, "What is the best recipe for banana bread?")
    page.locator("#chatbot .declined").wait_for()
    _ask(page, "outsourcing " * 600)
    notice = page.locator("#chat-notice .notice")
    notice.wait_for()
    assert "too long" in notice.inner_text()
    assert page.locator(".toast-body.error").count() == 0
    assert "Traceback" not in page.content()
    _shot(page, "03-chat-declined-and-error")
    page.close()


def test_chat_offers_and_runs_the_interview_in_plain_words(live: tuple[str, Advisor], laptop: Any) -> None:
    url, _ = live
    page = _open(laptop, url)
    page.locator("#new-conversation").click()
    _ask(page, "Are we ready to outsource?")
    page.locator("#chat-start-interview").click()
    page.get_by_text("what is your company called?").wait_for()
    _ask(page, "Initech")
    page.get_by_text("Question 1 of").wait_for()
    _ask(page, "about 200 people")
    page.get_by_text("Recorded: 200 people").wait_for()
    page.get_by_text("Question 2 of").wait_for()
    _ask(page, "What is BPO?")
    page.get_by_text("That sounds like a question for me").wait_for()
    page.locator("#chatbot button.option", has_text="Use it as my answer").wait_for()
    page.locator("#chat-interview-pause").click()
    page.get_by_text("Interview paused").wait_for()
    page.locator("#chat-interview-back").click()
    page.get_by_text("Welcome back").wait_for()
    page.locator("#chatbot button.option").first.click()
    page.get_by_text("Question 3 of").wait_for()
    _shot(page, "04-chat-interview")
    page.close()


def test_short_interview_ends_with_results_and_a_pdf_report(live: tuple[str, Advisor], laptop: Any) -> None:
    url, _ = live
    page = _open(laptop, url)
    _tab(page, "Readiness check")
    _fill(page, "#self-client", "Acme Ltd")
    page.locator("#self-start").click()
    question = page.locator("#self-question")
    question.get_by_text("question 1 of").wait_for()
    _fill(page, "#self-number", "250")
    _next(page, "#self-next", "question 2 of")
    page.locator("#self-choice label").first.click()
    _next(page, "#self-next", "question 3 of")
    _shot(page, "05-interview-question-laptop")
    _answer_some(page, "self", 80)
    page.locator("#self-score .score-number").wait_for()
    page.locator("#self-radar img").wait_for()
    _shot(page, "06-interview-results-laptop")
    with page.expect_download() as download:
        page.locator("#self-download-pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.close()


def _next(page: Any, button: str, expect: str | None, prefix: str = "self") -> None:
    if expect:
        page.locator(button).click()
        page.locator(f"#{prefix}-question").get_by_text(expect).wait_for()
        return
    before = page.locator(f"#{prefix}-progress .progress-label").inner_text()
    page.locator(button).click()
    page.wait_for_function(
        "([prefix, before]) => { const p = document.querySelector(`#${prefix}-progress .progress-label`);"
        " const s = document.querySelector(`#${prefix}-score .score-number`);"
        " return Boolean(s) || (p && p.innerText.trim() && p.innerText !== before); }",
        arg=[prefix, before],
    )


def _answer_some(page: Any, prefix: str, steps: int) -> None:
    """Pick the third choice wherever there is one and skip the rest, for `steps` questions or to the end."""
    for _ in range(steps):
        if page.locator(f"#{prefix}-score .score-number").count():
            return
        choices = page.locator(f"#{prefix}-choice label")
        if page.locator(f"#{prefix}-choice").is_visible() and choices.count() >= 3:
            choices.nth(2).click()
            _next(page, f"#{prefix}-next", None, prefix)
        else:
            _next(page, f"#{prefix}-skip", None, prefix)


def test_workspace_compares_two_assessments_of_a_client(live: tuple[str, Advisor], laptop: Any) -> None:
    url, advisor = live
    service = advisor.assessments
    before = service.import_answers(
        "Globex", {"str_objectives": 2, "proc_documented": 2}, interviewer="Ana", provisional=True
    )
    page = _open(laptop, url)
    _tab(page, "Consultant workspace")
    _fill(page, "#ws-client", "Globex")
    _fill(page, "#ws-interviewer", "Ana Consultant")
    page.locator("#ws-start").click()
    page.locator("#ws-question").get_by_text("question 1 of").wait_for()
    _fill(page, "#ws-number", "1200")
    _fill(page, "#ws-note", "Headcount from the 2024 annual report.")
    page.locator("#ws-next").click()
    page.locator("#ws-question").get_by_text("question 2 of").wait_for()
    _shot(page, "07-workspace-interview")
    _answer_some(page, "ws", 22)  # questionnaire v3 opens with 15 context questions: reach scored ones
    page.locator("#ws-finish").click()
    page.locator("#ws-score .score-number").wait_for()
    after_id = service.list("local", "Globex")[0].id
    assert service.responses(after_id)[0].note == "Headcount from the 2024 annual report."

    _fill(page, "#ws-search", "Globex")
    page.locator("#ws-refresh").click()
    page.locator("#ws-table").get_by_text(after_id).filter(visible=True).first.wait_for()
    _pick(page, "#ws-before", before.assessment.id)
    _pick(page, "#ws-after", after_id)
    page.locator("#ws-compare").click()
    page.locator("#ws-compare-radar img").wait_for()
    assert "Overall" in page.locator("#ws-compare-table").inner_text()
    _shot(page, "08-workspace-compare")
    page.close()


def _pick(page: Any, dropdown: str, text: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.locator("li[role='option']", has_text=text).first.click()


def test_knowledge_tab_searches_and_reads_a_document(live: tuple[str, Advisor], laptop: Any) -> None:
    url, _ = live
    page = _open(laptop, url)
    _tab(page, "Knowledge")
    _fill(page, "#kb-query", "service level agreement")
    page.locator("#kb-search").click()
    page.locator("#kb-hits .hit").first.wait_for()
    page.locator("#kb-docs label").first.click()
    page.locator("#kb-reader h2, #kb-reader h1").first.wait_for()
    _shot(page, "09-knowledge")
    page.close()


def test_pages_work_at_phone_width(live: tuple[str, Advisor], browser: Any) -> None:
    url, _ = live
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = _open(context, url)
    _ask(page, "What are the benefits of offshore outsourcing?")
    page.locator("#chatbot details.source").first.wait_for()
    _shot(page, "10-chat-phone")
    _tab(page, "Readiness check")
    _fill(page, "#self-client", "Tiny Co")
    page.locator("#self-start").click()
    page.locator("#self-question").get_by_text("question 1 of").wait_for()
    _shot(page, "11-interview-phone")
    context.close()
