"""Signing in to the web UI with an API key: decided per request, throttled, ended by sign-out or revocation."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from advisor.api import create_app
from advisor.service import Advisor
from advisor.ui import downloads, mount_ui
from advisor.ui.sessions import COOKIE


def _ui(advisor: Advisor, **overrides: object) -> TestClient:
    settings = advisor.settings.model_copy(update=overrides)
    app = create_app(advisor, settings)
    mount_ui(app, advisor)
    return TestClient(app, follow_redirects=False)


def _sign_in(client: TestClient, key: str) -> httpx.Response:
    return client.post("/login", data={"key": key})


@pytest.fixture
def ui(advisor: Advisor) -> TestClient:
    """The API with the web UI mounted at "/", not following redirects, on the default limits."""
    return _ui(advisor)


def test_without_keys_the_ui_is_open_and_has_nothing_to_sign_in_to(ui: TestClient) -> None:
    assert ui.get("/").status_code == 200
    assert ui.get("/config").status_code == 200
    assert ui.get("/login").headers["location"] == "/"


def test_a_key_created_on_a_running_app_closes_the_ui_at_once(ui: TestClient, advisor: Advisor) -> None:
    assert ui.get("/config").status_code == 200
    _, key = advisor.keys.create("alice")  # what `advisor keys create alice` does to the same database

    page = ui.get("/")
    assert page.status_code == 303 and page.headers["location"] == "/login"
    assert ui.get("/config").status_code == 401
    assert ui.post("/gradio_api/queue/join", json={}).status_code == 401
    assert 'name="key"' in ui.get("/login").text

    signed_in = _sign_in(ui, key)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    assert ui.get("/").status_code == 200
    assert ui.get("/config").status_code == 200


def test_the_session_cookie_is_http_only_and_never_holds_the_key(ui: TestClient, advisor: Advisor) -> None:
    _, key = advisor.keys.create("alice")
    cookie = _sign_in(ui, key).headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert key not in cookie and key.removeprefix("bpo_") not in cookie


def test_behind_a_trusted_tls_proxy_the_session_cookie_is_secure_and_a_client_cannot_claim_https(
    advisor: Advisor,
) -> None:
    _, key = advisor.keys.create("alice")
    proxied = _ui(advisor, trusted_proxies=["10.0.0.0/8"])
    from_proxy = TestClient(proxied.app, client=("10.1.2.3", 40000), follow_redirects=False)
    from_client = TestClient(proxied.app, client=("192.0.2.7", 40000), follow_redirects=False)
    https = {"X-Forwarded-Proto": "https"}

    assert "Secure" in from_proxy.post("/login", data={"key": key}, headers=https).headers["set-cookie"]
    assert "Secure" not in from_proxy.post("/login", data={"key": key}).headers["set-cookie"]
    assert "Secure" not in from_client.post("/login", data={"key": key}, headers=https).headers["set-cookie"]


def test_a_forged_or_tampered_session_is_refused(ui: TestClient, advisor: Advisor) -> None:
    key_id, key = advisor.keys.create("alice")
    _sign_in(ui, key)
    genuine = ui.cookies[COOKIE]
    ui.cookies.clear()
    _, expires, signature = genuine.split(".")
    for forged in (f"{key_id}.{int(expires) + 3600}.{signature}", f"{key_id}.{expires}.{'0' * 64}", key_id, key):
        ui.cookies.set(COOKIE, forged)
        assert ui.get("/config").status_code == 401, forged
    ui.cookies.set(COOKIE, genuine)
    assert ui.get("/config").status_code == 200


def test_a_bad_key_is_answered_401_with_the_form_and_a_message(ui: TestClient, advisor: Advisor) -> None:
    advisor.keys.create("alice")
    refused = _sign_in(ui, "bpo_not-a-key")
    assert refused.status_code == 401
    assert "not valid, or it has been revoked" in refused.text and 'name="key"' in refused.text
    assert COOKIE not in refused.headers.get("set-cookie", "")
    assert ui.get("/config").status_code == 401


def test_failed_sign_ins_are_throttled_per_client_with_429_and_retry_after(advisor: Advisor) -> None:
    _, key = advisor.keys.create("alice")
    ui = _ui(advisor, failed_logins_per_minute=2)
    assert [_sign_in(ui, f"bpo_guess{n}").status_code for n in range(2)] == [401, 401]

    throttled = _sign_in(ui, key)
    assert throttled.status_code == 429
    assert "failed sign-ins" in throttled.json()["error"]["message"]
    assert 1 <= int(throttled.headers["retry-after"]) <= 60
    elsewhere = TestClient(ui.app, client=("192.0.2.44", 50000), follow_redirects=False)
    assert _sign_in(elsewhere, key).status_code == 303


def test_revoking_a_key_ends_its_ui_sessions(ui: TestClient, advisor: Advisor) -> None:
    _, key = advisor.keys.create("alice")
    advisor.keys.create("bob")
    _sign_in(ui, key)
    assert ui.get("/config").status_code == 200
    advisor.keys.revoke("alice")
    assert ui.get("/config").status_code == 401
    assert ui.get("/").headers["location"] == "/login"


def test_signing_out_clears_the_session(ui: TestClient, advisor: Advisor) -> None:
    _, key = advisor.keys.create("alice")
    _sign_in(ui, key)
    signed_out = ui.get("/logout")
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login"
    assert COOKIE not in ui.cookies
    assert ui.get("/config").status_code == 401


def test_a_file_of_someone_elses_data_is_not_served(ui: TestClient, advisor: Advisor) -> None:
    alice_id, alice = advisor.keys.create("alice")
    _, bob = advisor.keys.create("bob")
    assessment = advisor.assessments.start("Acme", owner=alice_id).id
    conversation = advisor.conversations.create(alice_id)
    names = [f"readiness-acme-{assessment}.pdf", f"radar-{assessment}.png", f"conversation-{conversation}.md"]
    _sign_in(ui, bob)
    for name in names:
        response = ui.get(f"/gradio_api/file=/tmp/gradio/0123abcd/{name}")
        assert response.status_code == 404 and response.json()["error"]["message"] == "no such file", name
    ui.cookies.clear()
    _sign_in(ui, alice)
    for name in names:  # past the owner check: Gradio itself then refuses a file that is not in its cache
        assert ui.get(f"/gradio_api/file=/tmp/gradio/0123abcd/{name}").status_code == 403, name


def test_the_ui_only_writes_files_whose_names_say_whose_data_they_hold(advisor: Advisor) -> None:
    assessment = advisor.assessments.start("Acme Ltd").id
    other = advisor.assessments.start("Acme Ltd").id
    for name in (f"readiness-acme-ltd-{assessment}.html", f"comparison-{assessment}-{other}.pdf"):
        assert downloads.owned_by(advisor, name, "local")
        assert not downloads.owned_by(advisor, name, "someone-else")
    with pytest.raises(ValueError, match="not a name the UI may hand out"):
        downloads.write_file(b"data", "notes.txt")
