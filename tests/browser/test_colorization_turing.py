"""The colourization Turing test in Chromium: from the demo page to ten answered rounds (mouse,
arrow keys, Enter on a focused photo), then the reader's score and everyone's tally."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot


def test_a_reader_plays_ten_rounds(page: Page) -> None:
    page.goto("/demos/colorization")
    page.get_by_role("link", name="Take the colourization Turing test").click()
    progress = page.locator(".turing-progress")
    expect(progress).to_contain_text("Round 1 of 10")
    expect(page.locator('.turing-choice[data-side="left"] img')).to_have_js_property("complete", True)
    screenshot(page, "turing-round")
    for number in range(1, 11):
        expect(progress).to_contain_text(f"Round {number} of 10")
        if number % 3 == 0:
            page.keyboard.press("ArrowRight")
        elif number % 3 == 1:
            page.locator('.turing-choice[data-side="left"]').click()
        else:
            page.locator('.turing-choice[data-side="right"]').focus()
            page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.locator(".turing-score")).to_have_text(re.compile(r"You picked the real photo in \d+ of 10 rounds"))
    expect(page.locator(".turing-rate")).to_have_text(re.compile(r"\d+%"))
    screenshot(page, "turing-result", full_page=True)
    assert page.foreign_requests == []
