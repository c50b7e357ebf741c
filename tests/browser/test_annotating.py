"""Annotating in the real Chromium: the paths of issue 3, from sign-up to orphans."""

from __future__ import annotations

import itertools
import secrets

from playwright.sync_api import Page, expect

from app.main import refresh_content
from app.schemas.annotations import AnnotationDraft, Passage
from app.services.accounts import get_user
from app.services.annotation_write import create_annotation
from app.services.paper_read import get_paper
from app.services.text_anchoring import summary_text
from tests.browser.conftest import screenshot

_names = itertools.count()


def sign_up(page: Page, next_path: str) -> str:
    # the counter and a random part: other test modules import this helper under another name
    name = f"reader{next(_names)}-{secrets.token_hex(3)}"
    page.goto(f"/signup?next={next_path}")
    page.fill("#name", name)
    page.fill("#password", "correct horse battery")
    page.fill("#password_again", "correct horse battery")
    page.locator(".stack-form button[type=submit]").click()
    expect(page).to_have_url(next_path)
    wait_for_notes(page)
    return name


def wait_for_notes(page: Page) -> None:
    expect(page.locator("#annotations[data-ready=true]")).to_have_count(1)


def select_text(page: Page, paragraph: int, start: int, end: int) -> str:
    """Select characters [start, end) of the first text node of a summary paragraph, as a
    mouse drag would, and return the selected text."""
    return page.evaluate(
        """([index, start, end]) => {
          const node = document.querySelectorAll('#summary > p')[index].firstChild;
          const range = document.createRange();
          range.setStart(node, start); range.setEnd(node, end);
          const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
          document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
          return range.toString();
        }""",
        [paragraph, start, end],
    )


def annotate(page: Page, comment: str, *, tags: str = "", public: bool = False) -> None:
    page.locator(".selection-popover").get_by_role("button", name="Annotate").click()
    editor = page.locator(".note-editor")
    editor.locator("textarea").fill(comment)
    if tags:
        editor.locator("input[type=text]").fill(tags)
    if public:
        editor.locator("select").select_option("public")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator(".note-editor")).to_have_count(0)


