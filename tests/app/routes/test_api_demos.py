"""Demo jobs through the API with the inline queue and a tiny registered network."""

import time
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from models.loading import sha256_of
from models.registry import DemoSpec, WeightsFile


def wait_until(condition, timeout: float = 20.0):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
    return value


@pytest.fixture
def demos(tmp_path: Path) -> tuple[DemoSpec, ...]:
    path = tmp_path / "tiny.pt"
    torch.manual_seed(0)
    torch.save(torch.nn.Linear(3, 2).state_dict(), path)
    weights = (WeightsFile(path, sha256_of(path), "pytest"),)
    common = {"paper": "wave-toy", "entry_point": "tests.models.tiny_net:load", "weights": weights,
              "inputs": {"x": "three numbers", "blob": "any file"}}
    return (
        DemoSpec("tiny", "Tiny", predict="tests.models.tiny_net:predict", **common),
        DemoSpec("tiny-text", "Tiny as text", predict="tests.models.tiny_net:predict", output="text/plain", **common),
        DemoSpec("broken", "Broken", predict="tests.models.tiny_net:explode", **common),
        DemoSpec("endless", "Endless", predict="tests.models.tiny_net:never_ends", timeout_seconds=0.2, **common),
        DemoSpec("slow", "Slow", predict="tests.models.tiny_net:never_ends", timeout_seconds=2, **common),
    )


@pytest.fixture
def demo_client(settings: Settings, demos):
    settings = settings.model_copy(update={"upload_limit_mb": 0.001})
    with TestClient(create_app(settings, demos=demos)) as client:
        yield client


def test_wait_returns_the_result_and_its_files(demo_client) -> None:
    response = demo_client.post("/api/v1/demos/tiny?wait=20", json={"x": "1,0,0"})
    assert response.status_code == 200, response.text
    job = response.json()
    assert job["status"] == "done" and job["progress"] == 1.0 and len(job["result"]["y"]) == 2
    text = demo_client.get(job["files"]["y.txt"])
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert [round(float(v), 4) for v in text.text.split()] == [round(v, 4) for v in job["result"]["y"]]


def test_file_output_demos_answer_with_the_file(demo_client) -> None:
    response = demo_client.post("/api/v1/demos/tiny-text?wait=20", json={})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")


def test_submit_returns_202_and_the_status_url(demo_client) -> None:
    response = demo_client.post("/api/v1/demos/tiny", files={"blob": ("b.bin", b"12345")}, data={"x": "1,2,3"})
    assert response.status_code == 202
    status_url = response.headers["location"]
    done = wait_until(lambda: (j := demo_client.get(status_url).json())["status"] == "done" and j)
    assert done["result"]["upload_bytes"] == 5


def test_bad_submissions_get_clear_4xx(demo_client) -> None:
    assert demo_client.post("/api/v1/demos/nope", json={}).status_code == 404
    unknown = demo_client.post("/api/v1/demos/tiny", json={"z": 1})
    assert unknown.status_code == 422 and "unknown inputs ['z']" in unknown.json()["detail"]
    assert demo_client.post("/api/v1/demos/tiny", content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    big = demo_client.post("/api/v1/demos/tiny", files={"blob": ("b.bin", b"x" * 5000)})
    assert big.status_code == 413
    assert demo_client.get("/api/v1/jobs/" + "0" * 32).status_code == 404
    assert demo_client.get("/api/v1/jobs/x/files/../../etc/passwd").status_code == 404


def test_failures_and_timeouts_end_the_job_with_the_reason(demo_client) -> None:
    failed = demo_client.post("/api/v1/demos/broken?wait=20", json={})
    assert failed.status_code == 500 and "cannot handle this input" in failed.json()["detail"]
    timed_out = demo_client.post("/api/v1/demos/endless?wait=20", json={})
    assert "took longer than its 0.2 s limit" in timed_out.json()["detail"]


def test_a_full_queue_answers_429(settings: Settings, demos) -> None:
    settings = settings.model_copy(update={"max_active_jobs": 1})
    with TestClient(create_app(settings, demos=demos)) as client:
        slow = client.post("/api/v1/demos/slow", json={})  # holds the only place for 2 s
        assert slow.status_code == 202
        full = client.post("/api/v1/demos/tiny", json={})
        assert full.status_code == 429 and int(full.headers["retry-after"]) > 0
        wait_until(lambda: client.get(slow.headers["location"]).json()["status"] == "failed")
        assert client.post("/api/v1/demos/tiny?wait=20", json={}).status_code == 200  # room again
