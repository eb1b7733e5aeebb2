"""The web UI (Gradio): chat with sources, readiness interviews, consultant workspace and knowledge browser."""

from __future__ import annotations

import os

# Gradio reads this whenever a page is built; set here, before any UI module imports gradio: no usage reports.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from fastapi import FastAPI
from starlette.routing import Mount

from advisor.service import Advisor


def mount_ui(app: FastAPI, advisor: Advisor, path: str = "/") -> FastAPI:
    """Build the web UI over `advisor` and mount it into `app` at `path`, behind sign-in once any API key exists.

    Whether a key exists is asked on every request, so `advisor keys create` closes a running UI at once.
    """
    import gradio as gr

    from advisor.ui import browser_scripts
    from advisor.ui.page import CSS, build_page, theme
    from advisor.ui.sessions import Sessions
    from advisor.ui.signin import SignInGate, add_sign_in

    sessions = Sessions(advisor.keys, path)
    add_sign_in(app, advisor, sessions, path)  # before the mount, which would otherwise take these paths
    gr.mount_gradio_app(
        app,
        build_page(advisor, path.rstrip("/") + "/logout"),
        path=path,
        theme=theme(),
        css=CSS + browser_scripts.CSS,
        head=browser_scripts.HEAD,
        footer_links=[],
        show_error=True,
        ssr_mode=False,
        auth_dependency=sessions.owner,
    )
    mounted = next(r for r in app.router.routes if isinstance(r, Mount) and r.path == path.rstrip("/"))
    mounted.app = SignInGate(mounted.app, advisor, sessions, path)
    return app


__all__ = ["mount_ui"]
