"""Two people with two API keys in real browsers: each sees only their own data, in the UI and through the API."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from conftest import SAMPLE_KB
from loopback import free_port, uvicorn_in_thread

from advisor.api import create_app
from advisor.index import KnowledgeIndex
from advisor.service import Advisor
from advisor.settings import Settings, load_settings
from advisor.ui import mount_ui

pytestmark = pytest.mark.slow

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WAIT_MS = 60_000


@pytest.fixture
def live(tmp_path: Path, embeddings: Any, indexed_template: Path) -> Iterator[tuple[str, Advisor]]:
    """The real app (API + UI) over the sample knowledge base, served by uvicorn on a loopback port."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (run `make browser`)")
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    for name, text in SAMPLE_KB.items():
        (knowledge / name).write_text(text, encoding="utf-8")
    settings = load_settings(knowledge_dir=knowledge, data_dir=tmp_path / "data")
    shutil.copytree(indexed_template, settings.data_dir)
    advisor = Advisor(settings, embeddings, KnowledgeIndex(settings, embeddings))
    app = create_app(advisor, settings)
    mount_ui(app, advisor)
    with uvicorn_in_thread(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")) as url:
        yield url + "/", advisor


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium from Debian, never a downloaded one."""
    with playwright_sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _signed_in(browser: Any, url: str, key: str) -> Any:
    page = browser.new_context(accept_downloads=True).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.locator("#key").fill(key)
    page.locator("#sign-in").click()
    page.wait_for_selector("#tabs")
    return page


def _ask(page: Any, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.locator("#chatbot details.source").first.wait_for()


def _conversation_titles(page: Any) -> list[str]:
    """The titles in the "Your conversations" list, as the person sees them."""
    labels = page.locator("#conversations label")
    labels.first.wait_for()
    return [text.split(" · ")[0].strip() for text in labels.all_inner_texts()]


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_two_keys_never_see_each_others_conversations_or_assessments(live: tuple[str, Advisor], browser: Any) -> None:
    url, advisor = live
    _, alice_key = advisor.keys.create("alice")
    _, bob_key = advisor.keys.create("bob")
    bobs_api_assessment = httpx.post(f"{url}v1/assessments", json={"client": "Bobco"}, headers=_as(bob_key)).json()

    alice = _signed_in(browser, url, alice_key)
    assert alice.locator("#account-key").inner_text() == "alice"
    _ask(alice, "What is a service level agreement?")
    with alice.expect_download() as exported:
        alice.locator("#export-md").click()
    export_url = exported.value.url
    alice.get_by_role("tab", name="Consultant workspace").click()
    alice.locator("#ws-client textarea, #ws-client input").first.fill("Initech")
    alice.locator("#ws-start").click()
    alice.locator("#ws-question").get_by_text("question 1 of").wait_for()

    # What Alice did in the UI is hers through the API too, and only hers.
    conversations = httpx.get(f"{url}v1/conversations", headers=_as(alice_key)).json()
    assert [c["title"] for c in conversations] == ["What is a service level agreement?"]
    alices_assessment = next(a for a in httpx.get(f"{url}v1/assessments", headers=_as(alice_key)).json())
    assert alices_assessment["client"] == "Initech"
    assert httpx.get(f"{url}v1/conversations", headers=_as(bob_key)).json() == []
    bob_reads = httpx.get(f"{url}v1/assessments/{alices_assessment['id']}", headers=_as(bob_key))
    assert bob_reads.status_code == 404

    bob = _signed_in(browser, url, bob_key)
    assert bob.locator("#account-key").inner_text() == "bob"
    _ask(bob, "Which countries are popular for offshore outsourcing?")
    assert _conversation_titles(bob) == ["Which countries are popular for offshore outsourcing?"]
    bob.get_by_role("tab", name="Consultant workspace").click()
    table = bob.locator("#ws-table")
    table.get_by_text("Bobco").filter(visible=True).first.wait_for()  # created through the API with Bob's key
    assert "Initech" not in table.inner_text()
    bob.get_by_role("tab", name="Readiness check").click()
    bob.locator("#self-resume-id textarea, #self-resume-id input").first.fill(alices_assessment["id"])
    bob.locator("#self-resume").click()
    assert "no assessment of yours" in bob.locator("#self-notice .notice").inner_text().lower()
    assert "Initech" not in bob.locator("#self-title").inner_text()

    # Alice's export is a file of her conversation: Bob's session cannot fetch it, hers can.
    assert bob.context.request.get(export_url).status == 404
    assert "What is a service level agreement?" in alice.context.request.get(export_url).text()

    alice.reload()
    alice.wait_for_selector("#tabs")
    assert _conversation_titles(alice) == ["What is a service level agreement?"]
    alice.get_by_role("tab", name="Consultant workspace").click()
    alice.locator("#ws-table").get_by_text("Initech").filter(visible=True).first.wait_for()
    assert "Bobco" not in alice.locator("#ws-table").inner_text()
    titles = [c["title"] for c in httpx.get(f"{url}v1/conversations", headers=_as(alice_key)).json()]
    assert titles == ["What is a service level agreement?"]
    assert bobs_api_assessment["id"] not in alice.locator("#ws-table").inner_text()

    # The same browser signed out and in again as Bob: the conversation it remembers is not shown to him.
    alice.locator("#sign-out").click()
    alice.locator("#key").fill(bob_key)
    alice.locator("#sign-in").click()
    alice.wait_for_selector("#tabs")
    assert alice.locator("#account-key").inner_text() == "bob"
    alice.wait_for_timeout(1500)  # the page's load events have run
    assert "service level" not in alice.locator("#chatbot").inner_text().lower()


def test_a_key_created_by_the_cli_on_a_running_server_requires_sign_in_at_once(
    live: tuple[str, Advisor], browser: Any
) -> None:
    url, advisor = live
    page = browser.new_context().new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.wait_for_selector("#tabs")  # no key yet: the UI is open, as "local"
    # Under load the header briefly shows the load event's timer ("0.1s"); wait for what it settles on.
    playwright_sync.expect(page.locator("#account")).to_have_text("", timeout=30_000)

    key = _cli_create_key(advisor.settings, "carol")

    page.reload()
    page.locator("#key").wait_for()
    assert "/login" in page.url
    page.locator("#key").fill("bpo_wrong")
    page.locator("#sign-in").click()
    assert "not valid" in page.locator("#sign-in-error").inner_text()
    page.locator("#key").fill(key)
    page.locator("#sign-in").click()
    page.wait_for_selector("#tabs")
    assert page.locator("#account-key").inner_text() == "carol"
    page.locator("#sign-out").click()
    page.locator("#key").wait_for()
    page.goto(url)
    assert "/login" in page.url


def _cli_create_key(settings: Settings, name: str) -> str:
    """Run `advisor keys create NAME` in its own process, as an operator would beside the running server."""
    env = {
        **os.environ,
        "ADVISOR_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "ADVISOR_DATA_DIR": str(settings.data_dir),
    }
    command = [sys.executable, "-m", "advisor.cli", "keys", "create", name]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=120)
    return done.stdout.strip()
