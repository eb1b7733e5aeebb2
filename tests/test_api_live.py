"""Against a live uvicorn on loopback: the official `openai` client, and a schemathesis fuzz finding no 5xx."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from loopback import free_port, uvicorn_in_thread

from advisor.api import create_app
from advisor.service import Advisor

pytestmark = pytest.mark.slow
QUESTION = "Which countries are popular for offshore outsourcing?"


@pytest.fixture
def live_url(advisor: Advisor) -> Iterator[str]:
    """The API served by uvicorn in a thread on a free loopback port, stopped after the test."""
    settings = advisor.settings.model_copy(update={"rate_limit_per_minute": 100_000})
    config = uvicorn.Config(create_app(advisor, settings), host="127.0.0.1", port=free_port(), log_level="warning")
    with uvicorn_in_thread(config) as url:
        yield url


def test_openai_client_gets_a_completion_with_sources(live_url: str) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=f"{live_url}/v1", api_key="unused-without-keys", max_retries=0)
    completion = client.chat.completions.create(model="bpo-advisor", messages=[{"role": "user", "content": QUESTION}])
    assert "India" in (completion.choices[0].message.content or "")
    assert completion.choices[0].finish_reason == "stop"
    assert (completion.model_extra or {})["bpo_sources"][0]["source"] == "offshore.md"


def test_openai_client_streams_a_completion(live_url: str, advisor: Advisor) -> None:
    from openai import OpenAI

    _, key = advisor.keys.create("openai-test")  # and the key is honoured as the OpenAI api_key
    client = OpenAI(base_url=f"{live_url}/v1", api_key=key, max_retries=0)
    chunks = list(
        client.chat.completions.create(
            model="bpo-advisor", messages=[{"role": "user", "content": QUESTION}], stream=True
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "India" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["bpo_sources"][0]["source"] == "offshore.md"


def test_openai_client_without_the_key_gets_an_authentication_error(live_url: str, advisor: Advisor) -> None:
    import openai

    advisor.keys.create("someone")
    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key="bpo_wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="invalid or revoked API key"):
        client.chat.completions.create(model="bpo-advisor", messages=[{"role": "user", "content": QUESTION}])


def test_fuzzing_the_openapi_schema_finds_no_server_error(live_url: str) -> None:
    # The schemathesis CLI (its pytest plugin does not support this pytest), bounded by examples and time.
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run", f"{live_url}/openapi.json",
        "--checks", "not_a_server_error", "--max-examples", "10", "--max-time", "35", "--seed", "7",
        "--phases", "examples,coverage,fuzzing", "--no-color",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
