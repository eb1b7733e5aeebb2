"""The API docs work offline: /docs and /redoc load every script, style and icon from the app itself."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

_REFERENCE = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|url:\s*['"]([^'"]+)['"]""")


def _references(page: str) -> list[str]:
    return [a or b for a, b in _REFERENCE.findall(page)]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_page_and_every_asset_it_references_come_from_the_app(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    urls = _references(page.text)
    assert urls and "/openapi.json" in urls
    assert [u for u in urls if urlsplit(u).netloc] == []  # no CDN, no fonts from elsewhere
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_swagger_bundle_is_a_version_that_reads_openapi_3_1(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
    bundle = client.get("/docs-assets/swagger-ui-bundle.js").text
    assert re.search(r'"5\.\d+\.\d+"', bundle)
