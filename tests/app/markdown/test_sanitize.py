"""Whatever the markdown, the HTML has only allowed tags, no handlers, no script URLs."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.markdown import render_markdown
from app.markdown.sanitize import TAGS, sanitize_html

PAYLOADS = [
    (Path(__file__).parent / "golden" / "xss.md").read_text(encoding="utf-8"),
    "[x](javascript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "<svg onload=alert(1)>",
    "$x$<style>body{display:none}</style>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "[a](https://ok.example 'title\" onclick=\"alert(1)')",
]


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _parsed(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_html_is_safe(payload: str) -> None:
    for tag, attrs in _parsed(render_markdown(payload).html):
        assert tag in TAGS
        for name, value in attrs:
            assert not name.startswith("on")
            assert name != "style"
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith(("javascript", "data", "vbscript"))


def test_sanitizer_drops_what_the_parser_would_never_emit() -> None:
    html = sanitize_html('<p onclick="x()">a<script>b</script><iframe></iframe><span class="evil math">c</span></p>')
    assert html == '<p>a<span class="math">c</span></p>'
