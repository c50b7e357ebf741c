"""Online backup and restore: the database and the files its rows point at, in one folder.

A backup folder holds `manifest.json` (format, database kind, schema revision, row counts, the
sha256 of every file), the database (`database.sqlite3`, a copy made with SQLite's backup API,
or `database.pgdump`, pg_dump's custom format) and `files/jobs/<id>/`, the uploads and results
of the jobs in that copy. Both databases give a consistent snapshot while the app keeps
writing: SQLite's backup API copies one transaction-consistent state, and on PostgreSQL the job
list is read in the very snapshot pg_dump exports (`--snapshot`), so the files match the rows.

Restore checks every checksum first, refuses a database that already holds accounts or notes
unless told to replace it, and then migrates the restored copy to this version's schema.
A SQLite restore must run with the app stopped (the file is swapped); a PostgreSQL restore is
one transaction (pg_restore --single-transaction).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.clock import utcnow
from app.db.engine import make_engine
from app.db.migrate import upgrade_to_head
from app.db.models import Annotation, Job, Paper, User

FORMAT = 1
MANIFEST = "manifest.json"
_DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_COUNTED = {"users": User, "papers": Paper, "annotations": Annotation, "jobs": Job}


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why, nothing was changed."""


@dataclass(frozen=True)
class BackupReport:
    folder: Path
    database: str
    counts: dict[str, int]
    files: int

    def summary(self) -> str:
        rows = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        return f"{self.database} backup in {self.folder}: {rows}; {self.files} files"


def backup(database_url: str, data_dir: Path, dest: Path) -> BackupReport:
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty; back up into a new folder")
    engine = make_engine(database_url)
    kind = engine.dialect.name
    if kind not in _DATABASE_FILES:
        raise BackupError(f"cannot back up a {kind} database")
    dest.mkdir(parents=True, exist_ok=True)
    database_file = dest / _DATABASE_FILES[kind]
    try:
        if kind == "sqlite":
            _copy_sqlite(engine, database_file)
            copy = make_engine(f"sqlite:///{database_file}")
            with copy.connect() as connection:
                counts, revision, job_ids = _inventory(connection)
            copy.dispose()
        else:
            counts, revision, job_ids = _dump_postgres(engine, database_file)
    finally:
        engine.dispose()
    copied = _copy_job_files(data_dir / "jobs", dest / "files" / "jobs", job_ids)
    manifest = {
        "format": FORMAT, "created_at": utcnow().isoformat() + "Z", "database": kind, "revision": revision,
        "counts": counts, "sha256": {str(p.relative_to(dest)): _sha256(p) for p in [database_file, *copied]},
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return BackupReport(dest, kind, counts, len(copied))


def restore(database_url: str, data_dir: Path, src: Path, *, replace: bool = False) -> BackupReport:
    manifest = _checked_manifest(src)
    engine = make_engine(database_url)
    try:
        kind = engine.dialect.name
        if manifest["database"] != kind:
            backed_up = manifest["database"]
            raise BackupError(f"this is a {backed_up} backup; restore it into a {backed_up} database")
        if not replace and _holds_data(engine):
            raise BackupError("the database already holds accounts or notes; pass --replace to overwrite it")
        if kind == "sqlite":
            engine.dispose()
            _swap_sqlite(src / _DATABASE_FILES[kind], Path(engine.url.database))
        else:
            _run(_pg_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--dbname", _libpq_url(engine), str(src / _DATABASE_FILES[kind]))
        upgrade_to_head(engine)  # a backup of an older version gets this version's schema
    finally:
        engine.dispose()
    files = sorted((src / "files").rglob("*")) if (src / "files").is_dir() else []
    for path in files:
        if path.is_file():
            target = data_dir / path.relative_to(src / "files")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return BackupReport(src, kind, manifest["counts"], sum(p.is_file() for p in files))


def _copy_sqlite(engine: Engine, target: Path) -> None:
    source = sqlite3.connect(engine.url.database)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)  # one consistent state, however many writers are busy
    finally:
        copy.close()
        source.close()


def _dump_postgres(engine: Engine, target: Path) -> tuple[dict[str, int], str, list[str]]:
    # The inventory and pg_dump read the same snapshot: this transaction exports it and stays
    # open until pg_dump has started from it.
    with engine.connect() as connection:
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        counts, revision, job_ids = _inventory(connection)
        _run(_pg_program("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}",
             f"--file={target}", _libpq_url(engine))
        connection.rollback()
    return counts, revision, job_ids


def _inventory(connection: Connection) -> tuple[dict[str, int], str, list[str]]:
    counts = {name: connection.scalar(select(func.count()).select_from(model)) or 0
              for name, model in _COUNTED.items()}
    revision = connection.scalar(text("SELECT version_num FROM alembic_version")) or ""
    return counts, revision, list(connection.scalars(select(Job.id)))


def _copy_job_files(source: Path, target: Path, job_ids: list[str]) -> list[Path]:
    copied = []
    for job_id in job_ids:
        folder = source / job_id
        if not folder.is_dir():
            continue  # a job without files (failed early) or expired since the snapshot
        shutil.copytree(folder, target / job_id)
        copied += sorted(p for p in (target / job_id).rglob("*") if p.is_file())
    return copied


def _checked_manifest(src: Path) -> dict:
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src} is not a Marginalia backup (no readable {MANIFEST}: {exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    for name, digest in manifest["sha256"].items():
        path = src / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{name} is missing or does not match its checksum; the backup is damaged")
    return manifest


def _holds_data(engine: Engine) -> bool:
    with engine.connect() as connection:
        try:
            return any(connection.scalar(select(func.count()).select_from(model))
                       for model in (User, Annotation))
        except (OperationalError, ProgrammingError):  # no such table yet: an empty database
            return False


def _swap_sqlite(copy: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(target.name + ".restoring")
    shutil.copyfile(copy, incoming)
    with sqlite3.connect(incoming) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            incoming.unlink()
            raise BackupError("the backed-up database fails SQLite's integrity check")
    # A write-ahead log left by the old file would be replayed onto the new one.
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(incoming, target)


def _pg_program(name: str) -> str:
    """Debian's pg_dump/pg_restore: /usr/bin (postgresql-client) or the server's own bin folder."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _libpq_url(engine: Engine) -> str:
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(*argv: str) -> None:
    finished = subprocess.run(argv, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {finished.stderr.strip()[-500:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
