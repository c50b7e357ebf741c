"""The style-transfer demo in Chromium, with the shipped generators: pick a photo and a style
and see the result; move the strength; upload a style and watch the optimisation's previews;
grow a texture; the compact copy in the paper's margin."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

SAMPLES = Path(__file__).resolve().parents[2] / "models" / "style_transfer" / "page" / "samples"


def test_pick_a_photo_and_a_style(page: Page) -> None:
    page.goto("/demos/style-transfer")
    page.locator('.st-thumb[data-photo$="coffee.jpg"]').click()
    status = page.locator(".st-status")
    expect(status).to_contain_text("Done in", timeout=30_000)
    result = page.locator('[data-panel="result"] img')
    expect(result).to_have_attribute("src", re.compile(r"/stylised\.png$"))
    first = result.get_attribute("src")
    page.locator(".st-style").nth(2).click()
    expect(status).to_contain_text("Done in", timeout=30_000)
    expect(result).not_to_have_attribute("src", first)
    slider = page.locator('input[name="style_weight"]')
    slider.focus()
    page.keyboard.press("Home")  # strength 0: the photo itself comes back
    expect(page.locator(".st-strength-value")).to_have_text("0")
    # the photo comes back: the result's style loss is the photo's own
    expect(status).to_have_text(re.compile(r"Gram\) loss (\S+) → \1\.$"), timeout=30_000)
    screenshot(page, "style-transfer-fast")
    assert page.foreign_requests == []


def test_an_uploaded_style_shows_previews_while_it_optimises(page: Page) -> None:
    page.goto("/demos/style-transfer")
    page.locator('input[name="method"][value="optimise"]').check()
    page.locator('input[name="steps"]').fill("60")
    page.set_input_files('input[name="content"]', str(SAMPLES / "chelsea.jpg"))
    page.set_input_files('input[name="style_image"]', str(SAMPLES / "coffee.jpg"))
    status = page.locator(".st-status")
    expect(status).to_contain_text("preview", timeout=60_000)
    expect(status).to_contain_text("Done in", timeout=120_000)
    expect(page.locator('[data-panel="result"] img')).to_have_attribute("src", re.compile(r"/stylised\.png$"))
    screenshot(page, "style-transfer-optimise")


def test_a_texture_from_a_shipped_sample(page: Page) -> None:
    page.goto("/demos/style-transfer")
    tab = page.locator('[role="tab"][data-tab="repaint"]')
    tab.focus()
    page.keyboard.press("ArrowRight")  # keyboard moves to the texture tab
    expect(page.locator('[role="tab"][data-tab="texture"]')).to_have_attribute("aria-selected", "true")
    page.locator(".st-run").click()  # the default style has a texture network: one pass
    status = page.locator(".st-status")
    expect(status).to_contain_text("texture network", timeout=30_000)
    expect(page.locator('[data-panel="content"]')).to_be_hidden()
    result = page.locator('[data-panel="result"] img')
    expect(result).to_have_attribute("src", re.compile(r"/texture\.png$"))
    first = result.get_attribute("src")
    page.locator(".st-reseed").click()  # another seed, another texture
    expect(result).not_to_have_attribute("src", first, timeout=30_000)
    expect(status).to_contain_text("texture network")
    screenshot(page, "style-transfer-texture")
    page.locator('input[name="steps"]').fill("20")
    page.locator(".st-style").nth(1).click()  # a style without one grows by optimisation
    expect(status).to_contain_text("texture by optimisation", timeout=120_000)


def test_the_compact_copy_in_the_papers_margin(page: Page) -> None:
    page.goto("/papers/neural-algorithm-of-artistic-style")
    widget = page.locator(".demo-panel .st-compact")
    expect(widget).to_be_visible()
    widget.locator('.st-thumb[data-photo$="chelsea.jpg"]').click()
    expect(widget.locator(".st-status")).to_contain_text("Done in", timeout=30_000)
    screenshot(page, "style-transfer-margin")
