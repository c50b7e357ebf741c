"""Demo jobs through the API, the same suite on both queue backends: inline (a thread pool in
the web process) and celery (a real redis-server and a real `marginalia worker` process),
with a tiny registered network (tests/models/tiny_demos.py)."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.queue_fixtures import TINY_DEMOS, celery_worker, redis_server, wait_until


@pytest.fixture(params=["inline", "celery"])
def make_client(request, settings: Settings, tmp_path) -> Iterator[Callable]:
    """make_client(**setting changes) -> a TestClient whose demo jobs run on the backend."""
    stack = ExitStack()
    base = settings.model_copy(update={"demo_specs": TINY_DEMOS, "upload_limit_mb": 0.001, "queue": request.param})
    if request.param == "celery":
        url = stack.enter_context(redis_server(tmp_path))
        base = base.model_copy(update={"redis_url": url})
        stack.enter_context(celery_worker(base, tmp_path / "worker.log"))

    @contextmanager
    def make(**changes) -> Iterator[TestClient]:
        with TestClient(create_app(base.model_copy(update=changes))) as client:
            yield client

    with stack:
        yield make


@pytest.fixture
def demo_client(make_client) -> Iterator[TestClient]:
    with make_client() as client:
        yield client


def test_wait_returns_the_result_and_its_files(demo_client) -> None:
    response = demo_client.post("/api/v1/demos/tiny?wait=30", json={"x": "1,0,0"})
    assert response.status_code == 200, response.text
    job = response.json()
    assert job["status"] == "done" and job["progress"] == 1.0 and len(job["result"]["y"]) == 2
    text = demo_client.get(job["files"]["y.txt"])
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert [round(float(v), 4) for v in text.text.split()] == [round(v, 4) for v in job["result"]["y"]]


def test_file_output_demos_answer_with_the_file(demo_client) -> None:
    response = demo_client.post("/api/v1/demos/tiny-text?wait=30", json={})
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
    bad_json = demo_client.post("/api/v1/demos/tiny", content=b"{not json",
                                headers={"content-type": "application/json"})
    assert bad_json.status_code == 400
    assert demo_client.post("/api/v1/demos/tiny", files={"blob": ("b.bin", b"x" * 5000)}).status_code == 413
    assert demo_client.get("/api/v1/jobs/" + "0" * 32).status_code == 404
    assert demo_client.get("/api/v1/jobs/x/files/../../etc/passwd").status_code == 404


def test_failures_and_timeouts_end_the_job_with_the_reason(demo_client) -> None:
    failed = demo_client.post("/api/v1/demos/broken?wait=30", json={})
    assert failed.status_code == 500 and "cannot handle this input" in failed.json()["detail"]
    timed_out = demo_client.post("/api/v1/demos/endless?wait=30", json={})
    assert "took longer than its 0.2 s limit" in timed_out.json()["detail"]


def test_a_full_queue_answers_429(make_client) -> None:
    with make_client(max_active_jobs=1) as client:
        slow = client.post("/api/v1/demos/slow", json={})  # holds the only place for 2 s
        assert slow.status_code == 202
        full = client.post("/api/v1/demos/tiny", json={})
        assert full.status_code == 429 and int(full.headers["retry-after"]) > 0
        wait_until(lambda: client.get(slow.headers["location"]).json()["status"] == "failed")
        assert client.post("/api/v1/demos/tiny?wait=30", json={}).status_code == 200  # room again


def test_a_signed_in_submitters_job_is_theirs_alone(demo_client, make_account_factory) -> None:
    make = make_account_factory(demo_client)
    ada, bob = make("ada"), make("bob")
    job = demo_client.post("/api/v1/demos/tiny?wait=30", json={}, headers=ada).json()
    assert demo_client.get(job["url"], headers=ada).status_code == 200
    assert demo_client.get(job["url"], headers=bob).status_code == 404
    assert demo_client.get(job["url"]).status_code == 404
    assert demo_client.get(job["files"]["y.txt"], headers=bob).status_code == 404
    anonymous = demo_client.post("/api/v1/demos/tiny?wait=30", json={}).json()
    assert demo_client.get(anonymous["url"], headers=bob).status_code == 200  # its id is the key


def test_uploads_are_checked_before_queueing(demo_client) -> None:
    refused = demo_client.post("/api/v1/demos/tiny", files={"image": ("x.png", b"not an image at all")})
    assert refused.status_code == 415 and "image" in refused.json()["detail"]
    from tests.app.services.test_uploads import image_bytes

    accepted = demo_client.post("/api/v1/demos/tiny?wait=30", files={"image": ("x.jpg", image_bytes((8, 8)))})
    assert accepted.status_code == 200 and accepted.json()["status"] == "done"


def test_metrics_show_jobs_queue_depth_and_latency(demo_client) -> None:
    demo_client.post("/api/v1/demos/tiny?wait=30", json={})
    text = demo_client.get("/metrics").text
    assert 'marginalia_jobs{demo="tiny",status="done"} 1.0' in text
    assert "marginalia_job_queue_depth" in text
    assert 'marginalia_job_seconds_count{demo="tiny"} 1.0' in text


def test_a_celery_mode_web_process_never_imports_torch(tmp_path) -> None:
    import subprocess
    import sys

    code = ("import sys; from app.main import create_app; from app.settings import Settings; "
            f"create_app(Settings(data_dir={str(tmp_path)!r}, queue='celery', demo_specs={TINY_DEMOS!r})); "
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_demo_page_works_without_scripts(demo_client) -> None:
    page = demo_client.get("/demos/tiny")
    assert page.status_code == 200 and 'action="/demos/tiny"' in page.text and "What you are seeing" in page.text
    token = demo_client.cookies["marginalia_csrf"]
    posted = demo_client.post("/demos/tiny", data={"csrf_token": token, "x": "1,2,3"}, follow_redirects=False)
    assert posted.status_code == 303
    job_page = posted.headers["location"]
    final = wait_until(lambda: "Done" in (html := demo_client.get(job_page).text) and html)
    assert '"y"' in final or "&#34;y&#34;" in final
    assert demo_client.post("/demos/tiny", data={"x": "1"}).status_code == 403  # CSRF


def test_a_real_demo_answers_with_its_result_file(demo_client) -> None:
    """The shipped colorization network on both backends: several result files, and `?wait=`
    answers with the one the spec names (colorized.png), at the upload's size."""
    import io

    from PIL import Image

    upload = io.BytesIO()
    Image.new("RGB", (24, 16), (90, 140, 210)).save(upload, format="PNG")  # under the 1 kB limit here
    response = demo_client.post("/api/v1/demos/colorization?wait=30",
                                files={"image": ("sky.png", upload.getvalue(), "image/png")})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (24, 16)


def test_a_running_job_shows_what_it_has_written_so_far(demo_client) -> None:
    job = demo_client.post("/api/v1/demos/sleepy", json={"seconds": "2"}).json()

    def preview_listed() -> bool:
        status = demo_client.get(job["url"]).json()
        return status["status"] == "running" and "preview-0.txt" in status["files"]

    wait_until(preview_listed, timeout=20)
    preview = demo_client.get(demo_client.get(job["url"]).json()["files"]["preview-0.txt"])
    assert preview.status_code == 200 and preview.text == "half way"
    assert demo_client.get(f"{job['url']}/files/..%2Fmarginalia.db").status_code == 404
    wait_until(lambda: demo_client.get(job["url"]).json()["status"] == "done", timeout=20)
    assert set(demo_client.get(job["url"]).json()["files"]) == {"preview-0.txt"}
