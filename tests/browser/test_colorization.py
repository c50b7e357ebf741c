"""The colorization demo in Chromium, with the shipped network: upload, result, temperature
slider re-decoding in the page, the per-pixel chart, and the compact version on the paper page."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

SAMPLES = Path(__file__).resolve().parents[2] / "models" / "colorization" / "page" / "samples"

# Mean of max(r, g, b) - min(r, g, b) over the result canvas: 0 for grey, higher for vivid.
CANVAS_SATURATION = """() => {
  const canvas = document.querySelector('[data-panel="result"] canvas');
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let total = 0;
  for (let i = 0; i < data.length; i += 4) {
    total += Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]);
  }
  return total / (data.length / 4);
}"""

# Mean absolute difference between the canvas and the server's PNG (same size when <= 1024 px).
DIFFERENCE_FROM_SERVER = """async () => {
  const canvas = document.querySelector('[data-panel="result"] canvas');
  const href = document.querySelector(".colorizer-download").href;
  const img = new Image();
  img.src = href;
  await img.decode();
  const other = Object.assign(document.createElement("canvas"), { width: img.width, height: img.height });
  other.getContext("2d").drawImage(img, 0, 0);
  const a = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const b = other.getContext("2d").getImageData(0, 0, img.width, img.height).data;
  if (a.length !== b.length) return 255;
  let total = 0;
  for (let i = 0; i < a.length; i += 4) {
    total += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
  }
  return total / (3 * a.length / 4);
}"""


def _set_temperature(page: Page, value: str) -> float:
    page.locator('.colorizer input[type="range"]').fill(value)
    expect(page.locator(f'[data-panel="result"] canvas[data-temperature="{value}"]')).to_have_count(1)
    return page.evaluate(CANVAS_SATURATION)


def test_upload_colorize_and_move_the_temperature(page: Page) -> None:
    page.goto("/demos/colorization")
    page.set_input_files(".colorizer-upload input", str(SAMPLES / "coffee.jpg"))
    expect(page.locator(".colorizer-status")).to_contain_text("Done: 600 x 400 px", timeout=30_000)
    expect(page.locator('[data-panel="original"]')).to_be_visible()  # a colour upload: compare
    expect(page.locator('[data-panel="grey"] img')).to_be_visible()
    canvas = page.locator('[data-panel="result"] canvas')
    expect(canvas).to_have_attribute("data-temperature", "0.38")
    # the page decodes the cached distribution as the server does: same picture at T = 0.38
    assert page.evaluate(DIFFERENCE_FROM_SERVER) < 2.0
    assert page.locator(".colorizer-download").get_attribute("href").endswith("/colorized.png")

    bold, faded = _set_temperature(page, "0.05"), _set_temperature(page, "1.00")
    assert bold > faded > 0  # lower temperature, more vivid colours; no rerun needed

    _set_temperature(page, "0.38")
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45)
    expect(page.locator(".colorizer-chart")).to_be_visible()
    expect(page.locator(".colorizer-chart-caption")).to_contain_text("most likely bin")
    marker = page.locator(".colorizer-marker")
    clicked = marker.get_attribute("style")
    canvas.focus()
    page.keyboard.press("ArrowRight")  # keyboard users move the charted point cell by cell
    expect(marker).not_to_have_attribute("style", clicked)
    screenshot(page, "colorization-demo", full_page=True)
    assert page.foreign_requests == []


def test_a_sample_on_the_paper_page(page: Page) -> None:
    page.goto("/papers/colorful-image-colorization")
    widget = page.locator(".demo-panel .colorizer-compact")
    expect(widget).to_be_visible()
    widget.locator('[data-sample$="coins.jpg"]').click()
    expect(widget.locator(".colorizer-status")).to_contain_text("Done", timeout=30_000)
    expect(widget.locator('[data-panel="result"] canvas')).to_be_visible()
    expect(widget.locator('[data-panel="original"]')).to_be_hidden()  # a black-and-white photo
    screenshot(page, "colorization-paper")


def test_a_file_that_is_not_an_image_is_refused_and_clears_the_last_result(page: Page) -> None:
    page.goto("/demos/colorization")
    page.set_input_files(".colorizer-upload input", str(SAMPLES / "coffee.jpg"))
    expect(page.locator(".colorizer-status")).to_contain_text("Done", timeout=30_000)
    expect(page.locator(".colorizer-panels")).to_be_visible()
    page.set_input_files(".colorizer-upload input",
                         files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    status = page.locator(".colorizer-status.form-error")
    expect(status).to_contain_text("not an image we can read")
    assert "Error)" not in status.text_content()  # words for the reader, not an exception's name
    expect(page.locator(".colorizer-panels")).to_be_hidden()  # the coffee's colours are not this file's
