"""The WaveNet demo in Chromium, with the shipped network: pick a voice, generate, watch the
progress bar follow the samples, get the audio player, waveform, spectrogram and speed; the
training-data clip follows the condition; the compact copy in the paper's margin."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

# The audio element's duration once the browser has read the WAV's header.
DURATION = """a => new Promise(resolve => a.readyState >= 1 ? resolve(a.duration)
  : a.addEventListener("loadedmetadata", () => resolve(a.duration)))"""


def test_pick_a_condition_generate_and_listen(page: Page) -> None:
    page.goto("/demos/wavenet")
    widget = page.locator(".wavenet:not(.wavenet-compact)")
    widget.locator('select[name="condition"]').select_option("voice-de")
    reference = widget.locator(".wavenet-reference-audio")
    expect(reference).to_have_attribute("src", "/demo-assets/wavenet/samples/voice-de.wav")
    expect(widget.locator(".wavenet-reference-label")).to_have_text("German voice")
    widget.locator('input[name="seconds"]').fill("3")
    expect(widget.locator(".wavenet-seconds-value")).to_have_text("3.00")
    widget.locator('input[name="seed"]').fill("42")
    widget.locator(".wavenet-generate").click()
    expect(widget.locator(".wavenet-status")).to_contain_text("Generating: ", timeout=30_000)
    expect(widget.locator(".wavenet-progress")).to_be_visible()
    expect(widget.locator(".wavenet-status")).to_contain_text("Done", timeout=60_000)
    assert int(widget.get_attribute("data-progress-updates")) >= 1  # the bar moved with the job
    expect(widget.locator(".wavenet-progress")).to_be_hidden()
    audio = widget.locator(".wavenet-audio")
    expect(audio).to_be_visible()
    assert audio.get_attribute("src").endswith("/generated.wav")
    duration = audio.evaluate(DURATION)
    assert abs(duration - 3.0) < 0.01  # the browser decodes the WAV: 48,000 samples at 16 kHz
    expect(widget.locator(".wavenet-speed")).to_contain_text("samples/s")
    expect(widget.locator(".wavenet-speed")).to_contain_text("2048 samples, 128 ms")
    expect(widget.locator(".wavenet-caption")).to_contain_text("German voice, 3 s at temperature 1, seed 42")
    assert widget.locator(".wavenet-spectrogram img").evaluate("img => img.decode().then(() => img.naturalWidth)") > 300
    inked = widget.locator(".wavenet-waveform").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 3 && v).length")
    assert inked > 1000  # the waveform was drawn
    screenshot(page, "wavenet-demo", full_page=True)
    assert page.foreign_requests == []


def test_the_margin_copy_on_the_paper_page(page: Page) -> None:
    page.goto("/papers/wavenet")
    widget = page.locator(".wavenet-compact")
    expect(widget).to_be_visible()
    widget.locator('select[name="condition"]').select_option("flute")
    widget.locator('input[name="seconds"]').fill("0.5")
    widget.locator(".wavenet-generate").click()
    expect(widget.locator(".wavenet-status")).to_contain_text("Done", timeout=60_000)
    expect(widget.locator(".wavenet-audio")).to_be_visible()
    expect(widget.locator(".wavenet-caption")).to_contain_text("Flute, 0.5 s")
    screenshot(page, "wavenet-margin")
    assert page.foreign_requests == []
