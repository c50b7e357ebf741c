"""The allow-list every rendered HTML fragment passes through (nh3 / ammonia)."""

from __future__ import annotations

import nh3

_ALIGN = {"align-left", "align-center", "align-right"}
_HEADINGS = {f"h{level}" for level in range(1, 7)}

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "section", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
} | _HEADINGS

ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title"},
    "li": {"id"},
    "ol": {"start"},
    "code": {"class"},  # language-* from fenced code blocks; an open set, so not listed
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
} | {heading: {"id"} for heading in _HEADINGS}

CLASSES = {
    "span": {"math", "math-inline", "math-display"},
    "div": {"math", "math-display"},
    "a": {"header-anchor", "footnote-backref"},
    "sup": {"footnote-ref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "th": _ALIGN,
    "td": _ALIGN,
}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images must come from this site: an absolute or protocol-relative src would make the
    # reader's browser call a third party, which the page promises never to do.
    if tag == "img" and attribute == "src":
        lowered = value.strip().lower()
        if ":" in lowered.split("/", 1)[0] or lowered.startswith("//"):
            return None
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    allowed_classes=CLASSES,
    url_schemes={"http", "https", "mailto"},
    attribute_filter=_keep_attribute,
    set_tag_attribute_values={"img": {"loading": "lazy"}},
    link_rel="noopener noreferrer",
)


def sanitize_html(html: str) -> str:
    return _cleaner.clean(html)


# Comments share the page with the summary: no ids (they would collide with its headings)
# and no permalink anchors.
_comment_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes={tag: attrs - {"id"} for tag, attrs in ATTRIBUTES.items()},
    allowed_classes={tag: classes - {"header-anchor"} for tag, classes in CLASSES.items()},
    url_schemes={"http", "https", "mailto"},
    attribute_filter=_keep_attribute,
    set_tag_attribute_values={"img": {"loading": "lazy"}},
    link_rel="noopener noreferrer nofollow ugc",
)


def sanitize_comment_html(html: str) -> str:
    return _comment_cleaner.clean(html)
