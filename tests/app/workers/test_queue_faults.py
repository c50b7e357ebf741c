"""Faults: a worker killed mid-job, a web process killed mid-job, Redis down."""

import json
import signal
import subprocess
import sys
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.conftest import passage_annotation
from tests.queue_fixtures import (
    ROOT,
    TINY_DEMOS,
    celery_worker,
    free_port,
    redis_server,
    wait_until,
    worker_env,
)


def http(url: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def status(base: str, job_id: str) -> dict:
    return http(f"{base}/api/v1/jobs/{job_id}")


def test_a_worker_killed_mid_job_does_not_lose_it(settings: Settings, tmp_path: Path) -> None:
    with redis_server(tmp_path) as url:
        settings = settings.model_copy(update={
            "queue": "celery", "redis_url": url, "demo_specs": TINY_DEMOS, "celery_visibility_timeout": 3})
        with TestClient(create_app(settings)) as client:
            with celery_worker(settings, tmp_path / "first.log") as first:
                job = client.post("/api/v1/demos/sleepy", json={"seconds": "3"}).json()
                wait_until(lambda: client.get(job["url"]).json()["status"] == "running", what="the job to start")
                first.send_signal(signal.SIGKILL)  # no goodbye: the job stays unacknowledged in Redis
                first.wait(10)
            with celery_worker(settings, tmp_path / "second.log"):
                done = wait_until(lambda: (j := client.get(job["url"]).json())["status"] in ("done", "failed") and j,
                                  timeout=60, what="another worker to finish the job")
    assert done["status"] == "done" and done["result"] == {"slept": 3.0}


def test_redis_down_refuses_demos_with_503_while_reading_and_annotating_work(settings, make_account_factory) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings = settings.model_copy(update={"queue": "celery", "redis_url": closed, "demo_specs": TINY_DEMOS})
    with TestClient(create_app(settings)) as client:
        refused = client.post("/api/v1/demos/tiny", json={})
        assert refused.status_code == 503 and "unreachable" in refused.json()["detail"]
        assert "reading and annotating still work" in refused.json()["detail"]
        assert client.get("/").status_code == 200 and client.get("/papers/wave-toy").status_code == 200
        headers = make_account_factory(client)("ada")
        assert client.post("/api/v1/annotations/", json=passage_annotation(), headers=headers).status_code == 201


def test_redis_stopped_then_back_demos_503_meanwhile_and_recover_by_themselves(settings, make_account_factory,
                                                                             tmp_path: Path) -> None:
    port = free_port()
    settings = settings.model_copy(update={"queue": "celery", "redis_url": f"redis://127.0.0.1:{port}/0",
                                           "demo_specs": TINY_DEMOS})
    with ExitStack() as running:  # the app and the worker outlive the first Redis
        with redis_server(tmp_path, port):
            client = running.enter_context(TestClient(create_app(settings)))
            running.enter_context(celery_worker(settings, tmp_path / "worker.log"))
            headers = make_account_factory(client)("ada")
            assert client.post("/api/v1/demos/tiny?wait=30", json={"x": "1,0,0"}).json()["status"] == "done"
        # Redis is gone: demos say so, reading and annotating carry on
        refused = client.post("/api/v1/demos/tiny", json={"x": "1,0,0"})
        assert refused.status_code == 503 and refused.headers["retry-after"]
        assert client.get("/papers/wave-toy").status_code == 200
        assert client.post("/api/v1/annotations/", json=passage_annotation(), headers=headers).status_code == 201
        with redis_server(tmp_path, port):  # back on the same address: no restart of the app or worker
            def runs() -> dict | None:
                answer = client.post("/api/v1/demos/tiny?wait=30", json={"x": "1,0,0"})
                return answer.json() if answer.status_code == 200 else None
            done = wait_until(runs, 60, "demos to run again")
    assert done["status"] == "done" and done["result"]["y"]


@contextmanager
def web_process(settings: Settings, port: int, log: Path):
    env = {**worker_env(settings), "MARGINALIA_QUEUE": "inline", "MARGINALIA_PORT": str(port)}
    with log.open("ab") as output:
        server = subprocess.Popen([str(Path(sys.executable).with_name("marginalia")), "serve"],
                                  env=env, stdout=output, stderr=output, cwd=ROOT)
    try:
        wait_until(lambda: _ready(f"http://127.0.0.1:{port}"), 60, "the web process")
        yield server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(15)


def _ready(base: str) -> bool:
    try:
        return http(f"{base}/readyz")["status"] == "ready"
    except OSError:
        return False


def test_an_inline_job_survives_its_web_process_being_killed(settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"demo_specs": TINY_DEMOS})
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with web_process(settings, port, tmp_path / "first.log") as first:
        job = http(f"{base}/api/v1/demos/sleepy", {"seconds": "3"})
        wait_until(lambda: status(base, job["id"])["status"] == "running", what="the job to start")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    with web_process(settings, port, tmp_path / "second.log"):  # start-up re-queues the cut-off job
        done = wait_until(lambda: (j := status(base, job["id"]))["status"] in ("done", "failed") and j,
                          timeout=60, what="the restarted process to finish the job")
    assert done["status"] == "done" and done["result"] == {"slept": 3.0}
