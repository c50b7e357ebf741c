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
    return Settings(content_dir=content, data_dir=tmp_path / "data")


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
