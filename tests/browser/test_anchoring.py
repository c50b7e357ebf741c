"""static/js/anchoring.js in the real Chromium, against the server half (app/services/text_anchoring).

Each shared case (tests/anchoring_cases.json) is put into a real paper page's #summary, typeset
the way the page does it, and must give the server's text, selectors and anchors exactly.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import frontmatter
import pytest
from playwright.sync_api import Page

from app.markdown.render import render_markdown
from app.services.text_anchoring import anchor, describe, summary_text

TESTS = Path(__file__).resolve().parents[1]
CASES = json.loads((TESTS / "anchoring_cases.json").read_text(encoding="utf-8"))
CONTENT = TESTS.parent / "content" / "papers"

# Puts HTML into #summary as the page template does (whitespace around it) and typesets it with
# the page's own math.js, then hands the modules to `body`.
PRELUDE = """
  const A = await import('/static/js/anchoring.js');
  const { typeset } = await import('/static/js/math.js');
  const summary = document.getElementById('summary');
  const load = (html) => {
    summary.innerHTML = '\\n      ' + html + '\\n    ';
    typeset(summary);
    const math = summary.querySelectorAll('.math');
    if ([...math].some((el) => !el.classList.contains('math-typeset') || !el.querySelector('.katex'))) {
      throw new Error('math was not typeset');
    }
  };
  // What a highlight element stands for in the text: a mark its text, a math element its TeX.
  const pieces = (elements) => {
    const model = A.summaryText(summary);
    return elements.map((el) => el.localName === 'mark'
      ? el.textContent
      : model.text.slice(model.atoms.get(el).start, model.atoms.get(el).end));
  };
"""


def run(page: Page, body: str, arg=None):  # JSON in, JSON out
    return page.evaluate(f"async (arg) => {{ {PRELUDE} {body} }}", arg)


def open_paper(page: Page, slug: str = "dcgan") -> None:
    page.goto(f"/papers/{slug}")
    page.wait_for_function("window.katex && document.querySelector('#summary .math.math-typeset')")


def summary_html(slug: str) -> str:
    return render_markdown(frontmatter.load(CONTENT / f"{slug}.md").content).html


def assert_wraps(pieces: list[str], exact: str) -> None:
    """The highlight pieces, in order, are exactly `exact`, short only of whitespace between
    blocks (left unwrapped on purpose)."""
    assert pieces and all(pieces)
    pattern = r"[ \t\n\r\f]*".join(re.escape(piece) for piece in pieces)
    assert re.fullmatch(pattern, exact), (pieces, exact)


CASE_BODY = """
  const c = arg;
  load(c.before_html);
  const before = A.summaryText(summary);
  // A reader's selection of the quote, through the Selection API.
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(A.rangeFromOffsets(before, c.selector.start, c.selector.end));
  const described = A.describeRange(summary, selection.getRangeAt(0));
  selection.removeAllRanges();

  load(c.after_html);
  const after = A.summaryText(summary);
  const offsets = A.anchorText(after.text, c.selector);
  const range = A.anchor(summary, c.selector);
  const result = { beforeText: before.text, described, afterText: after.text, offsets, anchored: !!range };
  if (range) {
    const elements = A.highlightRange(range, { id: 'case-1', className: 'is-test' });
    result.pieces = pieces(elements);
    result.marksInsideMath = summary.querySelectorAll('.math mark').length;
    result.allTagged = elements.every((el) => el.dataset.annotationId === 'case-1'
      && el.classList.contains('annotation-highlight') && el.classList.contains('is-test'));
    result.textWhileHighlighted = A.summaryText(summary).text;
    result.removed = A.removeHighlights(summary, 'case-1');
    result.left = summary.querySelectorAll('.annotation-highlight, [data-annotation-id], .is-test').length;
    result.textAfterRemoval = A.summaryText(summary).text;
  }
  return result;
