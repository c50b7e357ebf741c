"""Anchoring annotations to a summary's text: the server half of static/js/anchoring.js.

An annotation remembers the passage it was made on with two W3C Web Annotation selectors:
a TextQuoteSelector (`exact`, plus up to CONTEXT_LENGTH code points of `prefix` and `suffix`)
and a TextPositionSelector (`start`, `end`). When a summary changes, `anchor` finds where
the passage went, or says it is gone (None: an orphan). The browser runs the same algorithm
with the same thresholds; tests/anchoring_cases.json holds the cases both sides must agree on.

The text model (the contract with the browser)
    The summary text is the concatenation, in document order, of the text nodes of the
    rendered summary HTML, where
      * each `.math` element counts as exactly its TeX source (its text content here; in the
        browser `data-tex`, saved by static/js/math.js before KaTeX replaces the contents),
      * heading permalinks (`a.header-anchor`, the "#") count as nothing,
    and then leading and trailing HTML whitespace (space, tab, LF, CR, FF) is removed, so the
    whitespace a template puts around the summary changes nothing. Positions count Unicode
    code points (a Python `str` index), never UTF-16 units: an emoji is one.

Anchoring (`anchor`), after Hypothesis' match-quote:
    1. If `start`/`end` are given and the text there equals `exact`, that is the answer.
    2. Candidates: every exact occurrence of `exact`; if there is none, the best approximate
       matches (fewest edits; `search`, equal to approx-string-match 2.0.0's `search`) with at
       most min(MAX_ERRORS_CAP, floor(len(exact) * MAX_ERROR_RATE)) edits. None: orphan.
    3. Score = (QUOTE_WEIGHT * quote + PREFIX_WEIGHT * prefix + SUFFIX_WEIGHT * suffix
       + POSITION_WEIGHT * position) / sum of the weights, where quote = 1 - edits/len(exact);
       prefix/suffix = 1 - (fewest edits of the context within the text just before/after the
       candidate)/len(context), 1.0 when the selector has no such context, 0.0 when the text
       there is empty; position = 1 - |candidate start - old start|/len(text) (1.0 without one).
    4. A quote shorter than SHORT_QUOTE code points, or any inexact match, is not evidence
       enough by itself: such a candidate also needs the mean similarity of its non-empty
       contexts to reach MIN_CONTEXT_SIMILARITY. The best-scoring candidate that passes wins
       (the first on a tie).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

CONTEXT_LENGTH = 32  # code points of prefix and suffix kept with a quote
MAX_ERROR_RATE = 0.25  # an approximate match may differ from the quote in a quarter of it
MAX_ERRORS_CAP = 256
QUOTE_WEIGHT = 50
PREFIX_WEIGHT = 20
SUFFIX_WEIGHT = 20
POSITION_WEIGHT = 2
SHORT_QUOTE = 32  # quotes shorter than this (code points), and inexact matches, need context...
MIN_CONTEXT_SIMILARITY = 0.5  # ...at least this much (mean of prefix and suffix similarity)

_WHITESPACE = " \t\n\r\f"  # HTML's ASCII whitespace: the same set the browser side trims


@dataclass(frozen=True)
class Quote:
    """A TextQuoteSelector and a TextPositionSelector for one passage."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    errors: int


# ----------------------------------------------------------------------------- text model


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    for name, value in attrs:
        if name == "class":
            return set((value or "").split())
    return set()


class _SummaryText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._inside: tuple[str, str] | None = None  # ("math" | "skip", tag) being read
        self._depth = 0  # nesting of that tag name inside itself
        self._after_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._after_pre = tag in ("pre", "listing", "textarea")
        if self._inside is not None:
            if tag == self._inside[1]:
                self._depth += 1
            return
        classes = _classes(attrs)
        if "math" in classes:
            self._inside, self._depth = ("math", tag), 1
        elif tag == "a" and "header-anchor" in classes:
            self._inside, self._depth = ("skip", tag), 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._after_pre = False  # <br/> and the like: no content, nothing to track

    def handle_endtag(self, tag: str) -> None:
        self._after_pre = False
        if self._inside is not None and tag == self._inside[1]:
            self._depth -= 1
            if self._depth == 0:
                self._inside = None

    def handle_data(self, data: str) -> None:
        if self._after_pre:  # the HTML parser drops a newline right after <pre>
            self._after_pre = False
            if data.startswith("\n"):
                data = data[1:]
        if self._inside is None or self._inside[0] == "math":
            self.parts.append(data)


def summary_text(html: str) -> str:
    """The summary text of server-rendered (sanitized) summary HTML; see the module doc."""
    # The browser's input stream turns CR LF and CR into LF and drops NUL in body text.
    html = html.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "")
    parser = _SummaryText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).strip(_WHITESPACE)


