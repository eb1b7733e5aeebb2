"""Who is using the web UI: sessions signed in with an API key, and the owner of each request and event."""

from __future__ import annotations

import hashlib
import hmac
import time

import gradio as gr
from starlette.requests import HTTPConnection
from starlette.responses import Response

from advisor.storage import LOCAL_OWNER, KeyStore

COOKIE = "bpo_advisor_session"
SESSION_SECONDS = 12 * 3600


class Sessions:
    """Signed, HttpOnly session cookies naming an API key; the owner of a request is decided on every request.

    A session is ``key_id.expires.signature``, signed with a secret derived from the key's stored hash: a
    revoked key ends its sessions at once, and every replica sharing the database accepts the same cookie.
    """

    def __init__(self, keys: KeyStore, path: str = "/") -> None:
        self.keys = keys
        self.path = path

    def owner(self, connection: HTTPConnection) -> str | None:
        """The owner of this request: "local" while no key exists, else the signed-in key's id, else None."""
        if not self.keys.any_active():
            return LOCAL_OWNER
        return self.key_of(connection.cookies.get(COOKIE))

    def key_of(self, cookie: str | None) -> str | None:
        """The id of the active key a session cookie was signed for, if it is genuine and unexpired."""
        key_id, _, rest = (cookie or "").partition(".")
        expires, _, signature = rest.partition(".")
        if not key_id or not expires.isdigit() or int(expires) < time.time():
            return None
        secret = self.keys.signing_secret(key_id)
        if secret is None or not hmac.compare_digest(signature, _sign(secret, key_id, expires)):
            return None
        return key_id

    def start(self, response: Response, key_id: str, secure: bool) -> None:
        """Set the session cookie of a key that has just signed in."""
        secret = self.keys.signing_secret(key_id)
        if secret is None:
            raise LookupError(f"no active key with id {key_id!r}")
        expires = str(int(time.time()) + SESSION_SECONDS)
        value = f"{key_id}.{expires}.{_sign(secret, key_id, expires)}"
        response.set_cookie(
            COOKIE, value, max_age=SESSION_SECONDS, path=self.path, httponly=True, secure=secure, samesite="lax"
        )

    def end(self, response: Response) -> None:
        """Clear the session cookie (signing out)."""
        response.delete_cookie(COOKIE, path=self.path, httponly=True, samesite="lax")


def request_owner(request: gr.Request | None) -> str:
    """The owner of a UI event: who Gradio was told signed in (`Sessions.owner`) when the event was sent."""
    owner = getattr(request, "username", None) if request is not None else None
    if not owner:
        # Every event passes the sign-in check first; one without an owner must not touch anyone's data.
        raise gr.Error("Your session has ended. Reload the page to sign in again.", title="Signed out")
    return str(owner)


def _sign(secret: bytes, key_id: str, expires: str) -> str:
    return hmac.new(secret, f"{key_id}.{expires}".encode(), hashlib.sha256).hexdigest()
