"""Faults, each forced for real: a web process killed during a burst of writes, the database
server restarted under load, and a full disk for results. Nothing acknowledged is lost, nothing
is left half-written, and the app answers clearly and recovers by itself.

(The queue's faults, a Celery worker killed mid-job and Redis stopped, are in
tests/app/workers/test_queue_faults.py.)
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.db.engine import make_engine, make_session_factory
from app.db.models import Annotation, Job
from app.main import create_app
from app.services.annotation_read import matching_annotation_ids
from app.settings import Settings
from tests.conftest import FIXTURE_PAPERS, make_settings, passage_annotation
from tests.postgres_server import postgres_server
from tests.queue_fixtures import ROOT, TINY_DEMOS, free_port, wait_until, web_ready, worker_env

MARGINALIA = str(Path(sys.executable).with_name("marginalia"))


def _marginalia(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    return subprocess.run([MARGINALIA, *args], env=env, input=stdin, text=True, capture_output=True,
                          check=True).stdout


@contextmanager
def _server(env: dict[str, str], log: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen([MARGINALIA, "serve"], env={**env, "MARGINALIA_PORT": str(port)},
                                   stdout=output, stderr=output, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: web_ready(base), 60, "the web process")
        yield process, base
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(30)



def test_kill_9_during_a_burst_of_writes_loses_no_acknowledged_note(settings: Settings, tmp_path: Path) -> None:
    env = {**worker_env(settings), "MARGINALIA_QUEUE": "inline", "MARGINALIA_PRELOAD_MODELS": "false"}
    _marginalia(env, "create-user", "ada", "--password-file", "-", stdin="correct horse battery")
    headers = {"Authorization": f"Bearer {_marginalia(env, 'create-token', 'ada').strip().splitlines()[-1]}"}
    acknowledged: list[tuple[str, str]] = []
    with _server(env, tmp_path / "first.log") as (process, base):
        def write(writer: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
                for n in range(10_000):
                    comment = f"burst note {writer}-{n}"
                    try:
                        response = client.post("/api/v1/annotations/", json=passage_annotation(comment=comment))
                    except httpx.HTTPError:
                        return  # the server is gone: this write was never acknowledged
                    if response.status_code == 201:
                        acknowledged.append((response.json()["id"].rsplit("/", 1)[-1], comment))

        writers = [threading.Thread(target=write, args=(n,)) for n in range(6)]
        for thread in writers:
            thread.start()
        wait_until(lambda: len(acknowledged) >= 60, 60, "a burst of acknowledged writes")
        process.send_signal(signal.SIGKILL)  # no shutdown, no flush: mid-burst
        process.wait(10)
        for thread in writers:
            thread.join(30)

    if not settings.database_url:  # SQLite: the file and its full-text index are intact
        with sqlite3.connect(settings.data_dir / "marginalia.db") as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            db.execute("INSERT INTO annotation_search (annotation_search) VALUES ('integrity-check')")
    with _server(env, tmp_path / "second.log") as (_process, base):
        for note_id, comment in acknowledged[:: max(1, len(acknowledged) // 20)]:  # through the API too
            answer = httpx.get(f"{base}/api/v1/annotations/{note_id}", headers=headers)
            assert answer.status_code == 200 and answer.json()["body"][0]["value"] == comment
    engine = make_engine(settings.resolved_database_url)
    with make_session_factory(engine)() as db:
        stored = dict(db.execute(select(Annotation.id, Annotation.body_markdown)).all())
        assert all(stored.get(note_id) == comment for note_id, comment in acknowledged)
        # each stored note is in the search index, and nothing else is (no half-written write)
        assert set(matching_annotation_ids(db, "burst note")) == set(stored)
    engine.dispose()


def test_postgres_restarted_under_load_fails_cleanly_and_recovers(tmp_path: Path, make_account_factory) -> None:
    with postgres_server(durable=True) as server:
        url = server.create_database("restarted")
        settings = make_settings(tmp_path, FIXTURE_PAPERS, url)
        with TestClient(create_app(settings)) as client:
            headers = make_account_factory(client)("ada")
            statuses: list[int] = []
            written: list[str] = []

            def round_of_requests() -> None:
                for response in (client.get("/api/v1/papers"), client.get("/papers/wave-toy"),
                                 client.post("/api/v1/annotations/", json=passage_annotation(comment="during"),
                                             headers=headers)):
                    statuses.append(response.status_code)
                    if response.status_code == 201:
                        written.append(response.json()["id"].rsplit("/", 1)[-1])

            round_of_requests()
            server.stop()  # a restart: every pooled connection is cut
            round_of_requests()  # while it is down
            api_read, page, write = statuses[3:]
            # the API says so (503 with Retry-After); the summary itself is served from memory
            assert (api_read, write) == (503, 503) and page in (200, 503), statuses
            server.start(durable=True)
            # back without restarting the app: the pool notices the dead connections and reconnects
            wait_until(lambda: client.get("/api/v1/papers").status_code == 200, 30, "the app to reconnect")
            round_of_requests()
            assert statuses[-3:] == [200, 200, 201]
            assert set(statuses) <= {200, 201, 503}  # never a 500 or a hang
        engine = make_engine(url)
        with make_session_factory(engine)() as db:
            assert set(written) <= set(db.scalars(select(Annotation.id)))
        engine.dispose()


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs for the data folder (results and uploads), filled to the last byte."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    try:  # the last partial block
        with filler.open("ab") as handle:
            while True:
                handle.write(b"\0")
                handle.flush()
    except OSError:
        pass
    return filler


def test_a_full_results_disk_is_a_clear_error_and_leaves_nothing_half_done(settings: Settings, full_disk: Path,
                                                                          tmp_path: Path) -> None:
    database_url = settings.database_url or f"sqlite:///{tmp_path / 'elsewhere.db'}"  # the database has room
    settings = settings.model_copy(update={"data_dir": full_disk, "database_url": database_url,
                                           "demo_specs": TINY_DEMOS})
    with TestClient(create_app(settings)) as client:
        filler = _fill(full_disk)
        refused = client.post("/api/v1/demos/tiny", files={"blob": ("b.bin", b"x" * 4096)}, data={"x": "1,2,3"})
        assert refused.status_code == 507 and "no room" in refused.json()["detail"]
        assert not (full_disk / "jobs").exists() or not any((full_disk / "jobs").iterdir())

        accepted = client.post("/api/v1/demos/tiny?wait=30", json={"x": "1,2,3"})  # no upload: queued
        failed = accepted.json()["job"] if accepted.status_code == 500 else accepted.json()
        assert failed["status"] == "failed" and "ran out of disk space" in failed["error"]
        assert failed["files"] == {}  # nothing half-written is offered

        filler.unlink()  # room again: the next job runs
        done = client.post("/api/v1/demos/tiny?wait=30", json={"x": "1,2,3"})
        assert done.status_code == 200 and done.json()["status"] == "done"
    engine = make_engine(database_url)
    with make_session_factory(engine)() as db:
        statuses = sorted(job.status for job in db.scalars(select(Job)))
    engine.dispose()
    assert statuses == ["done", "failed"]  # the refused upload left no job behind