def test_annotate_reload_reply_edit_delete(page: Page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    sign_up(page, "/papers/dcgan")
    quote = select_text(page, 1, 0, 30)
    annotate(page, "Strided convolutions replace **pooling**; see $G(z)$.", tags="gan-tips", public=True)
    card = page.locator(".notes-list > .note-card", has_text="Strided convolutions")
    expect(card.locator("strong")).to_have_text("pooling")
    expect(card.locator(".katex")).to_have_count(1)
    expect(card.locator(".chip")).to_have_text("gan-tips")
    assert page.locator("#summary mark.annotation-highlight").first.text_content() in quote

    page.reload()
    wait_for_notes(page)
    card = page.locator(".notes-list > .note-card", has_text="Strided convolutions")
    expect(card).to_be_visible()
    expect(page.locator("#summary mark.annotation-highlight.is-mine")).not_to_have_count(0)
    assert "".join(page.locator("#summary mark.is-mine").all_text_contents()) == quote

    card.get_by_role("button", name="Reply").click()
    card.locator(".note-editor textarea").fill("And batch norm in both nets.")
    card.locator(".note-editor").get_by_role("button", name="Save").click()
    expect(card.locator(".note-replies .note-card", has_text="batch norm in both")).to_be_visible()

    card.get_by_role("button", name="Edit").first.click()
    card.locator(".note-editor textarea").fill("Edited: no pooling layers at all.")
    card.locator(".note-editor").get_by_role("button", name="Save").click()
    card = page.locator(".notes-list > .note-card", has_text="Edited: no pooling")
    expect(card).to_be_visible()
    screenshot(page, "annotations-thread")

    card.locator(".note-replies").get_by_role("button", name="Delete").click()
    expect(card.locator(".note-replies .note-card")).to_have_count(0)
    card.get_by_role("button", name="Delete").first.click()
    expect(page.locator(".notes-list > .note-card", has_text="Edited: no pooling")).to_have_count(0)
    expect(page.locator("#summary mark.annotation-highlight.is-mine")).to_have_count(0)


def test_clicking_a_highlight_focuses_its_card(page: Page) -> None:
    sign_up(page, "/papers/wavenet")
    select_text(page, 0, 0, 25)
    page.locator(".selection-popover").get_by_role("button", name="Highlight").click()
    mark = page.locator("#summary mark.annotation-highlight.is-mine").first
    expect(mark).to_be_visible()
    page.mouse.click(0, 0)
    mark.click()
    expect(page.locator(".note-card.is-focused")).to_have_count(1)


def test_a_private_note_stays_private(page: Page, browser, base_url: str) -> None:
    sign_up(page, "/papers/bytenet")
    select_text(page, 0, 0, 20)
    annotate(page, "my private thought about bytenet")  # "Only me" is the default
    expect(page.locator(".note-card", has_text="my private thought")).to_be_visible()

    other = browser.new_context(base_url=base_url).new_page()
    sign_up(other, "/papers/bytenet")
    expect(other.locator(".note-card", has_text="my private thought")).to_have_count(0)
    expect(other.locator("#summary mark.annotation-highlight")).to_have_count(0)
    other.goto("/stream")
    expect(other.get_by_text("my private thought")).to_have_count(0)
    other.context.close()


def _plain_paragraphs(markdown: str) -> list[str]:
    """Paragraphs whose first 60 characters carry no markdown syntax, so that text is the
    same in the source and on the page."""
    body = markdown.split("\n---\n", 1)[1]
    return [p for p in body.split("\n\n")
            if len(p) > 80 and p[0].isalpha() and not any(c in p[:60] for c in "*_$[`\\<")]


def _note(site, user_name: str, slug: str, quote: str, comment: str) -> None:
    """A note made as the page would make it, through the services of the running app."""
    with site.app.state.sessions() as db:
        paper = get_paper(db, slug)
        text = summary_text(paper.html)
        start = text.index(quote)
        draft = AnnotationDraft(comment, (), "private", paper_ref=slug, motivation="commenting",
                                passage=Passage(quote, text[max(0, start - 32):start], text[start + len(quote):][:32],
                                                start, start + len(quote)))
        create_annotation(db, get_user(db, user_name), draft)


def test_an_edited_summary_keeps_highlights_in_place_or_lists_orphans(page: Page, site) -> None:
    slug = "self-normalizing-networks"
    name = sign_up(page, f"/papers/{slug}")
    path = site.settings.papers_dir / f"{slug}.md"
    original = path.read_text(encoding="utf-8")
    kept_paragraph, doomed_paragraph = _plain_paragraphs(original)[:2]
    kept_quote, doomed_quote = kept_paragraph[:40], doomed_paragraph[:40]
    _note(site, name, slug, kept_quote, "kept note")
    _note(site, name, slug, doomed_quote, "doomed note")
    try:
        head, body = original.split("\n---\n", 1)
        body = body.replace(doomed_paragraph + "\n\n", "", 1)
        path.write_text(f"{head}\n---\nA sentence added at the top 🙂 with $x^2$.\n\n{body}", encoding="utf-8")
        refresh_content(site.app)  # what start-up or `marginalia reindex` does: re-anchors on the server

        page.reload()
        wait_for_notes(page)
        kept = page.locator(".notes-list > .note-card", has_text="kept note")
        expect(kept).to_be_visible()
        mark_id = kept.get_attribute("data-annotation-id").rsplit("/", 1)[1]
        marked = "".join(page.locator(f'#summary [data-annotation-id~="{mark_id}"]').all_text_contents())
        assert marked == kept_quote
        orphans = page.locator(".orphans")
        expect(orphans.locator(".note-card", has_text="doomed note")).to_be_visible()
        expect(orphans.locator(".entry-quote")).to_have_text(doomed_quote)
        assert page.locator("#summary mark.annotation-highlight").count() == page.locator(
            f'#summary [data-annotation-id~="{mark_id}"]').count()  # no stray highlight
        screenshot(page, "annotations-orphan")
    finally:
        path.write_text(original, encoding="utf-8")
        refresh_content(site.app)
