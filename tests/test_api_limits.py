"""Rate limits, quotas and failed-login throttling (the `limits` library), and client addresses behind proxies."""

from __future__ import annotations

import contextlib
import ipaddress
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from loopback import free_port, redis_server, uvicorn_in_thread

from advisor.api import create_app
from advisor.api.limits import Limited, RequestLimits
from advisor.api.proxies import forwarded_client
from advisor.api.server import uvicorn_config
from advisor.service import Advisor

MakeClient = Callable[..., TestClient]
PROXIES = [ipaddress.ip_network("10.0.0.0/8")]


@pytest.fixture
def live_url(advisor: Advisor) -> Iterator[str]:
    """The API served as `serve` serves it (uvicorn_config), on a loopback port, with 3 requests a minute."""
    settings = advisor.settings.model_copy(update={"rate_limit_per_minute": 3})
    with uvicorn_in_thread(uvicorn_config(create_app(advisor, settings), "127.0.0.1", free_port(), "warning")) as url:
        yield url


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_client_rotating_x_forwarded_for_is_still_limited(live_url: str) -> None:
    statuses = [
        httpx.get(f"{live_url}/v1/topics", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(1, 6)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(advisor: Advisor) -> None:
    settings = advisor.settings.model_copy(update={"rate_limit_per_minute": 2, "trusted_proxies": ["10.0.0.0/8"]})
    app = create_app(advisor, settings)
    proxy = TestClient(app, client=("10.1.2.3", 40000))
    stranger = TestClient(app, client=("203.0.113.7", 40000))

    def status(client: TestClient, forwarded: str) -> int:
        return client.get("/v1/topics", headers={"X-Forwarded-For": forwarded}).status_code

    assert [status(proxy, "198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert status(proxy, "198.51.100.2") == 200  # another client behind the proxy has its own allowance
    assert [status(stranger, f"198.51.100.{n}") for n in range(10, 13)] == [200, 200, 429]


def test_the_client_is_the_nearest_hop_that_is_not_a_trusted_proxy() -> None:
    assert forwarded_client("10.0.0.1", "192.0.2.5, 10.0.0.7", PROXIES) == "192.0.2.5"
    assert forwarded_client("10.0.0.1", "6.6.6.6, 192.0.2.5", PROXIES) == "192.0.2.5"  # a forged left hop is skipped
    assert forwarded_client("192.0.2.9", "6.6.6.6", PROXIES) == "192.0.2.9"
    assert forwarded_client("10.0.0.1", None, PROXIES) == "10.0.0.1"
    assert forwarded_client("testclient", "6.6.6.6", PROXIES) == "testclient"


def test_repeated_bad_api_keys_get_429_with_retry_after(make_client: MakeClient, advisor: Advisor) -> None:
    _, key = advisor.keys.create("alice")
    client = make_client(failed_logins_per_minute=3, rate_limit_per_minute=1000)
    bad = [client.get("/v1/topics", headers=_bearer(f"bpo_guess{n}")).status_code for n in range(3)]
    assert bad == [401, 401, 401]

    throttled = client.get("/v1/topics", headers=_bearer("bpo_guess4"))
    assert throttled.status_code == 429
    assert throttled.json()["error"]["type"] == "rate_limited"
    assert "failed sign-ins" in throttled.json()["error"]["message"]
    assert 1 <= int(throttled.headers["retry-after"]) <= 60
    assert client.get("/v1/topics", headers=_bearer(key)).status_code == 429  # even a right key, from there
    other = TestClient(client.app, client=("192.0.2.44", 50000))
    assert other.get("/v1/topics", headers=_bearer(key)).status_code == 200


def test_a_missing_key_is_not_counted_as_a_failed_sign_in(make_client: MakeClient, advisor: Advisor) -> None:
    _, key = advisor.keys.create("alice")
    client = make_client(failed_logins_per_minute=2)
    assert [client.get("/v1/topics").status_code for _ in range(4)] == [401] * 4
    assert client.get("/v1/topics", headers=_bearer(key)).status_code == 200


def test_a_daily_quota_answers_429_once_used_up(make_client: MakeClient) -> None:
    client = make_client(rate_limit_per_minute=100, quota_per_day=2)
    assert [client.get("/v1/topics").status_code for _ in range(2)] == [200, 200]
    limited = client.get("/v1/topics")
    assert limited.status_code == 429
    assert "daily quota of 2 requests" in limited.json()["error"]["message"]
    assert int(limited.headers["retry-after"]) > 3600


def test_the_rate_limit_counts_across_apps_sharing_redis(advisor: Advisor, tmp_path: Path) -> None:
    with redis_server(tmp_path / "redis") as url:
        settings = advisor.settings.model_copy(update={"rate_limit_per_minute": 3, "rate_limit_url": url})
        first, second = (TestClient(create_app(advisor, settings)) for _ in range(2))
        statuses = [client.get("/v1/topics").status_code for client in (first, second, first, second)]
        assert statuses == [200, 200, 200, 429]


def test_an_unreachable_rate_limit_store_answers_503_not_500(make_client: MakeClient) -> None:
    client = make_client(raise_server_exceptions=False, rate_limit_url=f"redis://127.0.0.1:{free_port()}/0")
    response = client.get("/v1/topics")
    assert response.status_code == 503
    assert "rate-limit store is unavailable" in response.json()["error"]["message"]


def test_concurrent_requests_through_two_limiters_sharing_redis_never_pass_more_than_the_limit(
    advisor: Advisor, tmp_path: Path
) -> None:
    with redis_server(tmp_path / "redis") as url:
        settings = advisor.settings.model_copy(update={"rate_limit_per_minute": 10, "rate_limit_url": url})
        replicas = [RequestLimits(settings), RequestLimits(settings)]
        start, passed = threading.Barrier(40), []

        def request(n: int) -> None:
            start.wait()
            with contextlib.suppress(Limited):
                replicas[n % 2].take("key:burst")
                passed.append(n)

        threads = [threading.Thread(target=request, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(passed) == 10
