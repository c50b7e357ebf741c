"""Engine and session factory, built by the app factory or the CLI (never at import)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # Requests run in a thread pool (40 threads): keep that many connections open, since
        # a connection closed on overflow and reopened on the next request costs more than
        # the query it serves.
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=40, max_overflow=10,
        )
        event.listen(engine, "connect", _tune_sqlite)
        with engine.connect() as connection:
            # WAL is a property of the database file: set once, it holds for every connection.
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    return create_engine(url, pool_pre_ping=True)


def _tune_sqlite(dbapi_connection, _record) -> None:  # DB-API connection
    # WAL (set in make_engine) lets readers (every page view) run while a writer (reindex,
    # annotations) commits; NORMAL sync is durable across application crashes under WAL.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
