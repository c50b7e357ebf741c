"""Golden files: each golden/<case>.md renders to exactly golden/<case>.html.

After an intended change in the renderer, regenerate with
`MARGINALIA_UPDATE_GOLDEN=1 pytest tests/app/markdown/test_golden.py` and review the diff.
"""

import os
from pathlib import Path

import pytest

from app.markdown import render_markdown

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(path.stem for path in GOLDEN.glob("*.md"))


@pytest.mark.parametrize("case", CASES)
def test_renders_like_golden_file(case: str) -> None:
    html = render_markdown((GOLDEN / f"{case}.md").read_text(encoding="utf-8")).html
    expected_path = GOLDEN / f"{case}.html"
    if os.environ.get("MARGINALIA_UPDATE_GOLDEN"):
        expected_path.write_text(html, encoding="utf-8")
    assert html == expected_path.read_text(encoding="utf-8")


def test_corpus_covers_the_required_cases() -> None:
    assert {
        "inline-math", "display-math", "table-math", "footnotes", "code-blocks",
        "images-and-links", "nested-lists", "xss",
    } <= set(CASES)
