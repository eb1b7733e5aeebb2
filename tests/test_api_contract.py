"""The API keeps the contract its OpenAPI schema states: strict fields, documented errors and events, CORS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from advisor.api.server import build_app
from advisor.service import Advisor

ERROR_KEYS = {"error"}


def _error(response: Any, status: int) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert set(response.json()) == ERROR_KEYS
    return dict(response.json()["error"])


@pytest.fixture
def served(advisor: Advisor) -> Callable[..., TestClient]:
    """The app as `advisor serve` builds it (API with the web UI mounted); keyword arguments override settings."""

    def build(**overrides: object) -> TestClient:
        advisor.settings = advisor.settings.model_copy(update=overrides)
        return TestClient(build_app(advisor))

    return build


def test_nan_and_infinity_are_refused_as_answer_values(client: TestClient) -> None:
    assessment = client.post("/v1/assessments", json={"client": "Acme"}).json()["id"]
    url = f"/v1/assessments/{assessment}/answers"
    for question_id, value in [("ctx_company_size", "NaN"), ("str_objectives", "Infinity"), ("str_objectives", "NaN")]:
        body = f'{{"question_id": "{question_id}", "value": {value}}}'
        response = client.post(url, content=body, headers={"Content-Type": "application/json"})
        assert _error(response, 422)["type"] in {"invalid_request", "invalid_answer"}
    assert client.get(f"/v1/assessments/{assessment}").json()["answers"] == []


def test_the_json_report_is_declared_as_an_object(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/assessments/{assessment_id}/report"]["get"]
    content = operation["responses"]["200"]["content"]
    assert content["application/json"]["schema"]["type"] == "object"
    assert content["text/markdown; charset=utf-8"]["schema"]["type"] == "string"


def test_the_ask_stream_events_are_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/ask"]["post"]
    stream = operation["responses"]["200"]["content"]["text/event-stream"]
    events = {v["properties"]["event"]["const"]: v["properties"]["data"] for v in stream["schema"]["oneOf"]}
    assert set(events) == {"token", "answer", "done", "error"}
    assert "text" in events["token"]["contentSchema"]["properties"]
    assert events["answer"]["contentSchema"] == {"$ref": "#/components/schemas/AskPublic"}
    assert "event: token" in stream["example"] and "event: done" in stream["example"]


@pytest.mark.parametrize(
    ("path", "field", "body"),
    [
        ("/v1/ask", "question", {"question": ""}),
        ("/v1/search", "query", {"query": ""}),
        ("/v1/ask", "question", {"question": "   "}),
    ],
)
def test_empty_text_is_refused_by_the_schema(client: TestClient, path: str, field: str, body: dict) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    model = {"/v1/ask": "AskCreate", "/v1/search": "SearchCreate"}[path]
    assert schemas[model]["properties"][field]["minLength"] == 1 and schemas[model]["properties"][field]["pattern"]
    assert field in _error(client.post(path, json=body), 422)["message"]


def test_an_empty_question_id_is_refused_by_the_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["AnswerCreate"]
    assert schema["properties"]["question_id"]["minLength"] == 1
    assessment = client.post("/v1/assessments", json={"client": "Acme"}).json()["id"]
    response = client.post(f"/v1/assessments/{assessment}/answers", json={"question_id": "", "value": 3})
    assert "question_id" in _error(response, 422)["message"]


def test_malformed_json_gets_the_documented_400(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/ask"]["post"]
    assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorPublic"
    }
    response = client.post("/v1/ask", content=b'{"question": ', headers={"Content-Type": "application/json"})
    assert _error(response, 400)["type"] == "malformed_json"


def test_stream_must_be_a_real_boolean(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "What is nearshore outsourcing?", "stream": "yes"})
    assert "stream" in _error(response, 422)["message"]


def test_unknown_v1_paths_and_methods_get_the_api_error_body(served: Callable[..., TestClient]) -> None:
    client = served()
    assert _error(client.get("/v1/nowhere"), 404)["type"] == "not_found"
    assert _error(client.post("/v1/ask/extra", json={}), 404)["type"] == "not_found"
    for method in ("TRACE", "QUERY", "DELETE", "PUT"):
        response = client.request(method, "/v1/ask")
        assert _error(response, 405)["type"] == "method_not_allowed"
        assert response.headers["allow"] == "POST"
    assert _error(client.request("TRACE", "/healthz"), 405)["type"] == "method_not_allowed"
    assert client.get("/").status_code == 200  # the web UI still owns everything outside the API


def test_cors_is_off_unless_origins_are_configured(served: Callable[..., TestClient]) -> None:
    client = served()
    for origin in ("http://localhost:3000", "http://127.0.0.1:8080", "https://evil.example"):
        preflight = client.options("/v1/ask", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in preflight.headers
        simple = client.get("/v1/topics", headers={"Origin": origin})
        assert "access-control-allow-origin" not in simple.headers
        assert "access-control-allow-credentials" not in simple.headers


def test_cors_allows_configured_origins_without_credentials(served: Callable[..., TestClient]) -> None:
    client = served(cors_origins=["https://app.example.com"])
    allowed = client.get("/v1/topics", headers={"Origin": "https://app.example.com"})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "access-control-allow-credentials" not in allowed.headers
    other = client.get("/v1/topics", headers={"Origin": "http://localhost:3000"})
    assert "access-control-allow-origin" not in other.headers
    with_credentials = served(cors_origins=["https://app.example.com"], cors_allow_credentials=True)
    response = with_credentials.get("/v1/topics", headers={"Origin": "https://app.example.com"})
    assert response.headers["access-control-allow-credentials"] == "true"


def test_gradio_analytics_are_off(served: Callable[..., TestClient]) -> None:
    from gradio import analytics

    served()
    assert analytics.analytics_enabled() is False
