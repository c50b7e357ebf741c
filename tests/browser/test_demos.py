"""Running a demo from its page in Chromium (the tiny registered network)."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot


def test_run_a_demo_and_see_its_result(page: Page) -> None:
    page.goto("/demos/tiny")
    expect(page.locator("#curl-line")).to_contain_text("/api/v1/demos/tiny?wait=30")
    expect(page.locator(".demo-explanation .katex")).to_have_count(1)  # the text's math is typeset
    page.fill("#in-x", "1,0,0")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".demo-status")).to_have_text("Done.", timeout=30_000)
    expect(page.locator(".demo-result pre")).to_contain_text('"y"')
    expect(page.locator(".demo-result a", has_text="y.txt")).to_be_visible()
    screenshot(page, "demo-tiny")
    assert page.foreign_requests == []


def test_a_demo_error_is_shown_not_swallowed(page: Page) -> None:
    page.goto("/demos/tiny")
    page.set_input_files("#in-image", files=[{"name": "x.png", "mimeType": "image/png", "buffer": b"not a png"}])
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".demo-status.form-error")).to_contain_text("not an image")