"""


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_shared_case_in_chromium(page: Page, case: dict) -> None:
    open_paper(page)
    result = run(page, CASE_BODY, case)
    before, after = summary_text(case["before_html"]), summary_text(case["after_html"])

    assert result["beforeText"] == before  # parity of the text model, math typeset
    assert result["afterText"] == after
    assert result["described"] == case["selector"]  # code point positions, 32 of context

    expected = case["expected_exact_after"]
    server = anchor(after, case["selector"])
    assert (result["offsets"] and (result["offsets"]["start"], result["offsets"]["end"])) == server
    if expected is None:
        assert result["offsets"] is None and not result["anchored"]
        return
    assert server == (case["expected_start_after"], case["expected_start_after"] + len(expected))
    assert result["anchored"]
    assert_wraps(result["pieces"], expected)
    assert result["allTagged"] and result["marksInsideMath"] == 0
    assert result["textWhileHighlighted"] == after
    assert result["removed"] == len(result["pieces"])
    assert result["left"] == 0 and result["textAfterRemoval"] == after
    assert page.foreign_requests == []


def test_every_real_summary_page_has_the_servers_text(page: Page) -> None:
    """The served pages themselves (template whitespace, KaTeX output, permalinks, tables)."""
    slugs = sorted(path.stem for path in CONTENT.glob("*.md"))
    assert len(slugs) > 10
    for slug in slugs:
        open_paper(page, slug)
        browser_text = page.evaluate("""async () => {
          const A = await import('/static/js/anchoring.js');
          return A.summaryText(document.getElementById('summary')).text;
        }""")
        assert browser_text == summary_text(summary_html(slug)), slug


def test_a_selection_into_typeset_math_takes_the_whole_element(page: Page) -> None:
    html = '<p>Before the formula <span class="math math-inline">x^2 + y^2</span> after it.</p>'
    open_paper(page)
    result = run(page, """
      load(arg);
      const [before, math, after] = summary.querySelector('p').childNodes;
      const rendered = document.createTreeWalker(math.querySelector('.katex-html'), NodeFilter.SHOW_TEXT);
      const inside = rendered.nextNode();  // a glyph of the typeset formula
      const describe = (startNode, startOffset, endNode, endOffset) => {
        const range = document.createRange();
        range.setStart(startNode, startOffset);
        range.setEnd(endNode, endOffset);
        return A.describeRange(summary, range).exact;
      };
      return {
        endsInside: describe(before, 7, inside, 1),
        startsInside: describe(inside, 0, after, 6),
        allInside: describe(inside, 0, inside, 1),
        atTheElement: describe(math, 0, after, 0),
      };
    """, html)
    assert summary_text(html) == "Before the formula x^2 + y^2 after it."
    assert result == {
        "endsInside": "the formula x^2 + y^2",
        "startsInside": "x^2 + y^2 after",
        "allInside": "x^2 + y^2",
        "atTheElement": "x^2 + y^2",
    }


def test_a_mouse_drag_into_typeset_math_takes_the_whole_element(page: Page) -> None:
    html = ('<p>Before the formula <span class="math math-inline">\\frac{a}{b} + \\sqrt{c}</span>'
            ' after it.</p>')
    open_paper(page)
    points = run(page, """
      load(arg);
      summary.scrollIntoView();
      const text = summary.querySelector('p').firstChild;
      const first = document.createRange();
      first.setStart(text, 0);
      first.setEnd(text, 1);
      const from = first.getBoundingClientRect();
      const to = summary.querySelector('.math .katex-html').getBoundingClientRect();
      return [from.left + 1, from.top + from.height / 2, to.left + to.width / 2, to.top + to.height / 2];
    """, html)
    page.mouse.move(points[0], points[1])
    page.mouse.down()
    page.mouse.move(points[2], points[3], steps=8)
    page.mouse.up()
    exact = page.evaluate("""async () => {
      const A = await import('/static/js/anchoring.js');
      return A.describeRange(document.getElementById('summary'), window.getSelection().getRangeAt(0)).exact;
    }""")
    assert exact == "Before the formula \\frac{a}{b} + \\sqrt{c}"


def test_math_counts_as_its_tex_with_or_without_data_tex(page: Page) -> None:
    open_paper(page)
    texts = run(page, """
      summary.innerHTML = '<p><span class="math math-inline">\\\\alpha</span> and '
        + '<span class="math math-inline">\\\\beta</span> and <span class="math math-inline">\\\\gamma</span></p>';
      const [alpha, beta] = summary.querySelectorAll('.math');
      const raw = A.summaryText(summary).text;  // nothing typeset yet: the text is the TeX
      beta.dataset.tex = beta.textContent;      // what math.js saves before typesetting
      typeset(summary);
      delete alpha.dataset.tex;                 // typeset, no data-tex: KaTeX's own annotation
      return [raw, A.summaryText(summary).text, summary.querySelectorAll('.math-typeset').length];
    """)
    assert texts == ["\\alpha and \\beta and \\gamma", "\\alpha and \\beta and \\gamma", 3]


def test_highlights_keep_math_whole_and_overlap(page: Page) -> None:
    html = ('<p>Let <span class="math math-inline">a</span> and '
            '<span class="math math-inline">b</span> be given.</p>')
    open_paper(page)
    result = run(page, """
      load(arg);
      const p = summary.querySelector('p');
      const nodesBefore = p.childNodes.length;
      let model = A.summaryText(summary);
      const one = pieces(A.highlightRange(A.rangeFromOffsets(model, 0, 9), { id: 'one', className: 'is-one' }));
      model = A.summaryText(summary);
      const two = pieces(A.highlightRange(A.rangeFromOffsets(model, 4, 11), { id: 'two', className: 'is-two' }));
      const [a, b] = summary.querySelectorAll('.math');
      const state = () => ({
        a: [a.dataset.annotationId || null, [...a.classList].filter((c) => c !== 'math-typeset')],
        b: [b.dataset.annotationId || null, [...b.classList].filter((c) => c !== 'math-typeset')],
        marks: [...summary.querySelectorAll('mark')].map((m) => [m.dataset.annotationId, m.textContent]),
        typeset: summary.querySelectorAll('.math .katex').length,
      });
      const both = state();
      A.removeHighlights(summary, 'one');
      const onlyTwo = state();
      A.removeHighlights(summary, 'two');
      return { one, two, both, onlyTwo, none: state(),
               restored: p.childNodes.length === nodesBefore, text: A.summaryText(summary).text };
    """, html)
    assert result["one"] == ["Let ", "a", " and"]
    assert result["two"] == ["a", " and", " ", "b"]  # " and" already sits in a mark of 'one'
    assert result["both"]["a"] == ["one two", ["math", "math-inline", "annotation-highlight", "is-one", "is-two"]]
    assert result["both"]["b"] == ["two", ["math", "math-inline", "annotation-highlight", "is-two"]]
    assert result["both"]["typeset"] == 2  # the math was given the class, not split
    assert result["onlyTwo"]["a"] == ["two", ["math", "math-inline", "annotation-highlight", "is-two"]]
    assert all(annotation_id == "two" for annotation_id, _ in result["onlyTwo"]["marks"])
    assert result["none"] == {"a": [None, ["math", "math-inline"]], "b": [None, ["math", "math-inline"]],
                              "marks": [], "typeset": 2}
    assert result["restored"] and result["text"] == "Let a and b be given."


def _mutations(text: str, rng: random.Random) -> list[tuple[str, dict]]:
    """(edited text, selector made on `text`) pairs: typos, moves, deletions, emoji."""
    words = ["the", "network", "colour", "🙂", "🚀", "\n", "loss", " ", "𝛼", "a\u00e9"]
    pairs = []
    for _ in range(120):
        start = rng.randrange(len(text) - 80)
        end = start + rng.choice([3, 8, 15, 31, 32, 60, 80])
        quote = describe(text, start, end)
        selector = quote.__dict__.copy()
        if rng.random() < 0.3:
            del selector["start"], selector["end"]
        chars = list(text)
        kind = rng.randrange(5)
        if kind == 0:  # typos inside the quote
            for _ in range(rng.randint(1, 6)):
                chars[rng.randrange(start, end)] = rng.choice(words)
        elif kind == 1:  # text added above, emoji included
            at = rng.randrange(start + 1)
            chars[at] = "🙂 new words 𝛼 " + chars[at]
        elif kind == 2:  # the passage and what is around it deleted
            del chars[max(0, start - rng.randint(0, 60)) : end + rng.randint(0, 60)]
        elif kind == 3:  # the quote copied elsewhere
            chars.insert(rng.randrange(len(chars)), quote.exact)
        else:  # edits all over
            for _ in range(rng.randint(1, 30)):
                chars[rng.randrange(len(chars))] = rng.choice(words)
        pairs.append(("".join(chars), selector))
    return pairs


def test_browser_and_server_anchor_alike(page: Page) -> None:
    """anchorText (JS) and anchor (Python) agree on edited real text, emoji included."""
    text = summary_text(summary_html("colorful-image-colorization"))[:3000]
    pairs = _mutations(text, random.Random(20240611))
    server = [anchor(edited, selector) for edited, selector in pairs]
    open_paper(page)
    browser = run(page, """
      return arg.map(([text, selector]) => {
        const found = A.anchorText(text, selector);
        return found && [found.start, found.end];
      });
    """, pairs)
    assert [tuple(found) if found else None for found in browser] == server
    assert sum(found is None for found in server) < len(server)  # not all orphans...
    assert any(found is None for found in server)  # ...and not none


def test_timing_500_anchors_on_a_real_summary(page: Page) -> None:
    """Not an assertion of speed: prints how long 500 anchors take on a real summary."""
    open_paper(page, "colorful-image-colorization")
    timing = run(page, """
      let seed = 12345;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const model = A.summaryText(summary);
      const points = Array.from(model.text);
      const selectors = [];
      for (let i = 0; i < 500; i += 1) {
        const start = Math.floor(random() * (points.length - 200));
        // at least 8 code points: a one-letter quote whose letter recurs 7 further on (the "u"s of
        // "true-colour") is ambiguous to any anchorer once its position moves by 7
        const end = start + 8 + Math.floor(random() * 143);
        selectors.push({
          exact: points.slice(start, end).join(''),
          prefix: points.slice(Math.max(0, start - 32), start).join(''),
          suffix: points.slice(end, end + 32).join(''),
          start, end,
        });
      }
      const time = (fn) => { const t0 = performance.now(); const out = fn(); return [performance.now() - t0, out]; };
      const [fresh, ranges] = time(() => selectors.map((s) => A.anchor(summary, s)));
      const [shared] = time(() => selectors.map((s) => A.anchor(summary, s, { model })));
      const moved = selectors.map(({ exact, prefix, suffix, start, end }) => ({
        exact, prefix, suffix, start: start + 7, end: end + 7,
      }));
      const [quoteSearch, movedFound] = time(() => moved.map((s) => A.anchorText(model.text, s)));
      const typos = selectors.map((s) => ({
        ...s,
        exact: s.exact.length > 8 ? s.exact.slice(0, 4) + 'Q' + s.exact.slice(5) : s.exact,
        start: undefined,
        end: undefined,
      }));
      const [fuzzy] = time(() => typos.map((s) => A.anchorText(model.text, s)));
      const [highlight] = time(() => selectors.forEach((s, i) => {
        const range = A.anchor(summary, s);
        if (range) A.highlightRange(range, { id: 'bench-' + i });
      }));
      const marks = summary.querySelectorAll('mark.annotation-highlight').length;
      const [removal] = time(() => selectors.forEach((s, i) => A.removeHighlights(summary, 'bench-' + i)));
      return {
        chars: model.length, fresh, shared, quoteSearch, fuzzy, highlight, removal, marks,
        anchored: ranges.filter(Boolean).length,
        movedRight: movedFound.every((f, i) => f && f.start === selectors[i].start),
        textIntact: A.summaryText(summary).text === model.text,
      };
    """)
    print(
        f"\n500 anchors on colorful-image-colorization ({timing['chars']} code points): "
        f"{timing['fresh']:.1f} ms (text model rebuilt each time), {timing['shared']:.1f} ms (one model), "
        f"{timing['quoteSearch']:.1f} ms (stale positions: quote search), "
        f"{timing['fuzzy']:.1f} ms (a typo in each quote: approximate search), "
        f"anchor + highlight {timing['highlight']:.1f} ms, remove {timing['removal']:.1f} ms"
    )
    assert timing["anchored"] == 500 and timing["movedRight"] and timing["textIntact"]
    assert timing["marks"] > 0


def test_highlight_all_is_highlight_range_one_by_one(page: Page) -> None:
    """highlightAll keeps one text model in step with the text nodes it splits: the same DOM,
    nesting and returned elements as highlightRange on a freshly built model for each passage
    in turn, and the model it leaves is the one summaryText would build."""
    slugs = sorted(path.stem for path in CONTENT.glob("*.md"))
    for slug in slugs:
        open_paper(page, slug)
        result = run(page, """
          let seed = 4242;
          const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
          const original = summary.innerHTML;
          const length = A.summaryText(summary).length;
          const items = [];
          for (let i = 0; i < 300; i += 1) {
            const start = Math.floor(random() * length);
            const end = Math.min(length, start + 1 + Math.floor(random() * (i % 10 ? 80 : 600)));
            items.push({ start, end, id: 'n' + i, className: i % 3 ? '' : 'is-mine' });
          }
          const shape = (elements) => elements.map((el) => el.localName + ':' + el.textContent.length);

          const oneByOne = items.map((item) => shape(A.highlightRange(
            A.rangeFromOffsets(A.summaryText(summary), item.start, item.end), item)));
          const expected = summary.innerHTML;

          summary.innerHTML = original;
          const model = A.summaryText(summary);
          const batch = A.highlightAll(summary, items, { model }).map(shape);
          const fresh = A.summaryText(summary);
          const same = (a, b) => a.node === b.node && a.start === b.start && a.end === b.end
            && a.base === b.base && a.atom === b.atom;
          const modelInStep = model.text === fresh.text && model.length === fresh.length
            && model.segments.length === fresh.segments.length
            && model.segments.every((segment, i) => same(segment, fresh.segments[i]))
            && model.textNodes.size === fresh.textNodes.size
            && [...fresh.textNodes].every(([node, segment]) => same(model.textNodes.get(node), segment));
          const batchHtml = summary.innerHTML;
          const marks = summary.querySelectorAll('mark').length;
          for (const item of items) A.removeHighlights(summary, item.id);
          return { sameDom: batchHtml === expected, sameElements: JSON.stringify(batch) === JSON.stringify(oneByOne),
                   modelInStep, marks, textAfterRemoval: A.summaryText(summary).text === model.text,
                   left: summary.querySelectorAll('mark, [data-annotation-id]').length };
        """)
        assert result["sameDom"], slug
        assert result["sameElements"], slug
        assert result["modelInStep"], slug
        assert result["marks"] > 300, slug
        assert result["textAfterRemoval"] and result["left"] == 0, slug
