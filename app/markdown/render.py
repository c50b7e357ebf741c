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
    math_reading,
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
class Section:
    """A stretch of the summary under one heading, as search indexes it (math as its reading)."""

    anchor: str  # the heading's id; "" for the text before the first heading
    heading: str
    text: str


@dataclass(frozen=True)
class RenderedDocument:
    html: str
    text: str
    toc: tuple[TocEntry, ...] = field(default=())
    content_hash: str = ""
    sections: tuple[Section, ...] = field(default=())

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


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in (*INLINE_TOKENS, *INLINE_DISPLAY_TOKENS):
            parts.append(math_reading(child.content))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _sections(tokens: list[Token]) -> tuple[Section, ...]:
    """The words of the document by section, math as its plain reading (𝒢, Ẑ, ∑, not TeX):
    what search indexes and quotes in its snippets, one block per line."""
    sections: list[Section] = []
    anchor, heading, blocks = "", "", []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            if blocks or anchor:
                sections.append(Section(anchor, heading, "\n".join(blocks)))
            anchor, heading, blocks = str(token.attrGet("id") or ""), _heading_text(tokens[i + 1]), []
        elif token.type == "inline" and (i == 0 or tokens[i - 1].type != "heading_open"):
            if text := _inline_text(token).strip():
                blocks.append(text)
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
        elif token.type in DISPLAY_TOKENS:
            blocks.append(math_reading(token.content))
    if blocks or anchor:
        sections.append(Section(anchor, heading, "\n".join(blocks)))
    return tuple(sections)


def _heading_text(inline: Token) -> str:
    children = [c for c in inline.children or [] if c.attrGet("class") != "header-anchor"]
    # the permalink the anchors plugin appends is link_open, text, link_close
    if len(children) >= 2 and children[-1].type == "link_close":
        children = children[:-2]
    return _inline_text(Token("inline", "", 0, children=children)).strip()


def _plain_text(sections: tuple[Section, ...]) -> str:
    """The words of the document, headings included: gist, word count and the paper-level index."""
    return "\n".join(part for section in sections for part in (section.heading, section.text) if part)


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
    sections = _sections(tokens)
    return RenderedDocument(html, _plain_text(sections), _table_of_contents(tokens), digest, sections)


def render_markdown(markdown: str) -> RenderedDocument:
    """Render once per distinct text: the cache is keyed by the text's sha256."""
    return _render_cached(content_hash(markdown), markdown)


def render_comment(markdown: str) -> str:
    """A reader's comment: the summaries' pipeline (math included), stricter sanitizing."""
    env: dict = {}
    tokens = _comment_parser.parse(markdown, env)
    return sanitize_comment_html(_comment_parser.renderer.render(tokens, _comment_parser.options, env))
