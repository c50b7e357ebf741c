"""Shared fixtures: each test gets its own data folder, SQLite file and app."""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURE_PAPERS = Path(__file__).parent / "fixtures" / "papers"


def make_settings(tmp_path: Path, papers: Path) -> Settings:
    content = tmp_path / "content"
    shutil.copytree(papers, content / "papers")
    # No model warm-up: each test's app would otherwise load every demo's network in a thread
    # that outlives the test (the browser site and the preload test turn it back on).
    return Settings(content_dir=content, data_dir=tmp_path / "data", preload_models=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A small, known library (tests/fixtures/papers) in a temporary folder."""
    return make_settings(tmp_path, FIXTURE_PAPERS)


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
