"""The server half of annotation anchoring: the text model, selectors and re-anchoring.

tests/anchoring_cases.json is shared with tests/browser/test_anchoring.py, which runs the same
cases through static/js/anchoring.js in Chromium: both sides must give the same answers.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import frontmatter
import pytest

from app.markdown.render import render_markdown
from app.services.text_anchoring import (
    CONTEXT_LENGTH,
    Match,
    Quote,
    anchor,
    describe,
    search,
    summary_text,
)

TESTS = Path(__file__).resolve().parents[2]
CASES = json.loads((TESTS / "anchoring_cases.json").read_text(encoding="utf-8"))
CONTENT = TESTS.parent / "content" / "papers"


def summary_html(slug: str) -> str:
    return render_markdown(frontmatter.load(CONTENT / f"{slug}.md").content).html


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_shared_case(case: dict) -> None:
    before, after = summary_text(case["before_html"]), summary_text(case["after_html"])
    selector = case["selector"]
    # The fixture's selector is what describe() makes on the text before the change...
    assert Quote(**selector) == describe(before, selector["start"], selector["end"])
    # ...and anchors where it was made while nothing has changed.
    assert anchor(before, selector) == (selector["start"], selector["end"])

    found = anchor(after, selector)
    if case["expected_exact_after"] is None:
        assert found is None
    else:
        assert found is not None
        start, end = found
        assert after[start:end] == case["expected_exact_after"]
        assert start == case["expected_start_after"]


def test_the_cases_cover_what_the_contract_names() -> None:
    names = {case["name"] for case in CASES}
    assert {"unchanged", "text-inserted-before", "typo-fixed-inside-quote", "math-and-emoji-code-points",
            "paragraph-deleted-orphan", "same-phrase-twice-context-decides",
            "whitespace-and-line-changes"} <= names
    assert any(case["expected_exact_after"] is None for case in CASES)


def test_text_model_math_is_its_tex_and_permalinks_are_skipped() -> None:
    html = render_markdown("Intro with $\\alpha < 1$ &amp; more.\n\n## Method\n\n$$\nx^2\n$$\n").html
    assert 'class="header-anchor"' in html
    assert summary_text(html) == "Intro with \\alpha < 1 & more.\nMethod \nx^2"
    # Whitespace a template puts around the summary is not part of the text.
    assert summary_text("\n      " + html + "\n    ") == summary_text(html)
    assert summary_text('<p>a\r\nb <span class="math math-inline">\\sum</span></p>') == "a\nb \\sum"


def test_positions_count_code_points() -> None:
    text = summary_text('<p>🙂 then <span class="math math-inline">\\alpha</span> 🚀 end</p>')
    assert text == "🙂 then \\alpha 🚀 end"
    start = text.index("\\alpha")
    assert start == 7  # the emoji is one position, not two UTF-16 units
    quote = describe(text, start, start + len("\\alpha 🚀"))
    assert quote == Quote(exact="\\alpha 🚀", prefix="🙂 then ", suffix=" end", start=7, end=15)
    assert anchor(text, quote) == (7, 15)
    # Without the position selector the quote search gives the same code point offsets.
    assert anchor(text, {"exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix}) == (7, 15)


def test_describe_keeps_32_code_points_of_context() -> None:
    assert CONTEXT_LENGTH == 32
    text = "😀" * 40 + "QUOTE" + "x" * 50
    quote = describe(text, 40, 45)
    assert quote.exact == "QUOTE"
    assert quote.prefix == "😀" * 32 and quote.suffix == "x" * 32
    at_start = describe(text, 0, 3)
    assert at_start.prefix == "" and len(at_start.suffix) == 32
    at_end = describe(text, len(text) - 2, len(text))
    assert at_end.suffix == "" and len(at_end.prefix) == 32
    with pytest.raises(ValueError):
        describe(text, 5, len(text) + 1)


def test_search_gives_what_approx_string_match_gives() -> None:
    assert search("Four score and seven", "annd", 2) == [Match(11, 14, 1)]
    assert search("abc abc", "abc", 0) == [Match(0, 3, 0), Match(4, 7, 0)]
    assert search("xyz", "abc", 1) == []


def test_anchor_edge_cases() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    assert anchor(text, {"exact": ""}) is None
    assert anchor(text, {"exact": "brown fox", "start": 10, "end": 19}) == (10, 19)
    # A stale position falls back to the quote; a wrong one never wins over the text.
    assert anchor(text, {"exact": "brown fox", "start": 0, "end": 9}) == (10, 19)
    assert anchor(text, {"exact": "completely different words here"}) is None
    # Too short for any edit: three characters must match exactly.
    assert anchor(text, {"exact": "foz"}) is None
    assert anchor(text, Quote("quick brwn fox", "The ", " jumps", 4, 19)) == (4, 19)


def test_real_summary_ranges_survive_an_edit_above_them() -> None:
    text = summary_text(summary_html("colorful-image-colorization"))
    edited = "A new opening paragraph.\n" + text
    rng = random.Random(7)
    for _ in range(100):
        start = rng.randrange(len(text) - 50)
        end = start + rng.randint(1, 50)
        quote = describe(text, start, end)
        assert anchor(text, quote) == (start, end)
        # The position is stale by 25; quote and context find the passage, however short.
        assert anchor(edited, quote) == (start + 25, end + 25)
