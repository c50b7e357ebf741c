"""Security headers on every response, the cap on non-multipart bodies, and CORS (closed by
default, open to the configured origins' API calls)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.http_hardening import CONTENT_SECURITY_POLICY, MAX_BODY_BYTES
from app.main import create_app


@pytest.mark.parametrize("path", ["/", "/papers/wave-toy", "/api/v1/papers", "/static/css/site.css",
                                  "/nowhere", "/api/v1/nowhere", "/docs", "/openapi.json", "/healthz"])
def test_every_response_carries_the_security_headers(client, path: str) -> None:
    response = client.get(path)
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY and "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # plain HTTP: HSTS would be a lie


def test_hsts_only_over_https(settings) -> None:
    with TestClient(create_app(settings), base_url="https://testserver") as secure:
        assert secure.get("/healthz").headers["strict-transport-security"].startswith("max-age=")


def test_pages_hold_no_inline_script_or_style(client) -> None:
    for path in ("/", "/papers/wave-toy", "/docs", "/login", "/demos/face-heatmap", "/demos/colorization"):
        html = client.get(path).text
        assert "<script>" not in html and "<script type=\"module\">" not in html, path
        assert " style=\"" not in html and "<style" not in html, path


def test_an_oversized_json_body_is_refused_before_it_is_read(client, make_account) -> None:
    headers = {**make_account("ada"), "content-type": "application/json"}
    huge = b'{"x": "' + b"a" * (MAX_BODY_BYTES + 10) + b'"}'
    response = client.post("/api/v1/annotations/", content=huge, headers=headers)
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_oversized_body_is_refused_too(client, make_account) -> None:
    headers = {**make_account("ada"), "content-type": "application/json"}

    def chunks():
        yield b'{"x": "'
        for _ in range(MAX_BODY_BYTES // 2**16 + 2):
            yield b"a" * 2**16
        yield b'"}'

    response = client.post("/api/v1/annotations/", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert client.get("/api/v1/annotations/", headers=headers).json()["total"] == 0


def test_cors_is_closed_by_default_and_open_to_configured_origins(client, settings) -> None:
    asked = {"origin": "https://reader.example", "access-control-request-method": "POST"}
    assert "access-control-allow-origin" not in client.options("/api/v1/annotations/", headers=asked).headers
    assert "access-control-allow-origin" not in client.get("/api/v1/papers", headers=asked).headers
    open_settings = settings.model_copy(update={"cors_origins": ["https://reader.example"]})
    with TestClient(create_app(open_settings)) as opened:
        preflight = opened.options("/api/v1/annotations/", headers=asked)
        assert preflight.headers["access-control-allow-origin"] == "https://reader.example"
        other = opened.get("/api/v1/papers", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
