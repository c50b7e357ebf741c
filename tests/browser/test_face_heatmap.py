"""The face heat-map demo in Chromium, with the shipped networks: a sample photo gives boxes and a
heat map drawn over it, the threshold slider (from the keyboard) and the stages re-run the
detector on the same photo, an upload works, and the compact copy runs on the paper page."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, screenshot

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "models" / "face_heatmap" / "page" / "samples"
WIDGET = ".fh:not(.fh-compact)"

# Mean colour saturation and brightness of the result canvas where the heat map is drawn:
# a photo with the inferno overlay has its faces glowing orange/yellow.
HEAT_PIXELS = """(selector) => {
  const canvas = document.querySelector(selector);
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let warm = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] > 200 && data[i + 1] > 80 && data[i + 2] < 90) warm++;
  return { width: canvas.width, height: canvas.height, warm: warm / (data.length / 4) };
}"""


def _runs(page: Page, root: str = WIDGET) -> int:
    return int(page.locator(root).get_attribute("data-runs") or 0)


def _wait_for_run(page: Page, after: int, root: str = WIDGET) -> None:
    expect(page.locator(root)).not_to_have_attribute("data-runs", str(after), timeout=30_000)
    expect(page.locator(f"{root} .fh-status")).to_contain_text("Found", timeout=30_000)


def test_a_sample_gives_boxes_and_a_heat_map_and_the_controls_rerun(page: Page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/demos/face-heatmap")
    widget = page.locator(WIDGET)
    expect(widget).to_be_visible()
    widget.locator('[data-sample$="astronaut.jpg"]').click()
    _wait_for_run(page, 0)
    assert int(widget.get_attribute("data-boxes")) >= 1
    expect(widget.locator(".fh-table tbody tr")).to_have_count(int(widget.get_attribute("data-boxes")))
    canvas = widget.locator(".fh-canvas")
    expect(canvas).to_have_attribute("data-heatmap", "drawn")
    pixels = page.evaluate(HEAT_PIXELS, f"{WIDGET} .fh-canvas")
    assert (pixels["width"], pixels["height"]) == (1024, 1024)  # the preview side
    assert pixels["warm"] > 0.002, pixels  # the face glows
    expect(widget.locator(".fh-scale")).not_to_have_count(0)
    expect(widget.locator(".fh-scale figcaption").first).to_contain_text("20 px")
    screenshot(page, "face-heatmap-astronaut", full_page=True)

    # the threshold from the keyboard: the shading follows at once, the detector re-runs
    runs = _runs(page)
    slider = widget.locator('input[name="threshold"]')
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(widget.locator('.fh-value[data-for="threshold"]')).to_have_text("0.65")
    expect(canvas).to_have_attribute("data-threshold", "0.65")
    _wait_for_run(page, runs)
    expect(widget).to_have_attribute("data-threshold", "0.65")

    # stage 1 alone: P-Net's raw windows, many more boxes, no landmarks
    three = int(widget.get_attribute("data-boxes"))
    runs = _runs(page)
    widget.get_by_label("1: P-Net heat map only (DDFD-style)").check()
    _wait_for_run(page, runs)
    expect(widget).to_have_attribute("data-stages", "1")
    assert int(widget.get_attribute("data-boxes")) > three
    screenshot(page, "face-heatmap-stage1")
    assert page.foreign_requests == [] and errors == []


def test_upload_a_photo_and_only_the_newest_photo_counts(page: Page) -> None:
    """The astronaut's job is held 'running' until the upload has been sent; its answer, when it
    comes, is stale and must not be drawn."""
    held: dict[str, object] = {"url": None, "released": False}
    posts: list[str] = []

    def hold_first_job(route) -> None:
        held["url"] = held["url"] or route.request.url
        if route.request.url == held["url"] and not held["released"]:
            route.fulfill(json={"status": "running", "progress": 0.5})
        else:
            route.continue_()

    page.route("**/api/v1/jobs/*", hold_first_job)
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/api/v1/demos/" in r.url else None)
    page.goto("/demos/face-heatmap")
    widget = page.locator(WIDGET)
    widget.locator('[data-sample$="astronaut.jpg"]').click()
    while held["url"] is None:  # the astronaut's job is being followed
        page.wait_for_timeout(20)
    page.set_input_files(f"{WIDGET} .fh-upload input", str(SAMPLES / "group.jpg"))
    while len(posts) < 2:  # the upload is on its way: let the astronaut's job answer now
        page.wait_for_timeout(20)
    held["released"] = True
    _wait_for_run(page, 0)
    expect(widget.locator(".fh-status")).to_contain_text("640 x 480 px photo")
    page.wait_for_timeout(600)  # time for the astronaut's stale answer to be (wrongly) drawn
    expect(widget).to_have_attribute("data-runs", "1")
    expect(widget.locator(".fh-status")).to_contain_text("640 x 480 px photo")
    assert int(widget.get_attribute("data-boxes")) >= 5  # the group's seven faces, or nearly
    widget.locator(".fh-table tbody tr").first.focus()  # a focused row picks out its box
    expect(widget.locator(".fh-table tr.fh-picked")).to_have_count(1)
    screenshot(page, "face-heatmap-group", full_page=True)
    # the README's picture: the widget alone (copied to static/docs/face-heatmap-demo.png by hand)
    page.locator(".fh-table tbody tr").first.blur()
    page.set_viewport_size({"width": 1100, "height": 900})  # a smaller picture for the README
    box = widget.bounding_box()  # in the viewport; the clip is in the page
    left, top = page.evaluate("[window.scrollX, window.scrollY]")
    page.screenshot(path=str(ARTIFACTS / "face-heatmap-readme.png"), full_page=True,
                    clip={"x": left + box["x"] - 16, "y": top + box["y"] - 2,
                          "width": box["width"] + 32, "height": box["height"] + 18})

    # the smallest face: 600 px leaves no scale of a 640x480 photo, and the page says so
    runs = _runs(page)
    widget.locator('input[name="min_face"]').fill("600")
    _wait_for_run(page, runs)
    expect(widget).to_have_attribute("data-min-face", "600")
    expect(widget.locator(".fh-status")).to_contain_text("No scale fits")
    expect(widget.locator(".fh-strip")).to_contain_text("does not fit")


def test_the_compact_copy_on_the_paper_page(page: Page) -> None:
    page.goto("/papers/multiview-face-detection")
    root = ".demo-panel .fh-compact"
    widget = page.locator(root)
    expect(widget).to_be_visible()
    expect(widget.locator('input[type="range"]')).to_have_count(0)  # no controls in the margin
    widget.locator('[data-sample$="tilted.jpg"]').click()
    _wait_for_run(page, 0, root)
    assert int(widget.get_attribute("data-boxes")) >= 1
    expect(widget.locator(".fh-canvas")).to_have_attribute("data-heatmap", "drawn")
    expect(widget.get_by_role("link", name="Open the full demo")).to_have_attribute("href", "/demos/face-heatmap")
    widget.scroll_into_view_if_needed()
    screenshot(page, "face-heatmap-paper")


def test_a_dark_phone_screen_needs_no_sideways_scrolling(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto("/demos/face-heatmap")
        widget = page.locator(WIDGET)
        widget.locator('[data-sample$="group.jpg"]').tap()
        _wait_for_run(page, 0)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        ink = page.evaluate("getComputedStyle(document.querySelector('.fh-status')).color")
        assert ink != "rgb(107, 98, 88)"  # the dark theme's muted colour, not the light one's
        screenshot(page, "face-heatmap-phone", full_page=True)
    finally:
        context.close()


def test_without_scripts_the_full_page_is_a_plain_form(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/demos/face-heatmap")
        widget = page.locator(WIDGET)
        expect(widget.locator('input[name="threshold"]')).to_be_visible()
        page.set_input_files(f"{WIDGET} .fh-upload input", str(SAMPLES / "astronaut.jpg"))
        widget.get_by_label("1: P-Net heat map only (DDFD-style)").check()
        widget.get_by_role("button", name="Find faces").click()
        page.wait_for_url("**/demos/face-heatmap/jobs/**")
    finally:
        context.close()


def test_a_file_that_is_not_an_image_is_refused(page: Page) -> None:
    page.goto("/demos/face-heatmap")
    page.set_input_files(f"{WIDGET} .fh-upload input",
                         files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    expect(page.locator(f"{WIDGET} .fh-status.form-error")).to_contain_text("not an image")
    expect(page.locator(f"{WIDGET} .fh-figure")).to_be_hidden()
    expect(page.locator(f"{WIDGET} .fh-boxes")).to_be_hidden()
