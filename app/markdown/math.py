"""Math syntax for markdown-it: `\\(..\\)` and `\\[..\\]`, and pipes inside math in tables.

`$..$`, `$$..$$` and AMS environments come from mdit-py-plugins (dollarmath, amsmath).
Nothing there parses the bracket delimiters alongside dollars without clashing token
names (texmath registers rules named like dollarmath's), so the two small rules below are
hand-written. Math is not typeset here: it is emitted as escaped TeX inside
`span.math-inline` / `div.math-display`, which KaTeX typesets in the browser (and which
reads as the TeX source when scripts are off or a command is unknown).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from pylatexenc.latex2text import LatexNodes2Text

# `markdown_it.rules_block.table` is shadowed by the function of that name in the package.
table_rule = importlib.import_module("markdown_it.rules_block.table")

INLINE_TOKENS = ("math_inline", "math_single", "math_inline_bracket")
# `$$x$$` or `\\[x\\]` in the middle of a paragraph: display style, kept in the line's flow.
INLINE_DISPLAY_TOKENS = ("math_inline_double",)
DISPLAY_TOKENS = ("math_block", "math_block_label", "amsmath", "math_block_bracket")


@lru_cache(maxsize=1)
def _latex_to_text() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


@lru_cache(maxsize=4096)
def math_reading(tex: str) -> str:
    """TeX as a reader would say it in plain text (𝒢, Ẑ = 𝒢(X), ∑_h,w): what search indexes
    and shows in snippets, where KaTeX does not run. pylatexenc's converter does the work."""
    try:
        reading = _latex_to_text().latex_to_text(tex)
    except Exception:  # noqa: BLE001 - a formula it cannot parse stays searchable as its source
        reading = tex
    return " ".join(reading.split())


def render_inline_math(tex: str) -> str:
    return f'<span class="math math-inline">{escape(tex, quote=False)}</span>'


def render_inline_display_math(tex: str) -> str:
    return f'<span class="math math-display">{escape(tex, quote=False)}</span>'


def render_display_math(tex: str) -> str:
    return f'<div class="math math-display">{escape(tex.strip(), quote=False)}</div>\n'


def bracket_math_plugin(md: MarkdownIt) -> None:
    """`\\(x\\)` inline, `\\[x\\]` display (inline or as its own block)."""
    md.inline.ruler.before("escape", "math_inline_bracket", _bracket_inline)
    md.block.ruler.before(
        "fence", "math_block_bracket", _bracket_block, {"alt": ["paragraph", "blockquote"]}
    )


def _bracket_inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if pos + 1 >= state.posMax or src[pos] != "\\" or src[pos + 1] not in "([":
        return False
    display = src[pos + 1] == "["
    closer = "\\]" if display else "\\)"
    end = src.find(closer, pos + 2, state.posMax)
    if end == -1 or not src[pos + 2 : end].strip():
        return False
    if not silent:
        token = state.push("math_inline_double" if display else "math_inline_bracket", "math", 0)
        token.content = src[pos + 2 : end]
        token.markup = src[pos : pos + 2]
    state.pos = end + 2
    return True


def _bracket_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    first = state.src[state.bMarks[start_line] + state.tShift[start_line] : state.eMarks[start_line]]
    if not first.startswith("\\["):
        return False
    lines, line = [first[2:]], start_line
    while not lines[-1].rstrip().endswith("\\]"):
        line += 1
        if line >= end_line:
            return False
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
        if not text.strip():  # TeX allows no blank line inside display math
            return False
        lines.append(text)
    if silent:
        return True
    body = "\n".join(lines).rstrip()[:-2]
    token = state.push("math_block_bracket", "math", 0)
    token.block, token.content, token.markup = True, body, "\\["
    token.map = [start_line, line + 1]
    state.line = line + 1
    return True


def use_math_renderers(md: MarkdownIt) -> None:
    """One HTML shape for every math token, whichever plugin made it."""

    def inline(self, tokens, idx, options, env):  # markdown-it signature
        return render_inline_math(tokens[idx].content)

    def display(self, tokens, idx, options, env):
        return render_display_math(tokens[idx].content)

    def inline_display(self, tokens, idx, options, env):
        return render_inline_display_math(tokens[idx].content)

    for name in INLINE_TOKENS:
        md.add_render_rule(name, inline)
    for name in INLINE_DISPLAY_TOKENS:
        md.add_render_rule(name, inline_display)
    for name in DISPLAY_TOKENS:
        md.add_render_rule(name, display)


def split_table_row(row: str) -> list[str]:
    """Split a GFM table row on pipes that are outside math.

    markdown-it splits on every unescaped `|`, so `$|x|$` in a cell would break the row.
    Falls back to the stock split when a math delimiter is left open (e.g. `$5 | $10`).
    """
    cells: list[str] = []
    current: list[str] = []
    closer: str | None = None  # the delimiter that ends the math we are in
    i = 0
    while i < len(row):
        if row[i] == "\\" and i + 1 < len(row):
            pair = row[i : i + 2]
            if closer is None and pair == "\\|":
                current.append("|")
            else:
                current.append(pair)
                if closer is None and pair in ("\\(", "\\["):
                    closer = "\\)" if pair == "\\(" else "\\]"
                elif pair == closer:
                    closer = None
            i += 2
            continue
        if row[i] == "$":
            delim = "$$" if row.startswith("$$", i) else "$"
            if closer is None and _opens_math(row, i + len(delim)):
                closer = delim
            elif closer == delim and _closes_math(row, i, i + len(delim)):
                closer = None
            current.append(delim)
            i += len(delim)
            continue
        if row[i] == "|" and closer is None:
            cells.append("".join(current))
            current = []
        else:
            current.append(row[i])
        i += 1
    if closer is not None:
        return _stock_split(row)
    cells.append("".join(current))
    return cells


def _opens_math(row: str, after: int) -> bool:
    # Same rule as dollarmath with allow_space=False: `$ x$` is not math.
    return after < len(row) and not row[after].isspace()


def _closes_math(row: str, at: int, after: int) -> bool:
    # ...and with allow_digits=False: `$5 and $10` is money, not math.
    return not row[at - 1].isspace() and not (after < len(row) and row[after].isdigit())


_stock_split = table_rule.escapedSplit


def protect_math_in_tables() -> None:
    # markdown-it-py offers no hook for cell splitting; its table rule calls this module
    # attribute, so replacing it is the smallest change that keeps the stock table rule.
    table_rule.escapedSplit = split_table_row
