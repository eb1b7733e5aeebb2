"""Settings: defaults, environment overrides and errors that name the setting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from advisor.settings import SettingsError, load_settings


def test_defaults_use_the_repo_folders_and_the_bundled_model(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.knowledge_dir == Path("knowledge") and settings.data_dir == Path("data")
    assert Path(settings.resolved_embedding_model).is_dir()
    assert settings.resolved_database_url == "sqlite:///data/advisor.db"
    assert settings.chroma_url is None and settings.backend == "extractive"


def test_environment_variables_with_the_prefix_override_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_TOP_K", "7")
    monkeypatch.setenv("ADVISOR_CHROMA_URL", "http://127.0.0.1:8000")
    settings = load_settings()
    assert settings.top_k == 7 and settings.chroma_url == "http://127.0.0.1:8000"


def test_no_proxy_is_trusted_unless_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().trusted_proxies == [] and load_settings().rate_limit_url is None
    monkeypatch.setenv("ADVISOR_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.5")
    assert load_settings().trusted_proxies == ["10.0.0.0/8", "192.168.1.5"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADVISOR_TOP_K", "0"),
        ("ADVISOR_PORT", "70000"),
        ("ADVISOR_CHROMA_URL", "localhost:8000"),
        ("ADVISOR_BACKEND", "gpt-banana"),
        ("ADVISOR_CHUNK_SIZE", "big"),
        ("ADVISOR_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal"),
        ("ADVISOR_RATE_LIMIT_URL", "localhost:6379"),
    ],
)
def test_invalid_values_fail_with_the_setting_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings()


def test_overlap_must_be_smaller_than_chunk_size() -> None:
    with pytest.raises(SettingsError, match="chunk_overlap"):
        load_settings(chunk_size=500, chunk_overlap=500)


def test_serving_uses_one_thread_per_core_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    assert load_settings().resolved_serve_threads == 3
    monkeypatch.setenv("ADVISOR_SERVE_THREADS", "4")
    assert load_settings().resolved_serve_threads == 4


def test_the_embedding_environment_keeps_the_hub_offline_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TOKENIZERS_PARALLELISM", raising=False)
    load_settings().apply_embedding_environment()
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TOKENIZERS_PARALLELISM"] == "false"
