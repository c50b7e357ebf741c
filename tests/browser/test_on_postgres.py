"""The reader's main path in Chromium with PostgreSQL underneath: sign up, annotate a passage,
find the note again after a reload, find the paper and the note by search, open the result at
its section. The rest of the browser suite runs on SQLite; tests/app runs on both."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_annotating import annotate, select_text, sign_up, wait_for_notes


@pytest.fixture
def pg_page(browser: Browser, pg_site) -> Iterator[Page]:
    context = browser.new_context(base_url=pg_site.url, viewport={"width": 1400, "height": 900})
    yield context.new_page()
    context.close()


def test_annotate_and_search_on_postgres(pg_page: Page) -> None:
    page = pg_page
    sign_up(page, "/papers/dcgan")
    select_text(page, 1, 0, 30)
    annotate(page, "Batch normalisation everywhere except the generator's output.", tags="pg-check", public=True)
    page.reload()
    wait_for_notes(page)
    expect(page.locator(".notes-list > .note-card", has_text="Batch normalisation everywhere")).to_have_count(1)

    page.goto("/search?q=strided convolutions")
    first = page.locator(".result").first
    expect(first.locator(".card-title")).to_contain_text("Deep Convolutional")
    expect(first.locator(".snippet mark").first).to_be_visible()  # ts_headline's marks, as FTS5's
    screenshot(page, "search-on-postgres")
    first.locator(".card-title a").click()  # opens the paper at the section, the words marked
    expect(page).to_have_url(re.compile(r"/papers/dcgan\?highlight="))
    expect(page.locator("#summary mark").first).to_be_visible()
    page.goto("/search?q=normalisation everywhere")
    expect(page.locator(".result .snippet", has_text="everywhere")).to_have_count(1)  # the note, by its words
    page.goto("/?q=dcgan")
    expect(page.locator(".card .card-title").first).to_contain_text("Deep Convolutional")
