"""Against a live uvicorn on loopback: the official `openai` client, and schemathesis with all checks."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from loopback import free_port, uvicorn_in_thread

from advisor.api import create_app
from advisor.api.server import build_app
from advisor.service import Advisor

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent
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
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens


def test_openai_client_streams_a_completion(live_url: str, advisor: Advisor) -> None:
    from openai import OpenAI

    _, key = advisor.keys.create("openai-test")  # and the key is honoured as the OpenAI api_key
    client = OpenAI(base_url=f"{live_url}/v1", api_key=key, max_retries=0)
    chunks = list(
        client.chat.completions.create(
            model="bpo-advisor",
            messages=[{"role": "user", "content": QUESTION}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    contents = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(contents) >= 2 and "India" in "".join(contents)
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert (chunks[-2].model_extra or {})["bpo_sources"][0]["source"] == "offshore.md"
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_openai_client_without_the_key_gets_an_authentication_error(live_url: str, advisor: Advisor) -> None:
    import openai

    advisor.keys.create("someone")
    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key="bpo_wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="invalid or revoked API key"):
        client.chat.completions.create(model="bpo-advisor", messages=[{"role": "user", "content": QUESTION}])


class _Counted:
    """ASGI wrapper counting the requests the server answered, and those it answered with a 5xx."""

    def __init__(self, app: Any) -> None:
        self.app, self.requests, self.server_errors = app, 0, 0

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        self.requests += 1

        async def counting_send(message: dict) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 500:
                self.server_errors += 1
            await send(message)

        await self.app(scope, receive, counting_send)


def test_schemathesis_with_all_checks_finds_no_server_error_or_schema_violation(
    advisor: Advisor, tmp_path: Path
) -> None:
    # The app as served (web UI mounted), with a key so the auth checks have something to check.
    advisor.settings = advisor.settings.model_copy(update={"rate_limit_per_minute": 1_000_000})
    _, key = advisor.keys.create("fuzz")
    app = _Counted(build_app(advisor))
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    with uvicorn_in_thread(config) as url:
        command = [
            str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(HERE / "schemathesis.toml"),
            "run", f"{url}/openapi.json", "-H", f"Authorization: Bearer {key}", "--checks", "all",
            "--max-examples", "80", "--seed", "7", "--phases", "examples,coverage,fuzzing", "--workers", "1",
            "--generation-database", "none", "--report", "json", "--report-dir", str(tmp_path), "--no-color",
        ]  # fmt: skip
        # Run from tmp_path: schemathesis keeps its crash cache in ./.schemathesis, which must not touch the repo.
        result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path)
    [report_path] = tmp_path.glob("*.json")
    report = json.loads(report_path.read_text())
    print(f"schemathesis: {report['test_cases']['generated']} test cases, {app.requests} requests, "
          f"{app.server_errors} server errors, {len(report['failures'])} failures")  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert report["failures"] == [] and report["errors"] == []
    assert app.requests >= 1000 and app.server_errors == 0
