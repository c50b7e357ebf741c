"""A reader's paths through the library in the real Chromium."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot


def test_library_search_and_open_a_paper(page: Page) -> None:
    page.goto("/")
    expect(page.locator(".card")).to_have_count(12)  # the first page of the library
    screenshot(page, "library")

    page.get_by_label("Search the library").fill("dilated convolutions")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/search?q=dilated+convolutions")
    expect(page.locator(".result").first.locator("mark").first).to_be_visible()
    screenshot(page, "search-results")

    page.locator(".result .card-title a", has_text="Multi-Scale Context Aggregation").click()
    expect(page.locator("h1#paper-title")).to_have_text("Multi-Scale Context Aggregation by Dilated Convolutions")
    assert page.foreign_requests == []


def test_math_is_typeset_with_no_raw_tex_left(page: Page) -> None:
    page.goto("/papers/batch-normalization")
    math = page.locator(".summary .math")
    expect(math.first).to_have_class("math math-inline math-typeset")
    count = math.count()
    assert count > 10
    assert page.locator(".summary .math.math-typeset .katex").count() == count
    assert page.locator(".katex-error").count() == 0
    leftover = page.evaluate(
        """[...document.querySelectorAll('.summary p')]
             .filter(p => p.querySelector('.math'))
             .map(p => [...p.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(''))
             .filter(text => text.includes('$') || text.includes('\\\\('))"""
    )
    assert leftover == []
    page.locator(".math-display").first.scroll_into_view_if_needed()
    screenshot(page, "paper-math")
    assert page.foreign_requests == []


def test_tag_filter_narrows_the_library(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Tag", exact=True).select_option("style-transfer")  # applies on change
    expect(page).to_have_url("/?tag=style-transfer&sort=year")
    cards = page.locator(".card")
    expect(cards).to_have_count(2)
    for i in range(cards.count()):
        expect(cards.nth(i).locator(".chip", has_text="style-transfer")).to_be_visible()
    screenshot(page, "library-filtered")


def test_contents_links_and_bibtex_copy(page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/papers/wavenet")
    page.locator(".toc a", has_text="Results").click()
    expect(page).to_have_url("/papers/wavenet#results")
    page.get_by_text("Cite (BibTeX)").click()
    page.get_by_role("button", name="Copy BibTeX").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()").startswith("@")


def test_keyboard_user_can_skip_to_the_content(page: Page) -> None:
    page.goto("/papers/dcgan")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_phone_width_has_no_sideways_scroll(browser, base_url: str) -> None:
    context = browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, color_scheme="dark",
        device_scale_factor=2, is_mobile=True,
    )
    phone = context.new_page()
    for path in ("/", "/papers/colorful-image-colorization"):
        phone.goto(path)
        phone.wait_for_function("document.fonts.status === 'loaded'")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    screenshot(phone, "paper-phone-dark")
    context.close()


def test_the_contents_mark_the_section_being_read(page: Page) -> None:
    page.goto("/papers/wavenet")
    current = page.locator('.toc a[aria-current="location"]')
    expect(current).to_have_count(1)
    first = current.text_content()
    heading = page.locator("#summary h2").nth(2)
    heading.evaluate("(h) => window.scrollTo(0, h.getBoundingClientRect().top + scrollY - 10)")
    expect(current).to_have_attribute("href", "#" + heading.get_attribute("id"))
    assert current.text_content() != first


def test_a_search_result_quotes_its_section_and_opens_it_highlighted(page: Page) -> None:
    page.goto("/search?q=annealed+mean")
    result = page.locator(".result", has=page.locator(".card-title a", has_text="Colorful Image Colorization"))
    snippet = result.locator(".snippet")
    expect(snippet.locator("mark").first).to_be_visible()
    assert "\\" not in snippet.text_content()  # no raw TeX: formulas read as text
    expect(result.locator(".result-section a")).to_be_visible()  # the section the snippet quotes
    screenshot(page, "search-sections")
    result.locator(".card-title a").click()
    expect(page).to_have_url(re.compile(r"/papers/colorful-image-colorization\?highlight=annealed\+mean#"))
    first = page.locator("#summary mark.search-term").first
    expect(first).to_be_visible()
    assert first.text_content().lower() in {"annealed", "mean", "means"}
    in_view = ("[...document.querySelectorAll('#summary mark.search-term')].some((m) => {"
               " const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })")
    assert page.evaluate(in_view)  # the passage that matched is on screen, not the top of the paper
