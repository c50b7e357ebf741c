"""A real server on a free loopback port and the real Chromium (Debian's), driven by Playwright.

Chromium missing makes these tests fail, not skip: `make test` and `.ci/run` install it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, sync_playwright

from app.main import create_app
from app.settings import Settings
from tests.conftest import CONTENT, make_settings
from tests.queue_fixtures import TINY_DEMOS

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass(frozen=True)
class Site:
    url: str
    app: FastAPI  # runs in this process, so tests can reach its services and content folder
    settings: Settings


@contextmanager
def _serving(settings: Settings) -> Iterator[Site]:
    """`settings`' app, served by uvicorn in a thread of this process."""
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, what="the test server to start")
    yield Site(f"http://127.0.0.1:{port}", app, settings)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The shipped content, served by uvicorn in a thread of this process."""
    settings = make_settings(tmp_path_factory.mktemp("site"), CONTENT / "papers")
    # a real (tiny) network to run, and the real demos warmed up at start as in production; every
    # test is the same client (127.0.0.1), so the per-client limits (tested in tests/app) are lifted
    settings = settings.model_copy(update={"demo_specs": TINY_DEMOS, "preload_models": True,
                                           "demo_runs_per_minute": 100_000, "turing_votes_per_minute": 100_000})
    with _serving(settings) as served:
        yield served


@pytest.fixture(scope="session")
def pg_site(tmp_path_factory: pytest.TempPathFactory, postgres) -> Iterator[Site]:
    """The shipped content on PostgreSQL (tests/postgres_server.py): the reading and annotating
    paths, whose database is what differs, run on it too (tests/browser/test_on_postgres.py)."""
    url, _name = postgres.new_database()
    settings = make_settings(tmp_path_factory.mktemp("pg-site"), CONTENT / "papers", url)
    with _serving(settings.model_copy(update={"demo_specs": TINY_DEMOS})) as served:
        yield served


@pytest.fixture(scope="session")
def base_url(site: Site) -> str:
    return site.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.foreign_requests = []  # every request that leaves this server: there must be none
    local = (base_url, "blob:", "data:")  # object and data URLs never leave the browser
    tab.on("request",
           lambda request: None if request.url.startswith(local) else tab.foreign_requests.append(request.url))
    yield tab
    context.close()


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
