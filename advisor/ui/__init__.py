"""The web UI (Gradio): chat with sources, readiness interviews, consultant workspace and knowledge browser."""

from __future__ import annotations

import os
from collections.abc import Callable

# Gradio reads this whenever a page is built; set here, before any UI module imports gradio: no usage reports.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from fastapi import FastAPI

from advisor.service import Advisor


def mount_ui(app: FastAPI, advisor: Advisor, path: str = "/") -> FastAPI:
    """Build the web UI over `advisor` and mount it into `app` at `path`."""
    import gradio as gr

    from advisor.ui.page import CSS, build_page, theme

    return gr.mount_gradio_app(
        app,
        build_page(advisor),
        path=path,
        theme=theme(),
        css=CSS,
        footer_links=[],
        show_error=True,
        ssr_mode=False,
        auth=_key_login(advisor) if advisor.keys.any_active() else None,
        auth_message="This advisor is protected: sign in with any user name and an API key as the password.",
    )


def _key_login(advisor: Advisor) -> Callable[[str, str], bool]:
    # Once API keys exist the UI asks for one too, so the page is never more open than the API.
    def login(_username: str, password: str) -> bool:
        return advisor.keys.verify(password) is not None

    return login


__all__ = ["mount_ui"]
