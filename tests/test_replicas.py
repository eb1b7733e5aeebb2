"""Two app processes on real PostgreSQL, Redis and a Chroma server serve the same users (README: beyond one machine).

The topology of deploy/: every replica gets the same ADVISOR_DATABASE_URL, ADVISOR_CHROMA_URL,
ADVISOR_RATE_LIMIT_URL and knowledge folder, and a data dir of its own (as on another machine). Keys and
ingests go through the CLI run with one replica's settings, since the REST API neither makes keys nor ingests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import SAMPLE_KB
from loopback import chroma_server, free_port, postgres_server, redis_server, wait_until

from advisor.ui.sessions import COOKIE

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
RATE_LIMIT = 12  # requests per minute per key; each test below uses a key of its own
PRICING = """---
title: Pricing models
topic: pricing
summary: How outsourcing providers charge.
---
## What is per-FTE pricing?
Per-FTE pricing charges a fixed monthly rate for each full-time agent the provider staffs.
"""


@dataclass
class Replica:
    """One `advisor serve` process and the settings (environment) it was started with."""

    name: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    url: str

    def get(self, path: str, key: str | None = None) -> httpx.Response:
        """GET a path of this replica, with the API key when given."""
        return httpx.get(f"{self.url}{path}", headers=_bearer(key), timeout=30)

    def post(self, path: str, body: dict[str, object], key: str | None = None) -> httpx.Response:
        """POST JSON to a path of this replica, with the API key when given."""
        return httpx.post(f"{self.url}{path}", json=body, headers=_bearer(key), timeout=60)


@dataclass
class Cluster:
    """The shared services' settings, the knowledge folder and the two replicas."""

    root: Path
    knowledge_dir: Path
    a: Replica
    b: Replica

    def cli(self, replica: Replica, *args: str) -> str:
        """Run `python -m advisor ARGS` with one replica's settings; returns its stdout (fails on a non-zero exit)."""
        done = subprocess.run([sys.executable, "-m", "advisor", *args], env=replica.env, cwd=self.root,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, f"advisor {' '.join(args)}: {done.stderr[-2000:]}"
        return done.stdout

    def create_key(self, replica: Replica, name: str) -> str:
        """`advisor keys create NAME` with one replica's settings; returns the key."""
        return self.cli(replica, "keys", "create", name).strip()


def _bearer(key: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"} if key else {}


def _settings(root: Path, name: str, shared: dict[str, str]) -> dict[str, str]:
    """One replica's environment: the shared settings and a data dir of its own (nothing inherited but PATH)."""
    data_dir = root / f"data-{name}"
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),  # the code under test, whichever checkout the venv was installed from
        "HOME": str(root),
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        **shared,
        "ADVISOR_DATA_DIR": str(data_dir),
        "ADVISOR_SERVE_THREADS": "2",
    }


