def test_liveness_and_readiness(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "papers": 3}


def test_metrics_count_requests_by_route_template(client) -> None:
    client.get("/papers/wave-toy")
    text = client.get("/metrics").text
    assert 'marginalia_http_requests_total{method="GET",route="/papers/{slug}",status="200"}' in text
    assert "marginalia_papers 3.0" in text


def test_openapi_documents_the_api_and_docs_are_served_locally(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/papers", "/api/v1/papers/{slug}", "/api/v1/tags", "/api/v1/search"} <= set(paths)
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui" in docs and "cdn" not in docs
