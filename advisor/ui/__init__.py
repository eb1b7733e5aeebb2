"""The web UI (Gradio): chat with sources, readiness interviews, consultant workspace and knowledge browser."""

from __future__ import annotations

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
    )


__all__ = ["mount_ui"]