def _start(root: Path, name: str, env: dict[str, str]) -> Replica:
    port = free_port()
    log = (root / f"{name}.log").open("wb")
    command = [sys.executable, "-m", "advisor", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    return Replica(name, env, process, f"http://127.0.0.1:{port}")


def _ready(replica: Replica) -> bool:
    return replica.get("/readyz").status_code == 200


def _stop(replica: Replica) -> None:
    if replica.process.poll() is None:
        replica.process.send_signal(signal.SIGKILL)
    replica.process.wait(timeout=20)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """PostgreSQL, Redis and Chroma on loopback ports, a first ingest by the CLI, two replicas; all stopped after."""
    root = tmp_path_factory.mktemp("replicas")
    knowledge_dir = root / "knowledge"
    knowledge_dir.mkdir()
    for name in ("nearshore.md", "offshore.md", "benefits.md"):
        (knowledge_dir / name).write_text(SAMPLE_KB[name], encoding="utf-8")
    with postgres_server() as database_url, redis_server(root / "redis") as redis_url, \
            chroma_server(root / "chroma") as chroma_url:  # fmt: skip
        shared = {
            "ADVISOR_DATABASE_URL": database_url,
            "ADVISOR_CHROMA_URL": chroma_url,
            "ADVISOR_RATE_LIMIT_URL": redis_url,
            "ADVISOR_KNOWLEDGE_DIR": str(knowledge_dir),
            "ADVISOR_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
            "ADVISOR_REFRESH_SECONDS": "1",
        }
        env_a, env_b = _settings(root, "a", shared), _settings(root, "b", shared)
        replicas: list[Replica] = []
        try:
            # As in deploy/: a one-off ingest, then the replicas (which would each ingest an empty index).
            first = subprocess.run([sys.executable, "-m", "advisor", "ingest"], env=env_a, cwd=root,
                                   capture_output=True, text=True, timeout=300)  # fmt: skip
            assert first.returncode == 0, first.stderr[-2000:]
            replicas = [_start(root, "a", env_a), _start(root, "b", env_b)]
            for replica in replicas:
                wait_until(lambda r=replica: _ready(r), replica.process, f"replica {replica.name}", timeout=120)
            yield Cluster(root, knowledge_dir, *replicas)
        finally:
            for replica in replicas:
                _stop(replica)


def test_a_key_created_beside_one_replica_works_on_the_other_at_once(cluster: Cluster) -> None:
    key = cluster.create_key(cluster.a, "key-test")

    assert cluster.b.get("/v1/conversations", key).status_code == 200
    assert cluster.b.get("/v1/conversations").status_code == 401
    assert cluster.a.get("/v1/conversations").status_code == 401
    assert cluster.b.get("/v1/conversations", "not-a-key").status_code == 401


def test_a_web_ui_session_signed_in_on_one_replica_is_accepted_by_the_other(cluster: Cluster) -> None:
    key = cluster.create_key(cluster.b, "ui-test")
    signed_in = httpx.post(f"{cluster.a.url}/login", data={"key": key}, follow_redirects=False, timeout=30)
    assert signed_in.status_code == 303
    cookie = {"Cookie": f"{COOKIE}={signed_in.cookies[COOKIE]}"}

    assert httpx.get(f"{cluster.b.url}/config", headers=cookie, timeout=30).status_code == 200
    assert httpx.get(f"{cluster.b.url}/config", timeout=30).status_code == 401


def test_a_conversation_started_on_one_replica_continues_on_the_other(cluster: Cluster) -> None:
    key = cluster.create_key(cluster.a, "conversation-test")
    first = cluster.a.post("/v1/ask", {"question": "What is nearshore outsourcing?"}, key)
    assert first.status_code == 200, first.text
    conversation_id = first.json()["conversation_id"]

    follow_up = cluster.b.post("/v1/ask", {"question": "And its downsides?", "conversation_id": conversation_id}, key)

    assert follow_up.status_code == 200, follow_up.text
    assert follow_up.json()["conversation_id"] == conversation_id
    assert not follow_up.json()["refused"]
    assert follow_up.json()["citations"][0]["source"] == "nearshore.md"
    stored = cluster.a.get(f"/v1/conversations/{conversation_id}", key).json()
    assert [m["role"] for m in stored["messages"]] == ["user", "assistant", "user", "assistant"]
    assert stored["messages"][2]["text"] == "And its downsides?"


def test_the_rate_limit_counts_requests_on_both_replicas_together(cluster: Cluster) -> None:
    key = cluster.create_key(cluster.b, "limit-test")
    replicas = [cluster.a, cluster.b]

    statuses = [replicas[n % 2].get("/v1/conversations", key).status_code for n in range(RATE_LIMIT // 2 + 2)]

    assert statuses == [200] * (RATE_LIMIT // 2 + 2)
    # The rest of the minute's allowance, asked for twice over, at once, on both replicas.
    with ThreadPoolExecutor(max_workers=8) as pool:
        burst = list(pool.map(lambda n: replicas[n % 2].get("/v1/conversations", key), range(RATE_LIMIT)))
    served = [r.status_code for r in burst]
    assert sorted(served) == [200] * (RATE_LIMIT // 2 - 2) + [429] * (RATE_LIMIT // 2 + 2)
    refused = cluster.a.get("/v1/conversations", key)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_a_file_ingested_beside_one_replica_is_answered_by_the_other(cluster: Cluster) -> None:
    key = cluster.create_key(cluster.a, "ingest-test")
    question = {"question": "What is per-FTE pricing?"}
    assert cluster.b.post("/v1/search", {"query": "per-FTE pricing", "k": 1}, key).json()["hits"][0]["source"] != (
        "pricing.md"
    )
    (cluster.knowledge_dir / "pricing.md").write_text(PRICING, encoding="utf-8")

    cluster.cli(cluster.a, "ingest")

    # Replica b looks for a newer generation at most every ADVISOR_REFRESH_SECONDS (1 s here).
    answer = _poll(lambda: cluster.b.post("/v1/ask", question, key).json(), _answered, timeout=6)
    assert answer["citations"][0]["source"] == "pricing.md"
    assert "fixed monthly rate" in answer["answer"]
    # Dense retrieval reads the Chroma server live; the topics and the keyword index are b's own snapshot.
    assert "pricing" in cluster.b.get("/v1/topics", key).json()["topics"]
    keyword = cluster.b.post("/v1/search", {"query": "per-FTE pricing", "k": 1, "mode": "keyword"}, key)
    assert keyword.json()["hits"][0]["source"] == "pricing.md"
    ready = cluster.b.get("/readyz").json()
    assert ready["index"] == "complete" and ready["generation"] == cluster.a.get("/readyz").json()["generation"]


def test_kill_9_of_one_replica_loses_nothing_it_acknowledged(cluster: Cluster) -> None:
    key = cluster.create_key(cluster.a, "kill-test")
    asked = cluster.a.post("/v1/ask", {"question": "How much can outsourcing save?"}, key)
    assert asked.status_code == 200, asked.text
    reply = asked.json()
    rating = {"message_id": reply["message_id"], "rating": "up", "comment": "clear"}
    assert cluster.a.post("/v1/feedback", rating, key).status_code == 201
    late_key = cluster.create_key(cluster.a, "kill-test-late")

    cluster.a.process.send_signal(signal.SIGKILL)
    cluster.a.process.wait(timeout=20)

    stored = cluster.b.get(f"/v1/conversations/{reply['conversation_id']}", key)
    assert stored.status_code == 200
    assert [m["text"] for m in stored.json()["messages"]] == ["How much can outsourcing save?", reply["answer"]]
    feedback = cluster.b.get("/v1/feedback", key).json()
    assert [(f["message_id"], f["rating"], f["comment"]) for f in feedback] == [(reply["message_id"], "up", "clear")]
    assert cluster.b.get("/v1/conversations", late_key).status_code == 200


def _answered(body: dict[str, object]) -> bool:
    return body.get("refused") is False


def _poll(fetch: Callable[[], dict[str, object]], done: Callable[[dict[str, object]], bool], timeout: float) -> dict:
    """Call ``fetch`` until ``done`` holds for its result (the last result when the time runs out)."""
    deadline = time.monotonic() + timeout
    result = fetch()
    while not done(result) and time.monotonic() < deadline:
        time.sleep(1)
        result = fetch()
    return result
