"""Fixtures for service-level tests: a database holding the fixture library, and a reader."""

import pytest

from app.services.accounts import create_user
from app.services.paper_index import reindex


@pytest.fixture
def db(session, settings):
    """The test database with tests/fixtures/papers indexed."""
    reindex(session, settings.papers_dir)
    return session


@pytest.fixture
def ada(db):
    """A reader account (tests/app/routes overrides `ada` with API headers)."""
    return create_user(db, name="ada", password="correct horse battery")
