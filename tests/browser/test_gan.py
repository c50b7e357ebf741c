"""The GAN editing demo in Chromium, with the shipped networks: samples load, a stroke drawn
with the mouse brings candidates, drawing again changes them, picking one makes it the image
to edit, undo steps back; the walk through latent space; the compact copy in the margin."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot


def _stroke(page: Page, canvas: str, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A mouse stroke from `start` to `end`, in fractions of the canvas."""
    box = page.locator(canvas).bounding_box()
    at = lambda fx, fy: (box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)  # noqa: E731
    page.mouse.move(*at(*start))
    page.mouse.down()
    for step in range(1, 16):
        t = step / 15
        page.mouse.move(*at(start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t))
    page.mouse.up()


def _candidate_sources(page: Page, root: str = "") -> list[str]:
    return page.locator(f"{root} .gan-candidates img").evaluate_all("images => images.map(i => i.src)")


def test_draw_see_candidates_change_and_pick_one(page: Page) -> None:
    page.goto("/demos/gan")
    status = page.locator(".gan-status")
    expect(page.locator(".gan-samples button")).to_have_count(8, timeout=90_000)
    expect(status).to_contain_text("Draw on the image")
    _stroke(page, ".gan-strokes", (0.2, 0.3), (0.8, 0.3))  # a red band across the top
    candidates = page.locator(".gan-candidates button")
    expect(status).to_contain_text("closest fit", timeout=90_000)
    expect(candidates).to_have_count(4)
    first = _candidate_sources(page)
    page.locator('.gan-tools input[value="sketch"]').check()
    _stroke(page, ".gan-strokes", (0.5, 0.45), (0.5, 0.9))  # a sketch line down the middle
    page.wait_for_function("(before) => { const now = [...document.querySelectorAll('.gan-candidates img')]"
                           ".map(i => i.src); return now.length === 4 && now.every((s, i) => s !== before[i]); }",
                           arg=first, timeout=90_000)
    expect(status).to_contain_text("closest fit", timeout=90_000)
    screenshot(page, "gan-candidates")
    chosen = _candidate_sources(page)[2]
    candidates.nth(2).click()
    expect(status).to_contain_text("Kept")
    expect(page.locator(".gan-candidates button")).to_have_count(0)  # strokes done with: a fresh start
    expect(page.locator(".gan-image")).to_have_attribute("data-src", chosen)  # the picked image is the one shown
    page.locator(".gan-undo").click()  # back to the candidates before the pick
    expect(page.locator(".gan-candidates button")).to_have_count(4)
    page.locator(".gan-reset").click()
    expect(page.locator(".gan-candidates button")).to_have_count(0)
    assert page.foreign_requests == []


def test_walk_between_two_samples(page: Page) -> None:
    page.goto("/demos/gan")
    expect(page.locator(".gan-samples button")).to_have_count(8, timeout=90_000)
    page.locator(".gan-walk-to").select_option("3")
    page.locator(".gan-walk-go").click()
    frame = page.locator(".gan-frame")
    expect(page.locator(".gan-walk-view")).to_be_visible(timeout=90_000)
    start = frame.get_attribute("src")
    page.locator(".gan-walk-slider").fill("7")
    expect(frame).not_to_have_attribute("src", start)
    screenshot(page, "gan-walk", full_page=True)


def test_the_compact_copy_in_the_papers_margin(page: Page) -> None:
    page.goto("/papers/generative-visual-manipulation")
    widget = page.locator(".demo-panel .gan-compact")
    expect(widget).to_be_visible()
    expect(widget.locator(".gan-samples button")).to_have_count(4, timeout=90_000)
    _stroke(page, ".demo-panel .gan-strokes", (0.3, 0.5), (0.7, 0.5))
    expect(widget.locator(".gan-candidates button")).to_have_count(4, timeout=90_000)
    screenshot(page, "gan-margin")
