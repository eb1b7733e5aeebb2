"""Chat-model backends: the factory, and real SmolLM2 answers in-process and over an OpenAI-compatible server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from advisor.answer import Answer, Final, Hit, Token
from advisor.answering import ExtractiveAnswerer
from advisor.answering.generative import GenerativeAnswerer
from advisor.answering.support import SupportChecker
from advisor.chat_models import LOCAL_EXTRA_HINT, build_chat_model
from advisor.settings import Settings, SettingsError

HITS = [
    Hit(
        source="offshore-outsourcing.md",
        title="Offshore outsourcing",
        section="Cost",
        score=0.72,
        text="Offshore outsourcing is normally the cheapest location model. A US company might pay about $8-15 "
        "per hour for an offshore contact-centre agent in India or the Philippines.",
    ),
    Hit(
        source="location-models-compared.md",
        title="BPO location models compared",
        section="Cost",
        score=0.66,
        text="Onshore outsourcing is the most expensive location model, and nearshore sits in the middle at "
        "about $12-25 per hour in Latin America.",
    ),
]
QUESTION = "How much does an offshore contact-centre agent cost per hour?"
SERVER_START_TIMEOUT_S = 120


def settings(**overrides: object) -> Settings:
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg, arg-type]


def require_llama_cpp() -> None:
    """Skip locally without the `local` extra; in CI (CI=true) its absence is a failure."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"llama-cpp-python missing in CI: {LOCAL_EXTRA_HINT}")
        pytest.skip(f"llama-cpp-python not installed: {LOCAL_EXTRA_HINT}")


def test_extractive_backend_has_no_chat_model() -> None:
    assert build_chat_model(settings()) is None


def test_openai_backend_points_at_the_configured_compatible_endpoint() -> None:
    model = build_chat_model(
        settings(backend="openai", openai_base_url="http://127.0.0.1:9/v1", openai_model="m", llm_max_tokens=99)
    )
    assert isinstance(model, ChatOpenAI)
    assert model.openai_api_base == "http://127.0.0.1:9/v1" and model.model_name == "m"
    assert model.streaming and model.max_tokens == 99


def test_openai_backend_without_key_or_base_url_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="OPENAI_API_KEY"):
        build_chat_model(settings(backend="openai"))


def test_ollama_backend_uses_the_native_client() -> None:
    model = build_chat_model(settings(backend="ollama", ollama_url="http://127.0.0.1:9", ollama_model="llama3.2"))
    assert isinstance(model, ChatOllama)
    assert model.base_url == "http://127.0.0.1:9" and model.model == "llama3.2"


def test_llamacpp_backend_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # makes `import llama_cpp` raise ImportError
    with pytest.raises(ImportError, match=re.escape("pip install -e .[local]")):
        build_chat_model(settings(backend="llamacpp", llamacpp_model_path="/nonexistent/model.gguf"))


def assert_verified_answer(answer: Answer, backend: str) -> None:
    """A non-empty answer whose citations all resolve to the given hits, or a fallback flagged as such."""
    assert answer.text.strip() and answer.backend == backend
    sources = {hit.source for hit in HITS}
    assert {c.source for c in answer.citations} <= sources and answer.citations
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert numbers <= {c.n for c in answer.citations}
    if not answer.fell_back:
        assert answer.grounded


def generative(model: BaseChatModel, embeddings: Embeddings, backend: str) -> GenerativeAnswerer:
    return GenerativeAnswerer(model, SupportChecker(embeddings), ExtractiveAnswerer(embeddings).answer, backend)


@pytest.mark.slow
def test_llamacpp_backend_answers_a_bpo_question_with_smollm2(embeddings: Embeddings) -> None:
    require_llama_cpp()
    model = build_chat_model(settings(backend="llamacpp", llm_max_tokens=128))
    assert model is not None
    items = list(generative(model, embeddings, "llamacpp").stream(QUESTION, HITS))
    assert any(isinstance(i, Token) and i.text for i in items[:-1]), "no tokens streamed"
    assert isinstance(items[-1], Final)
    assert_verified_answer(items[-1].answer, "llamacpp")


@pytest.fixture
def llama_server(tmp_path: Path) -> Iterator[str]:
    """llama-cpp-python's own OpenAI-compatible server on a free loopback port, stopped afterwards."""
    require_llama_cpp()
    model_path = settings().resolved_llamacpp_model_path
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--model_alias",
        "smollm2",
    ]
    log = tmp_path / "llama_server.log"
    # A file, not a pipe: the server logs freely and would block on a full pipe nobody reads.
    with log.open("wb") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_up(server, base_url, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(server: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"llama_cpp.server exited early: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"llama_cpp.server did not start in time: {log.read_text(errors='replace')[-2000:]}")


@pytest.mark.slow
def test_openai_backend_answers_through_llama_cpp_server(llama_server: str, embeddings: Embeddings) -> None:
    config = settings(backend="openai", openai_base_url=llama_server, openai_model="smollm2", llm_max_tokens=128)
    model = build_chat_model(config)
    assert model is not None
    items = list(generative(model, embeddings, "openai").stream(QUESTION, HITS))
    assert any(isinstance(i, Token) and i.text for i in items[:-1]), "no tokens streamed"
    assert isinstance(items[-1], Final)
    assert_verified_answer(items[-1].answer, "openai")
