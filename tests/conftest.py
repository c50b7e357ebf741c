"""Shared fixtures: each test gets its own data folder, database and app.

The database-touching tests (everything under tests/app, and the W3C conformance harness) run
twice: on a SQLite file and on a fresh PostgreSQL database (a real server the session starts,
tests/postgres_server.py). `MARGINALIA_TEST_DATABASES=sqlite` (or `postgresql`) narrows a local
run to one; `make test` and CI run both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.db.engine import make_engine, make_session_factory
from app.db.migrate import upgrade_to_head
from app.main import create_app
from app.settings import Settings
from tests.postgres_server import DatabaseFactory, postgres_server

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURE_PAPERS = Path(__file__).parent / "fixtures" / "papers"


DATABASES = tuple(os.environ.get("MARGINALIA_TEST_DATABASES", "sqlite,postgresql").split(","))
_ON_BOTH_DATABASES = ("tests/app/", "tests/test_w3c_conformance_harness.py")
# A demo's own API tests exercise its network; what they ask of the database (the jobs table)
# is the same for every demo and runs on both databases in tests/app/routes/test_api_demos.py.
_DEMO_API_TESTS = tuple(f"tests/app/routes/test_api_{demo}.py"
                        for demo in ("colorization", "gan", "face_heatmap", "style_transfer", "lrp", "wavenet"))


def make_settings(tmp_path: Path, papers: Path, database_url: str | None = None) -> Settings:
    content = tmp_path / "content"
    shutil.copytree(papers, content / "papers")
    # No model warm-up: each test's app would otherwise load every demo's network in a thread
    # that outlives the test (the browser site and the preload test turn it back on).
    return Settings(content_dir=content, data_dir=tmp_path / "data", preload_models=False,
                    database_url=database_url)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    path = Path(metafunc.definition.fspath).relative_to(ROOT).as_posix()
    if "database" in metafunc.fixturenames and path.startswith(_ON_BOTH_DATABASES) and path not in _DEMO_API_TESTS:
        metafunc.parametrize("database", DATABASES, indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # test_api_demos runs its suite on both queues and both databases; what a queue asks of the
    # database is the jobs table, which the inline runs cover on PostgreSQL and the queue's
    # fault and worker tests (tests/app/workers) cover with Celery. The fourth pairing adds time
    # (a worker process per test), not coverage.
    def celery_on_postgres(item: pytest.Item) -> bool:
        params = getattr(getattr(item, "callspec", None), "params", {})
        return (item.path.name == "test_api_demos.py" and params.get("database") == "postgresql"
                and params.get("make_client") == "celery")

    dropped = [item for item in items if celery_on_postgres(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not celery_on_postgres(item)]


@pytest.fixture(scope="session")
def postgres() -> Iterator[DatabaseFactory]:
    """One PostgreSQL server for the session, started on first use."""
    with postgres_server() as server:
        yield DatabaseFactory(server)


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """The test's database URL: None (a SQLite file in its data folder) or a fresh PostgreSQL
    database, dropped after the test."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    factory: DatabaseFactory = request.getfixturevalue("postgres")
    url, name = factory.new_database()
    yield url
    factory.drop(name)


@pytest.fixture
def settings(tmp_path: Path, database: str | None) -> Settings:
    """A small, known library (tests/fixtures/papers) in a temporary folder."""
    return make_settings(tmp_path, FIXTURE_PAPERS, database)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.resolved_database_url)
    upgrade_to_head(engine)
    with make_session_factory(engine)() as db_session:
        yield db_session
    engine.dispose()


def write_paper(folder: Path, slug: str, text: str) -> Path:
    path = folder / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    return path


def account_maker(client):
    """make(name, admin=False) -> API headers with a fresh token for a new user of `client`'s
    app (created through the services, in the app's own database)."""
    from app.services.accounts import create_user
    from app.services.credentials import create_token

    def make(name: str, *, admin: bool = False) -> dict[str, str]:
        with client.app.state.sessions() as db:
            user = create_user(db, name=name, password="correct horse battery", admin=admin)
            _token, secret = create_token(db, user, "tests")
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def make_account(client):
    return account_maker(client)


@pytest.fixture
def make_account_factory():
    """For tests that build their own app: make_account_factory(client)(name) -> headers."""
    return account_maker


def passage_annotation(slug: str = "wave-toy", exact: str = "receptive field", *, comment: str = "",
                       tags: tuple[str, ...] = (), visibility: str = "private", start: int | None = None) -> dict:
    """A W3C annotation on a passage of a fixture paper, as a client would POST it."""
    body = [{"type": "TextualBody", "value": comment, "format": "text/markdown"}] if comment else []
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    selector = [{"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""}]
    if start is not None:
        selector.append({"type": "TextPositionSelector", "start": start, "end": start + len(exact)})
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "body": body,
        "target": {"source": f"http://testserver/papers/{slug}", "selector": selector},
        "visibility": visibility,
    }
