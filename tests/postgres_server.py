"""A real PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder, a
free loopback port, no system service.

Missing binaries make the tests that use it fail (FileNotFoundError), not skip: `.ci/run`
installs the `postgresql` package. The server runs as the `postgres` system user when the tests
run as root (PostgreSQL refuses root); durability is off (fsync, full-page writes), since a test
cluster is thrown away and the tests measure behaviour, not crash safety. The fault tests that
kill a server start their own cluster with durability on (`durable=True`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import psycopg

from tests.queue_fixtures import free_port, wait_until

TEMPLATE = "marginalia_template"


def pg_bin(program: str) -> str:
    """Debian keeps the server programs off PATH, under /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(program) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"))), None)
    if found is None:
        raise FileNotFoundError(f"PostgreSQL's {program} is not installed (apt-get install postgresql)")
    return found


def _as_server_user() -> dict:
    """Popen arguments that run a program as `postgres` when the tests run as root (the signals
    this module sends then reach the server itself, not a wrapper)."""
    if os.geteuid() != 0:
        return {}
    postgres = pwd.getpwnam("postgres")
    return {"user": postgres.pw_uid, "group": postgres.pw_gid, "extra_groups": [], "env": {
        **os.environ, "HOME": postgres.pw_dir}}


@dataclass
class PostgresServer:
    folder: Path
    port: int
    process: subprocess.Popen | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True)

    def start(self, *, durable: bool = False) -> None:
        options = ["-c", "listen_addresses=127.0.0.1", "-c", f"port={self.port}", "-c",
                   f"unix_socket_directories={self.folder}", "-c", "max_connections=300"]
        if not durable:
            options += ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"]
        self.process = subprocess.Popen(
            [pg_bin("postgres"), "-D", str(self.folder / "data"), *options], cwd=self.folder,
            stdout=open(self.folder / "server.log", "ab"), stderr=subprocess.STDOUT,  # noqa: SIM115
            **_as_server_user(),
        )
        wait_until(self._accepts, 30, "PostgreSQL to accept connections")

    def stop(self) -> None:
        """A fast shutdown (SIGINT): clients are disconnected, as in a restart under load."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        self.process.wait(30)
        self.process = None

    def create_database(self, name: str, template: str | None = None) -> str:
        with self.admin() as connection:
            clause = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def _accepts(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"PostgreSQL exited at start:\n{log}")
        try:
            with self.admin():
                return True
        except psycopg.OperationalError:
            return False


@contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """A fresh cluster; the folder lives under /tmp because the server user must reach it."""
    folder = Path(tempfile.mkdtemp(prefix="marginalia-pg-"))
    try:
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(folder, postgres.pw_uid, postgres.pw_gid)
        subprocess.run(
            [pg_bin("initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"],
            check=True, capture_output=True, cwd=folder, **_as_server_user(),
        )
        server = PostgresServer(folder, free_port())
        server.start(durable=durable)
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class DatabaseFactory:
    """Fresh databases on one server, each a copy of a template the migrations already ran on
    (copying a migrated template takes milliseconds; migrating each test's database would not)."""

    def __init__(self, server: PostgresServer) -> None:
        from sqlalchemy import create_engine

        from app.db.migrate import upgrade_to_head

        self.server = server
        self._names = count(1)
        engine = create_engine(server.create_database(TEMPLATE))
        upgrade_to_head(engine)
        engine.dispose()

    def new_database(self) -> tuple[str, str]:
        name = f"test_{next(self._names)}"
        return self.server.create_database(name, TEMPLATE), name

    def drop(self, name: str) -> None:
        # FORCE: a test that left a connection open (a thread still finishing) must not keep
        # its database, and the disk, for the rest of the session.
        with self.server.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
