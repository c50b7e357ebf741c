"""The LRP demo in Chromium, with the shipped classifier: draw a digit with the mouse, see the
prediction and the heat maps, explain it against another class, pick a test digit with the
keyboard, and the compact copy in the paper's margin."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot


def _draw_one(page: Page, pad: str = ".lrp-pad") -> None:
    """A vertical stroke down the middle of the pad: a 1."""
    box = page.locator(pad).bounding_box()
    x, top, height = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.15, box["height"] * 0.7
    page.mouse.move(x, top)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x + step * 0.4, top + height * step / 20)
    page.mouse.up()


def test_draw_a_digit_and_see_what_the_network_used(page: Page) -> None:
    page.goto("/demos/lrp")
    _draw_one(page)
    status = page.locator(".lrp-status")
    expect(status).to_contain_text("The network reads 1", timeout=30_000)
    expect(page.locator('.lrp-bars button[data-class="1"]')).to_have_attribute("aria-pressed", "true")
    maps = page.locator(".lrp-map")
    expect(maps).to_have_count(5)  # the rules ticked by default
    expect(page.locator('.lrp-map[data-rule="epsilon"] figcaption')).to_contain_text("logit 1 =")
    # a heat map is drawn: some red pixels where the stroke is
    red = page.evaluate("""() => {
      const canvas = document.querySelector('.lrp-map[data-rule="composite"] canvas');
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let red = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 200 && data[i + 1] < 150) red++;
      return red;
    }""")
    assert red > 50
    page.locator(".lrp-rules input[value='random']").check()
    expect(maps).to_have_count(6)  # shown at once: every rule came with the first answer
    page.select_option(".lrp-contrast", "7")
    expect(status).to_contain_text("rather than 7", timeout=30_000)
    expect(page.locator('.lrp-map[data-rule="epsilon"] figcaption')).to_contain_text("logit 1 − logit 7")
    screenshot(page, "lrp-drawn")
    expect(page.locator(".lrp-aopc svg polyline")).to_have_count(11)  # the card's AOPC curves
    assert page.foreign_requests == []


def test_keyboard_picks_a_test_digit_and_a_class_to_explain(page: Page) -> None:
    page.goto("/demos/lrp")
    page.locator('.lrp-sample[data-digit="8"]').focus()
    page.keyboard.press("Enter")
    status = page.locator(".lrp-status")
    expect(status).to_contain_text("The network reads 8", timeout=30_000)
    page.locator('.lrp-bars button[data-class="3"]').focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("Explaining class 3", timeout=30_000)
    expect(page.locator('.lrp-bars button[data-class="3"]')).to_have_attribute("aria-pressed", "true")
    page.locator(".lrp-clear").click()
    expect(page.locator(".lrp-map")).to_have_count(0)


def test_the_compact_copy_in_the_papers_margin(page: Page) -> None:
    page.goto("/papers/lrp-evaluating-visualization")
    widget = page.locator(".demo-panel .lrp-compact")
    expect(widget).to_be_visible()
    _draw_one(page, ".demo-panel .lrp-pad")
    expect(widget.locator(".lrp-status")).to_contain_text("The network reads", timeout=30_000)
    expect(widget.locator(".lrp-map")).to_have_count(1)
    screenshot(page, "lrp-margin")
