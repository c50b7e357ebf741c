import pytest

from app.markdown import render_markdown
from app.markdown.math import split_table_row


@pytest.mark.parametrize(
    ("row", "cells"),
    [
        ("| a | b |", ["", " a ", " b ", ""]),
        ("| $|x|$ | y |", ["", " $|x|$ ", " y ", ""]),
        ("| $$a|b$$ | \\(|c|\\) |", ["", " $$a|b$$ ", " \\(|c|\\) ", ""]),
        ("| a \\| b | c |", ["", " a | b ", " c ", ""]),
        ("| $a \\| b$ | c |", ["", " $a \\| b$ ", " c ", ""]),
        # An unclosed dollar is currency, not math: split like stock markdown-it.
        ("| $5 | $10 |", ["", " $5 ", " $10 ", ""]),
    ],
)
def test_split_table_row_keeps_pipes_inside_math(row: str, cells: list[str]) -> None:
    assert split_table_row(row) == cells


def test_currency_is_not_math() -> None:
    html = render_markdown("It costs $5 and $10.").html
    assert "math" not in html and "$5 and $10" in html


def test_emphasis_never_eats_math() -> None:
    html = render_markdown("See $a_i * b_i$ and $c_j * d_j$ here.").html
    assert "<em>" not in html
    assert '<span class="math math-inline">a_i * b_i</span>' in html


def test_math_is_kept_for_search_as_its_plain_reading() -> None:
    document = render_markdown("Loss $\\mathcal{L}$ here.\n\n$$\nz = \\sum_q w_q\n$$\n")
    assert "ℒ" in document.text and "∑_q w_q" in document.text
    assert "\\" not in document.text  # no TeX commands reach snippets


def test_table_of_contents_lists_h2_and_h3_with_anchors() -> None:
    document = render_markdown("# Skipped\n\n## Method $x_1$\n\n### Loss\n\n#### Too deep\n")
    assert [(e.level, e.anchor) for e in document.toc] == [(2, "method"), (3, "loss")]
    assert 'id="method"' in document.html
    assert 'class="math math-inline">x_1<' in document.toc[0].html


def test_render_is_cached_by_content_hash() -> None:
    text = "Same text, rendered once."
    assert render_markdown(text) is render_markdown(text)
    assert render_markdown(text).content_hash != render_markdown(text + " ").content_hash
