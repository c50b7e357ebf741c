"""One process at a time through a section, across every process sharing the database.

Several web processes start together (`marginalia serve --workers N`, replicas in
docker-compose.yml) and each would run the migrations and index the summaries at once: Alembic
would create a table twice, and two processes would insert the same paper. The section is
serialised with the database's own means where it has them (a PostgreSQL advisory lock, held by
one connection), and with a lock file beside a SQLite database (whose processes share a
machine by definition).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

_STARTUP_KEY = 0x6D617267  # "marg": the advisory lock's number, any constant the app owns


@contextmanager
def exclusive_startup(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _STARTUP_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _STARTUP_KEY})
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield  # one process owns an in-memory database
        return
    lock_path = Path(database).with_name(Path(database).name + ".startup-lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
