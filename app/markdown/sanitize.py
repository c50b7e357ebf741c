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


def _make_cleaner(attributes: dict, classes: dict, link_rel: str) -> nh3.Cleaner:
    """One allow-list policy; summaries and comments differ only in these three."""
    return nh3.Cleaner(
        tags=TAGS,
        attributes=attributes,
        allowed_classes=classes,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_keep_attribute,
        set_tag_attribute_values={"img": {"loading": "lazy"}},
        link_rel=link_rel,
    )


_cleaner = _make_cleaner(ATTRIBUTES, CLASSES, "noopener noreferrer")

# Comments share the page with the summary: no ids (they would collide with its headings),
# no permalink anchors, and links marked as user content.
_comment_cleaner = _make_cleaner(
    {tag: attrs - {"id"} for tag, attrs in ATTRIBUTES.items()},
    {tag: classes - {"header-anchor"} for tag, classes in CLASSES.items()},
    "noopener noreferrer nofollow ugc",
)


def sanitize_html(html: str) -> str:
    return _cleaner.clean(html)


def sanitize_comment_html(html: str) -> str:
    return _comment_cleaner.clean(html)
