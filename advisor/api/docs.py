"""The API's interactive docs served by the app itself: Swagger UI at /docs and ReDoc at /redoc, no CDN.

The Swagger UI and ReDoc bundles come from the `fastapi-offline` package's static folder.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"


def add_docs(app: FastAPI) -> None:
    """Serve /docs and /redoc with their scripts, styles and icon from `ASSETS` on this app."""
    app.mount(ASSETS, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="docs-assets")
    redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=_url(request, str(app.openapi_url)),
            title=f"{app.title} · docs",
            swagger_js_url=_url(request, f"{ASSETS}/swagger-ui-bundle.js"),
            swagger_css_url=_url(request, f"{ASSETS}/swagger-ui.css"),
            swagger_favicon_url=_url(request, f"{ASSETS}/favicon.png"),
            oauth2_redirect_url=_url(request, redirect),
        )

    @app.get(redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        js, icon = _url(request, f"{ASSETS}/redoc.standalone.js"), _url(request, f"{ASSETS}/favicon.png")
        openapi = _url(request, str(app.openapi_url))
        title = f"{app.title} · reference"
        return get_redoc_html(
            openapi_url=openapi, title=title, redoc_js_url=js, redoc_favicon_url=icon, with_google_fonts=False
        )


def _url(request: Request, path: str) -> str:
    # Behind a proxy that mounts the app under a prefix, links must carry that prefix.
    return f"{request.scope.get('root_path', '')}{path}"
