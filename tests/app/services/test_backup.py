"""Backup and restore, on SQLite and PostgreSQL: a round trip while notes are being written."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.engine import make_engine, make_session_factory
from app.db.models import Annotation, Job
from app.schemas.annotations import AnnotationDraft, Passage
from app.services.accounts import create_user
from app.services.backup import BackupError, backup, restore
from app.services.paper_index import reindex
from app.services.search import search_papers
from app.settings import Settings
from tests.conftest import FIXTURE_PAPERS, make_settings


def _note(comment: str) -> AnnotationDraft:
    return AnnotationDraft(comment, ("backup",), "public", paper_ref="http://testserver/papers/wave-toy",
                           passage=Passage("receptive field", "grow the ", " exponentially", 40, 55),
                           motivation="commenting")


@pytest.fixture
def target(request, tmp_path: Path, database: str | None) -> Settings:
    """A second, empty installation of the same kind to restore into."""
    url = None
    if database is not None:
        factory = request.getfixturevalue("postgres")
        url, name = factory.new_database()
        request.addfinalizer(lambda: factory.drop(name))
    return make_settings(tmp_path / "target", FIXTURE_PAPERS, url)


def test_round_trip_while_notes_are_written(settings: Settings, target: Settings, tmp_path: Path) -> None:
    from app.db.migrate import upgrade_to_head
    from app.services.annotation_write import create_annotation

    engine = make_engine(settings.resolved_database_url)
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    with sessions() as db:
        reindex(db, settings.papers_dir)
        ada = create_user(db, name="ada", password="correct horse battery")
        job_id = uuid.uuid4().hex
        db.add(Job(id=job_id, demo="colorization", status="done", progress=1.0, params={}, inputs={},
                   client="test", files=["result.png"], attempts=1, created_at=ada.created_at))
        db.commit()
    (settings.data_dir / "jobs" / job_id).mkdir(parents=True)
    (settings.data_dir / "jobs" / job_id / "result.png").write_bytes(b"\x89PNG result bytes")

    acknowledged: list[tuple[str, str]] = []  # (id, comment) of every committed note
    stop = threading.Event()

    def write_notes() -> None:
        with sessions() as db:
            author = db.get(type(ada), ada.id)
            n = 0
            while not stop.is_set():
                n += 1
                created = create_annotation(db, author, _note(f"note number {n} about receptive fields"))
                acknowledged.append((created.id, f"note number {n} about receptive fields"))

    writer = threading.Thread(target=write_notes)
    writer.start()
    try:
        while len(acknowledged) < 20:
            stop.wait(0.01)
        before = list(acknowledged)
        report = backup(settings.resolved_database_url, settings.data_dir, tmp_path / "saved")
        while len(acknowledged) < len(before) + 20:  # writes went on during and after the backup
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join(30)
    engine.dispose()

    manifest = json.loads((tmp_path / "saved" / "manifest.json").read_text())
    assert manifest["database"] == report.database == engine.dialect.name
    assert report.counts["annotations"] >= len(before)
    assert f"files/jobs/{job_id}/result.png" in manifest["sha256"]

    restored = restore(target.resolved_database_url, target.data_dir, tmp_path / "saved")
    assert restored.counts == report.counts
    target_engine = make_engine(target.resolved_database_url)
    with make_session_factory(target_engine)() as db:
        stored = dict(db.execute(select(Annotation.id, Annotation.body_markdown)).all())
        # every note acknowledged before the backup began is back, with its text
        assert all(stored.get(note_id) == comment for note_id, comment in before)
        assert len(stored) == report.counts["annotations"]  # and the copy is one consistent state
        assert db.get(Job, job_id).files == ["result.png"]
        # the search index came back with the rows (the papers' and the notes')
        assert search_papers(db, "receptive").total >= 1
        from app.services.annotation_read import matching_annotation_ids

        assert set(matching_annotation_ids(db, "receptive")) == set(stored)
    target_engine.dispose()
    assert (target.data_dir / "jobs" / job_id / "result.png").read_bytes() == b"\x89PNG result bytes"


def test_restore_refuses_a_database_with_notes_unless_told(settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(settings.resolved_database_url)
    from app.db.migrate import upgrade_to_head

    upgrade_to_head(engine)
    with make_session_factory(engine)() as db:
        reindex(db, settings.papers_dir)
        create_user(db, name="ada", password="correct horse battery")
    engine.dispose()
    backup(settings.resolved_database_url, settings.data_dir, tmp_path / "saved")
    with pytest.raises(BackupError, match="--replace"):
        restore(settings.resolved_database_url, settings.data_dir, tmp_path / "saved")
    restore(settings.resolved_database_url, settings.data_dir, tmp_path / "saved", replace=True)


def test_a_damaged_backup_is_refused_before_anything_changes(settings: Settings, target: Settings,
                                                            tmp_path: Path) -> None:
    engine = make_engine(settings.resolved_database_url)
    from app.db.migrate import upgrade_to_head

    upgrade_to_head(engine)
    engine.dispose()
    backup(settings.resolved_database_url, settings.data_dir, tmp_path / "saved")
    database_file = next(p for p in (tmp_path / "saved").iterdir() if p.name.startswith("database."))
    database_file.write_bytes(database_file.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(BackupError, match="checksum"):
        restore(target.resolved_database_url, target.data_dir, tmp_path / "saved")
    with pytest.raises(BackupError, match="not empty"):
        backup(settings.resolved_database_url, settings.data_dir, tmp_path / "saved")
