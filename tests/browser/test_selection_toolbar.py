"""The selection toolbar (Highlight | Annotate, or "Log in to annotate"): hidden until a passage
is selected, offered for a selection however it was made (no mouse-up needed, as on a phone),
gone again once used; on a touch screen it sits below the passage."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_annotating import sign_up

# select a passage as touch handles or Shift+arrows do: no mouse event at all
SELECT_ONLY = """([index, start, end]) => {
  const node = document.querySelectorAll('#summary > p')[index].firstChild;
  const range = document.createRange();
  range.setStart(node, start); range.setEnd(node, end);
  getSelection().removeAllRanges(); getSelection().addRange(range);
  const box = range.getBoundingClientRect();
  return { top: box.top + scrollY, bottom: box.bottom + scrollY };
}"""


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


def test_the_toolbar_is_hidden_until_a_selection_and_after_it(page: Page) -> None:
    page.goto("/papers/wavenet")
    toolbar = page.locator(".selection-popover")
    expect(toolbar).to_have_count(1)
    expect(toolbar).to_be_hidden()  # no stray pill under the footer
    page.evaluate(SELECT_ONLY, [0, 0, 30])
    expect(toolbar).to_be_visible()
    expect(toolbar.get_by_role("link", name="Log in to annotate")).to_be_visible()
    page.evaluate("getSelection().removeAllRanges()")
    expect(toolbar).to_be_hidden()


def test_a_touch_selection_offers_the_toolbar_below_the_passage(phone: Page) -> None:
    sign_up(phone, "/papers/wavenet")
    box = phone.evaluate(SELECT_ONLY, [0, 0, 40])
    toolbar = phone.locator(".selection-popover")
    expect(toolbar).to_be_visible()
    top = phone.evaluate("document.querySelector('.selection-popover').getBoundingClientRect().top + scrollY")
    assert top > box["bottom"], (top, box)  # below the passage: the phone's own menu goes above
    screenshot(phone, "selection-toolbar-phone")
    toolbar.get_by_role("button", name="Highlight").tap()
    expect(phone.locator("#summary mark.annotation-highlight.is-mine").first).to_be_visible()
    expect(toolbar).to_be_hidden()


def test_a_highlights_card_shows_its_passage(page: Page) -> None:
    sign_up(page, "/papers/wavenet")
    page.evaluate(SELECT_ONLY, [0, 0, 40])
    page.locator(".selection-popover").get_by_role("button", name="Highlight").click()
    card = page.locator(".notes-list > .note-card").first
    expect(card.locator(".note-quote")).to_have_text(page.locator("#summary mark.is-mine").first.text_content())
    expect(card.locator(".pill", has_text="highlight")).to_be_visible()
    screenshot(page, "highlight-card")


def test_the_paper_header_counts_public_notes(page: Page) -> None:
    sign_up(page, "/papers/neural-graph-fingerprints")  # a summary no other browser test annotates
    count = page.locator(".paper-links .note-count")
    expect(count).to_be_hidden()  # no public note yet
    page.evaluate(SELECT_ONLY, [1, 0, 20])
    page.locator(".selection-popover").get_by_role("button", name="Annotate").click()
    editor = page.locator(".note-editor")
    editor.locator("textarea").fill("A public note.")
    editor.locator("select").select_option("public")
    editor.get_by_role("button", name="Save").click()
    expect(count).to_have_text("1 public note")


IN_VIEW = "(e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight + 1; }"


def test_on_a_phone_the_editor_and_a_tapped_note_open_as_a_sheet_by_the_passage(phone: Page) -> None:
    sign_up(phone, "/papers/texture-networks")
    phone.evaluate(SELECT_ONLY, [0, 0, 40])
    before = phone.evaluate("scrollY")
    phone.locator(".selection-popover").get_by_role("button", name="Annotate").tap()
    editor = phone.locator(".note-editor.is-sheet")
    expect(editor).to_be_visible()
    assert editor.evaluate(IN_VIEW) and abs(phone.evaluate("scrollY") - before) < 600  # no jump to the margin
    passage = phone.locator("#summary .is-pending").first.bounding_box()
    assert passage["y"] >= 0 and passage["y"] + passage["height"] <= editor.bounding_box()["y"]  # in sight
    screenshot(phone, "note-editor-sheet-phone")
    editor.locator("textarea").fill("Noise in, texture out.")
    editor.get_by_role("button", name="Save").tap()
    expect(phone.locator(".note-editor")).to_have_count(0)
    expect(phone.locator(".note-card.is-sheet")).to_contain_text("Noise in, texture out.")  # saved, shown here
    assert abs(phone.evaluate("scrollY") - before) < 600
    phone.keyboard.press("Escape")
    mark = phone.locator("#summary mark.annotation-highlight.is-mine").first
    mark.scroll_into_view_if_needed()
    top = phone.evaluate("scrollY")
    mark.tap()
    sheet = phone.locator(".note-card.is-sheet")
    expect(sheet).to_contain_text("Noise in, texture out.")
    assert sheet.evaluate(IN_VIEW) and abs(phone.evaluate("scrollY") - top) < 50
    phone.keyboard.press("Escape")
    expect(sheet).to_have_count(0)


def test_a_figure_caption_is_annotated_like_any_passage(page: Page) -> None:
    sign_up(page, "/papers/bytenet")
    caption = page.locator("#summary p:has(> em)", has_text="Figure:").first
    caption.evaluate("""(p) => {
      const node = p.querySelector('em').firstChild, range = document.createRange();
      range.setStart(node, 0); range.setEnd(node, 20);
      getSelection().removeAllRanges(); getSelection().addRange(range);
    }""")
    page.locator(".selection-popover").get_by_role("button", name="Highlight").click()
    expect(caption.locator("mark.annotation-highlight.is-mine")).to_have_count(1)
    page.reload()
    expect(caption.locator("mark.annotation-highlight.is-mine")).to_have_count(1)  # anchored again on load
