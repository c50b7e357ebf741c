"""Render a markdown summary or comment: HTML, table of contents, plain text.

The parser runs with raw HTML off; the resulting HTML still goes through the sanitizer,
so nothing a content author or commenter writes can put script on the page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from app.markdown.math import (
    DISPLAY_TOKENS,
    INLINE_DISPLAY_TOKENS,
    INLINE_TOKENS,
    bracket_math_plugin,
    protect_math_in_tables,
    use_math_renderers,
)
from app.markdown.sanitize import sanitize_comment_html, sanitize_html


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    html: str


@dataclass(frozen=True)
class RenderedDocument:
    html: str
    text: str
    toc: tuple[TocEntry, ...] = field(default=())
    content_hash: str = ""

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def content_hash(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


def heading_slug(title: str) -> str:
    """`Method: the BN transform` -> `method-the-bn-transform` (math, left out of the
    title text by the parser, leaves no dangling hyphens)."""
    words = re.findall(r"[\w]+", title.lower())
    return "-".join(words) or "section"


def _alignment_to_class(state) -> None:  # markdown-it core state
    # Table alignment arrives as an inline style; the sanitizer allows no style attribute
    # (CSS can exfiltrate), so turn it into one of three allowed classes instead.
    for token in state.tokens:
        style = token.attrGet("style") if token.type in ("th_open", "td_open") else None
        if style and style.startswith("text-align:"):
            token.attrs.pop("style")
            token.attrSet("class", "align-" + style.split(":", 1)[1])


def _build_parser(*, heading_anchors: bool) -> MarkdownIt:
    protect_math_in_tables()
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True,
           allow_labels=False, allow_blank_lines=False)
    md.use(bracket_math_plugin)
    md.use(amsmath_plugin)
    md.use(footnote_plugin)
    if heading_anchors:
        md.use(anchors_plugin, min_level=2, max_level=3, slug_func=heading_slug, permalink=True,
               permalinkSymbol="#")
    md.core.ruler.push("alignment_to_class", _alignment_to_class)
    use_math_renderers(md)
    return md


_parser = _build_parser(heading_anchors=True)
_comment_parser = _build_parser(heading_anchors=False)  # comments get no ids or permalinks


def _plain_text(tokens: list[Token]) -> str:
    """The words of the document, math as its TeX source: what search indexes."""
    blocks: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline", *INLINE_TOKENS, *INLINE_DISPLAY_TOKENS):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
                elif child.type == "image":
                    parts.append(child.content)
            blocks.append("".join(parts))
        elif token.type in ("fence", "code_block", *DISPLAY_TOKENS):
            blocks.append(token.content.strip())
    return "\n".join(block for block in blocks if block)


def _table_of_contents(tokens: list[Token]) -> tuple[TocEntry, ...]:
    entries = []
    for i, token in enumerate(tokens):
        anchor = token.attrGet("id") if token.type == "heading_open" else None
        if anchor:
            children = [c for c in tokens[i + 1].children or [] if c.type != "html_inline"]
            # The permalink the anchors plugin appends is link_open, text, link_close.
            if len(children) >= 3 and children[-3].attrGet("class") == "header-anchor":
                children = children[:-3]
            inner = _parser.renderer.render(children, _parser.options, {}).strip()
            entries.append(TocEntry(int(token.tag[1]), str(anchor), sanitize_html(inner)))
    return tuple(entries)


@lru_cache(maxsize=512)
def _render_cached(digest: str, markdown: str) -> RenderedDocument:
    env: dict = {}
    tokens = _parser.parse(markdown, env)
    html = sanitize_html(_parser.renderer.render(tokens, _parser.options, env))
    return RenderedDocument(html, _plain_text(tokens), _table_of_contents(tokens), digest)


def render_markdown(markdown: str) -> RenderedDocument:
    """Render once per distinct text: the cache is keyed by the text's sha256."""
    return _render_cached(content_hash(markdown), markdown)


def render_comment(markdown: str) -> str:
    """A reader's comment: the summaries' pipeline (math included), stricter sanitizing."""
    env: dict = {}
    tokens = _comment_parser.parse(markdown, env)
    return sanitize_comment_html(_comment_parser.renderer.render(tokens, _comment_parser.options, env))