def describe(text: str, start: int, end: int) -> Quote:
    """Selectors for text[start:end] (code points), with CONTEXT_LENGTH of context each side."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"range {start}..{end} is outside a text of length {len(text)}")
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
        start=start,
        end=end,
    )


# ----------------------------------------------------------------------- approximate search


def _best_match_ends(text: str, pattern: str, max_errors: int) -> tuple[int, list[int]]:
    """The fewest edits (<= max_errors) with which `pattern` matches a substring of `text`
    ending at some position, and every such end position.

    Myers' bit-vector algorithm (J. ACM 46(3), 1999) for semi-global edit distance, with a
    Python int as one bit vector as wide as the pattern, so no blocks are needed.
    """
    m = len(pattern)
    if m == 0:
        return 0, []
    best = min(max_errors, m)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    mask = (1 << m) - 1
    last = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    ends: list[int] = []
    for j, char in enumerate(text):
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1) & mask  # row 0 of the matrix is all zeros: a match may start anywhere
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        if score <= best:
            if score < best:
                best, ends = score, []
            ends.append(j + 1)
    return best, ends


def search(text: str, pattern: str, max_errors: int) -> list[Match]:
    """The matches of `pattern` in `text` with the fewest edits, if that is <= max_errors.

    Gives what approx-string-match 2.0.0's `search` gives (the browser's search), in code
    points: every end position at the lowest edit count, each with the earliest start from
    which the reversed pattern matches the reversed text before that end at that count.
    """
    errors, ends = _best_match_ends(text, pattern, max_errors)
    reversed_pattern = pattern[::-1]
    matches = []
    for end in ends:
        window_start = max(0, end - len(pattern) - errors)
        _, reversed_ends = _best_match_ends(text[window_start:end][::-1], reversed_pattern, errors)
        start = end - max(reversed_ends) if reversed_ends else end
        matches.append(Match(start, end, errors))
    return matches


def _exact_matches(text: str, quote: str) -> list[Match]:
    matches, at = [], text.find(quote)
    while at != -1:
        matches.append(Match(at, at + len(quote), 0))
        at = text.find(quote, at + 1)
    return matches


def _context_similarity(window: str, context: str) -> float:
    if not window:
        return 0.0
    errors, _ = _best_match_ends(window, context, len(context))
    return 1 - errors / len(context)


# -------------------------------------------------------------------------------- anchoring


def _field(selector: Any, name: str) -> Any:
    if isinstance(selector, Mapping):
        return selector.get(name)
    return getattr(selector, name, None)


def _position(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def anchor(text: str, selector: Any) -> tuple[int, int] | None:
    """Where the passage of `selector` (a mapping or an object with exact, prefix, suffix,
    start, end) is in `text`, as (start, end) code points, or None for an orphan."""
    exact = _field(selector, "exact") or ""
    prefix = _field(selector, "prefix") or ""
    suffix = _field(selector, "suffix") or ""
    start, end = _position(_field(selector, "start")), _position(_field(selector, "end"))
    if not exact:
        return None
    if start is not None and end is not None and 0 <= start <= end <= len(text):
        if text[start:end] == exact:
            return start, end

    candidates = _exact_matches(text, exact)
    if not candidates:
        max_errors = min(MAX_ERRORS_CAP, len(exact) // 4)  # floor(len * MAX_ERROR_RATE)
        if max_errors > 0:
            candidates = search(text, exact, max_errors)

    best: Match | None = None
    best_score = -1.0
    for candidate in candidates:
        quote_score = 1 - candidate.errors / len(exact)
        prefix_score = suffix_score = 1.0
        if prefix:
            window = text[max(0, candidate.start - len(prefix)) : candidate.start]
            prefix_score = _context_similarity(window, prefix)
        if suffix:
            suffix_score = _context_similarity(text[candidate.end : candidate.end + len(suffix)], suffix)
        position_score = 1.0 if start is None else 1 - abs(candidate.start - start) / len(text)
        # A short quote, or any inexact match, must also sit in similar context: otherwise a
        # deleted sentence lands on a look-alike elsewhere ("Further theorems bound the
        # variance" for "Together these bound the variance") instead of becoming an orphan.
        if (len(exact) < SHORT_QUOTE or candidate.errors > 0) and (prefix or suffix):
            scores = ([prefix_score] if prefix else []) + ([suffix_score] if suffix else [])
            if sum(scores) / len(scores) < MIN_CONTEXT_SIMILARITY:
                continue
        score = (
            QUOTE_WEIGHT * quote_score + PREFIX_WEIGHT * prefix_score
            + SUFFIX_WEIGHT * suffix_score + POSITION_WEIGHT * position_score
        ) / (QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT)
        if score > best_score:
            best, best_score = candidate, score
    return None if best is None else (best.start, best.end)
