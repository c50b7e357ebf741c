"""Display math on a 390 px phone, light and dark: a formula wider than the column scrolls in
its own box from its first symbol, and an equation number never sits on the formula."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import screenshot

MEASURE = """() => [...document.querySelectorAll('.math-display.math-typeset')].map((box) => {
  const html = box.querySelector('.katex-html');
  const base = html.querySelector('.katex-base, .base'), tag = html.querySelector('.katex-tag, .tag');
  const b = base.getBoundingClientRect(), t = tag ? tag.getBoundingClientRect() : null, c = box.getBoundingClientRect();
  return { wide: box.scrollWidth > box.clientWidth + 1, scrolls: getComputedStyle(box).overflowX === 'auto',
           startsInside: b.left >= c.left - 1, overlap: t ? Math.max(0, b.right - t.left) : 0 };
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_formulas_scroll_and_numbers_stay_clear(browser: Browser, base_url: str, scheme: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, color_scheme=scheme)
    page = context.new_page()
    page.goto("/papers/colorful-image-colorization")
    page.wait_for_selector(".math-display.math-typeset")
    formulas = page.evaluate(MEASURE)
    assert any(f["wide"] for f in formulas)  # the page has formulas wider than a phone
    for number, formula in enumerate(formulas):
        assert formula["scrolls"] and formula["startsInside"], (number, formula)
        assert formula["overlap"] == 0, (number, formula)  # the number is after the formula, not on it
    numbered = page.locator(".math-display:has(.katex-tag)").first
    numbered.scroll_into_view_if_needed()
    screenshot(page, f"math-phone-{scheme}")
    context.close()
