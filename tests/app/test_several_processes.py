"""Several web processes on one PostgreSQL database (`marginalia serve --workers 3`): what must
agree across processes does, because it lives in the database and not in a process's memory.

Each request goes out on a new connection, so the kernel hands them to all three processes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from app.auth import CSRF_COOKIE, SESSION_COOKIE
from app.db.models import Annotation, Job
from tests.conftest import FIXTURE_PAPERS, passage_annotation
from tests.queue_fixtures import ROOT, TINY_DEMOS, free_port, wait_until, web_ready

WORKERS = 3
RUNS_PER_MINUTE = 5


def _marginalia(*args: str, env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run([str(Path(sys.executable).with_name("marginalia")), *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def cluster(postgres, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], str, int]]:
    """(base URL, environment, database URL, pid) of `marginalia serve --workers 3` on PostgreSQL."""
    url, name = postgres.new_database()
    shutil.copytree(FIXTURE_PAPERS, tmp_path / "content" / "papers")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MARGINALIA_DATABASE_URL": url,
           "MARGINALIA_DATA_DIR": str(tmp_path / "data"), "MARGINALIA_CONTENT_DIR": str(tmp_path / "content"),
           "MARGINALIA_PORT": str(port), "MARGINALIA_DEMO_SPECS": TINY_DEMOS, "MARGINALIA_PRELOAD_MODELS": "false",
           "MARGINALIA_DEMO_RUNS_PER_MINUTE": str(RUNS_PER_MINUTE)}
    server = subprocess.Popen([str(Path(sys.executable).with_name("marginalia")), "serve", "--workers", str(WORKERS)],
                              env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "serve.log", "wb"))  # noqa: SIM115
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: web_ready(base), 120, "three web processes")
        yield base, env, url, server.pid
    finally:
        server.terminate()
        server.wait(30)
        postgres.drop(name)



def _fresh_connections(base: str, **options) -> httpx.Client:
    return httpx.Client(base_url=base, limits=httpx.Limits(max_keepalive_connections=0), timeout=60, **options)


def test_three_processes_share_sessions_writes_throttling_rate_limits_jobs_and_content(cluster, tmp_path) -> None:
    base, env, database_url, serve_pid = cluster
    children = subprocess.run(["pgrep", "-P", str(serve_pid)], capture_output=True, text=True).stdout.split()
    assert len(children) >= WORKERS  # the worker processes (and uvicorn's own helpers)

    # A session made by one process is honoured by every process.
    with _fresh_connections(base) as browser:
        browser.get("/login")
        signed_up = browser.post("/signup", data={"name": "ada", "password": "correct horse battery",
                                                 "password_again": "correct horse battery",
                                                 "csrf_token": browser.cookies[CSRF_COOKIE]}, follow_redirects=False)
        assert signed_up.status_code == 303 and SESSION_COOKIE in browser.cookies
        assert all(browser.get("/api/v1/me").json()["name"] == "ada" for _ in range(24))

    # Concurrent writes through all processes: every acknowledged note is stored, with its text.
    secret = _marginalia("create-token", "ada", env=env).strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {secret}"}

    def write(n: int) -> tuple[int, str, str]:
        with _fresh_connections(base, headers=headers) as client:
            body = passage_annotation(comment=f"note {n} from many processes")
            response = client.post("/api/v1/annotations/", json=body)
            note_id = response.json()["id"] if response.status_code == 201 else response.text[:300]
            return response.status_code, note_id, f"note {n} from many processes"

    with ThreadPoolExecutor(16) as pool:
        written = list(pool.map(write, range(96)))
    assert {status for status, _, _ in written} == {201}, [w for w in written if w[0] != 201][:3]
    engine = create_engine(database_url)
    with engine.connect() as db:
        stored = dict(db.execute(select(Annotation.id, Annotation.body_markdown)).all())
    assert len(stored) == 96
    assert all(note_id.endswith(stored_id) and stored[stored_id] == text
               for _, note_id, text in written for stored_id in [note_id.rsplit("/", 1)[-1]])

    # Login throttling counts failures made on any process (5 per name in 15 minutes).
    def bad_login(_: int) -> int:
        with _fresh_connections(base) as browser:
            browser.get("/login")
            return browser.post("/login", data={"name": "ada", "password": "wrong guess!!",
                                                "csrf_token": browser.cookies[CSRF_COOKIE]}).status_code
    statuses = [bad_login(n) for n in range(7)]
    assert statuses[:5] == [400] * 5 and statuses[5:] == [429, 429], statuses

    # One client's demo runs are limited across processes, and each accepted job runs once.
    with _fresh_connections(base) as client:
        answers = [client.post("/api/v1/demos/tiny", json={"x": "1,0,0"}) for _ in range(RUNS_PER_MINUTE + 3)]
    assert [a.status_code for a in answers] == [202] * RUNS_PER_MINUTE + [429] * 3
    with engine.connect() as db:
        def all_done() -> bool:
            return db.scalar(select(func.count()).where(Job.status == "done")) == RUNS_PER_MINUTE
        wait_until(lambda: (db.rollback(), all_done())[1], 60, "the accepted jobs")
        assert set(db.scalars(select(Job.attempts))) == {1}  # no job claimed twice
    engine.dispose()

    # A summary indexed by another process (`marginalia reindex`) reaches every web process.
    new = tmp_path / "content" / "papers" / "fresh-paper.md"
    new.write_text((FIXTURE_PAPERS / "wave-toy.md").read_text().replace("Dilated Waves", "A fresh paper", 1))
    _marginalia("reindex", env=env)

    def everywhere() -> bool:
        with _fresh_connections(base) as client:
            return all(client.get("/papers/fresh-paper").status_code == 200 for _ in range(12))
    wait_until(everywhere, 30, "the new paper in every process")
