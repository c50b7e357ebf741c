import urllib.request

from fastapi.testclient import TestClient

from app.main import create_app
from tests.queue_fixtures import TINY_DEMOS, celery_worker, free_port, redis_server, wait_until


def test_a_worker_reports_model_load_times_on_its_metrics_port(settings, tmp_path) -> None:
    port = free_port()
    with redis_server(tmp_path) as url:
        settings = settings.model_copy(update={"queue": "celery", "redis_url": url, "demo_specs": TINY_DEMOS,
                                               "worker_metrics_port": port})
        with TestClient(create_app(settings)) as client, celery_worker(settings, tmp_path / "worker.log"):
            assert client.post("/api/v1/demos/tiny?wait=30", json={}).status_code == 200

            def metrics() -> str:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                    return response.read().decode()

            text = wait_until(lambda: (t := metrics()) and "marginalia_model_load_seconds" in t and t)
    assert 'marginalia_model_load_seconds{demo="tiny"}' in text
