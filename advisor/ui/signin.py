"""Signing in to the web UI with an API key: the sign-in page, sign-out, and the gate in front of the Gradio app."""

from __future__ import annotations

import html
import json
from pathlib import PurePosixPath

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from advisor.service import Advisor
from advisor.ui import downloads
from advisor.ui.sessions import Sessions

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · BPO Advisor</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f1f5f9; color: #0f172a;
  display: flex; min-height: 100vh; align-items: center; justify-content: center; margin: 0; }}
form {{ background: #fff; padding: 28px; border-radius: 12px; box-shadow: 0 1px 4px #0002; width: min(420px, 90vw); }}
h1 {{ font-size: 1.3rem; margin: 0 0 6px; }} p {{ color: #475569; font-size: .92rem; }}
input {{ width: 100%; box-sizing: border-box; padding: 10px; border: 1px solid #cbd5e1; border-radius: 8px;
  font-size: 1rem; margin: 6px 0 14px; }}
button {{ background: #4f46e5; color: #fff; border: 0; padding: 10px 18px; border-radius: 8px; font-size: 1rem; }}
.error {{ color: #b91c1c; background: #fef2f2; padding: 8px 10px; border-radius: 8px; }}
</style></head>
<body><form method="post" action="{action}">
<h1>BPO Advisor</h1>
<p>This advisor is protected. Sign in with an API key (from <code>advisor keys create NAME</code>); you will see
the conversations and assessments that belong to that key, in the web UI and through the API.</p>
{error}<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" placeholder="bpo_..." autofocus required>
<button type="submit" id="sign-in">Sign in</button>
</form></body></html>
"""
BAD_KEY = "That API key is not valid, or it has been revoked."


def add_sign_in(app: FastAPI, advisor: Advisor, sessions: Sessions, path: str) -> None:
    """Add the sign-in page (GET and POST ``{path}login``) and sign-out (``{path}logout``) to ``app``.

    A rejected key is answered 401, which the app's LoginThrottle counts as a failed sign-in of the client.
    """
    root = path.rstrip("/") + "/"

    async def show(request: Request) -> Response:
        if not await run_in_threadpool(advisor.keys.any_active):
            return RedirectResponse(root, status_code=303)
        return HTMLResponse(_page(root))

    async def sign_in(request: Request, key: str = Form("")) -> Response:
        if not await run_in_threadpool(advisor.keys.any_active):
            return RedirectResponse(root, status_code=303)
        key_id = await run_in_threadpool(advisor.keys.verify, key.strip()) if key.strip() else None
        if key_id is None:
            return HTMLResponse(_page(root, BAD_KEY), status_code=401)
        response = RedirectResponse(root, status_code=303)
        await run_in_threadpool(sessions.start, response, key_id, request.url.scheme == "https")
        return response

    async def sign_out(request: Request) -> Response:
        response = RedirectResponse(root + "login", status_code=303)
        sessions.end(response)
        return response

    app.add_api_route(root + "login", show, methods=["GET"], include_in_schema=False)
    app.add_api_route(root + "login", sign_in, methods=["POST"], include_in_schema=False)
    app.add_api_route(root + "logout", sign_out, methods=["GET", "POST"], include_in_schema=False)


class SignInGate:
    """ASGI wrapper of the Gradio app: no signed-in owner, no UI; a file download only for the owner of its data.

    A page visit without a session is sent to the sign-in page, anything else answered 401. Gradio checks
    the same owner again through its ``auth_dependency`` and hands it to every event as the user name.
    """

    def __init__(self, app: ASGIApp, advisor: Advisor, sessions: Sessions, path: str) -> None:
        self.app = app
        self.advisor = advisor
        self.sessions = sessions
        self.root = path.rstrip("/") + "/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        owner = await run_in_threadpool(self.sessions.owner, HTTPConnection(scope))
        path = str(scope.get("path", ""))
        if owner is None:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            elif scope.get("method") in ("GET", "HEAD") and path.rstrip("/") == self.root.rstrip("/"):
                await RedirectResponse(self.root + "login", status_code=303)(scope, receive, send)
            else:
                await _refuse(send, 401, "unauthorized", "sign in first: open the page to sign in with an API key")
            return
        if not await run_in_threadpool(self._may_fetch, path, owner):
            await _refuse(send, 404, "not_found", "no such file")
            return
        await self.app(scope, receive, send)

    def _may_fetch(self, path: str, owner: str) -> bool:
        # Only files the UI wrote are checked; Gradio's own rules still decide what it serves at all.
        name = _download_name(path)
        return name is None or not downloads.is_ours(name) or downloads.owned_by(self.advisor, name, owner)


def _download_name(path: str) -> str | None:
    # Gradio serves files at .../file=<path>; the file's name says whose data it holds.
    _, marker, rest = path.partition("/file=")
    return PurePosixPath(rest).name if marker else None


def _page(root: str, error: str | None = None) -> str:
    shown = f'<p class="error" id="sign-in-error" role="alert">{html.escape(error)}</p>' if error else ""
    return _PAGE.format(action=html.escape(root + "login"), error=shown)


async def _refuse(send: Send, status: int, type_: str, message: str) -> None:
    body = json.dumps({"error": {"type": type_, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
