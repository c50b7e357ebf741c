// Anchoring annotations to the summary text: the browser half of app/services/text_anchoring.py.
//
// The text model (the contract with the server): the summary text is the concatenation, in
// document order, of the text nodes under the summary element, where each `.math` element
// counts as exactly its TeX source (`data-tex`, saved by math.js before KaTeX typesets it;
// else its text while not yet typeset; else the TeX KaTeX keeps in its MathML annotation) and
// heading permalinks (`a.header-anchor`) count as nothing; leading and trailing HTML whitespace
// (space, tab, LF, CR, FF) is then removed. Positions count Unicode code points, not UTF-16
// units: an emoji is one.
//
// Selectors are W3C Web Annotation ones: { exact, prefix, suffix } (a TextQuoteSelector, with
// CONTEXT_LENGTH code points of context) and { start, end } (a TextPositionSelector).
//
// anchor() follows Hypothesis' match-quote, with the thresholds of the server side:
//   1. if start/end are given and the text there equals `exact`, that is the answer;
//   2. candidates: every exact occurrence; if none, the best approximate matches
//      (approx-string-match: fewest edits) with at most
//      min(MAX_ERRORS_CAP, floor(length * MAX_ERROR_RATE)) edits; none: an orphan (null);
//   3. score = (QUOTE_WEIGHT*quote + PREFIX_WEIGHT*prefix + SUFFIX_WEIGHT*suffix
//      + POSITION_WEIGHT*position) / sum of weights; quote = 1 - edits/length; prefix/suffix =
//      1 - (fewest edits of the context within the text just before/after)/context length
//      (1 with no such context, 0 where the text there is empty); position = 1 -
//      |start - old start|/text length (1 without one);
//   4. a quote shorter than SHORT_QUOTE, and any inexact match, also needs the mean
//      similarity of its non-empty contexts to reach MIN_CONTEXT_SIMILARITY; the best
//      candidate that passes wins (first on a tie).
// approx-string-match counts UTF-16 units, so every string is first recoded so that each code
// point is one unit (astral characters become private-use ones): edit counts and offsets are
// then in code points, exactly as in Python.

import search from "../vendor/approx-string-match-2.0.0/index.js";

export const CONTEXT_LENGTH = 32;
export const MAX_ERROR_RATE = 0.25;
export const MAX_ERRORS_CAP = 256;
export const QUOTE_WEIGHT = 50;
export const PREFIX_WEIGHT = 20;
export const SUFFIX_WEIGHT = 20;
export const POSITION_WEIGHT = 2;
export const SHORT_QUOTE = 32;
export const MIN_CONTEXT_SIMILARITY = 0.5;

export const HIGHLIGHT_CLASS = "annotation-highlight";

const SKIP_SELECTOR = "a.header-anchor";
const HTML_SPACE = new Set([" ", "\t", "\n", "\r", "\f"]);

// ------------------------------------------------------------------------------ text model

function isMath(element) {
  return element.classList.contains("math");
}

function texOf(element) {
  if (element.dataset.tex !== undefined) return element.dataset.tex;
  if (!element.classList.contains("math-typeset")) return element.textContent;
  const annotation = element.querySelector('annotation[encoding="application/x-tex"]');
  if (annotation) return annotation.textContent;
  return element.textContent; // a KaTeX error shows the source as text
}

/** The summary text under `root` and the map from it back to the DOM.
 *
 * Returns { root, text, length, segments, textNodes, atoms, cpToU16, u16ToCp }: `text` is the
 * logical text (a JS string), `length` its length in code points; each segment is
 * { node, start, end, base, atom } in UTF-16 offsets of `text` (`base`: where the node's data
 * would start; an atom is a math element), in document order; `textNodes` and `atoms` map a
 * node to its segment; cpToU16/u16ToCp convert offsets. The map is good until the DOM under
 * `root` changes (highlighting splits text nodes): build a new one after (highlightAll keeps
 * the model it is given in step with its own splits). */
export function summaryText(root) {
  const segments = [];
  let raw = "";
  const walk = (parent) => {
    for (let node = parent.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.data) {
          segments.push({ node, start: raw.length, end: raw.length + node.data.length, atom: false });
          raw += node.data;
        }
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.matches(SKIP_SELECTOR)) continue;
        if (isMath(node)) {
          const tex = texOf(node);
          if (tex) segments.push({ node, start: raw.length, end: raw.length + tex.length, atom: true });
          raw += tex;
          continue;
        }
        walk(node);
      }
    }
  };
  walk(root);

  let lead = 0;
  while (lead < raw.length && HTML_SPACE.has(raw[lead])) lead += 1;
  let tail = raw.length;
  while (tail > lead && HTML_SPACE.has(raw[tail - 1])) tail -= 1;
  const text = raw.slice(lead, tail);
  const kept = [];
  const textNodes = new Map();
  const atoms = new Map();
  for (const segment of segments) {
    const base = segment.start - lead;
    const start = Math.max(0, base);
    const end = Math.min(text.length, segment.end - lead);
    if (end <= start) continue;
    const keptSegment = { node: segment.node, start, end, base, atom: segment.atom };
    kept.push(keptSegment);
    (segment.atom ? atoms : textNodes).set(segment.node, keptSegment);
  }

  // Code point <-> UTF-16 offsets.
  const cpToU16 = [];
  const u16ToCp = new Uint32Array(text.length + 1);
  for (let i = 0; i < text.length; ) {
    const cp = cpToU16.length;
    cpToU16.push(i);
    u16ToCp[i] = cp;
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
      u16ToCp[i + 1] = cp; // inside a pair: rounded down
      i += 2;
    } else {
      i += 1;
    }
  }
  u16ToCp[text.length] = cpToU16.length;
  cpToU16.push(text.length);

  return { root, text, length: cpToU16.length - 1, segments: kept, textNodes, atoms, cpToU16, u16ToCp };
}

function isHighSurrogate(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function toCodePoints(model, offset, roundUp) {
  const cp = model.u16ToCp[offset];
  return roundUp && model.cpToU16[cp] !== offset ? cp + 1 : cp;
}

/** Selectors for text[start, end) of a plain string, in code points. */
export function describeText(text, start, end) {
  const points = Array.from(text);
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= points.length)) {
    throw new RangeError(`range ${start}..${end} is outside a text of length ${points.length}`);
  }
  return {
    exact: points.slice(start, end).join(""),
    prefix: points.slice(Math.max(0, start - CONTEXT_LENGTH), start).join(""),
    suffix: points.slice(end, end + CONTEXT_LENGTH).join(""),
    start,
    end,
  };
}

function describeModel(model, start, end) {
  const slice = (from, to) => model.text.slice(model.cpToU16[from], model.cpToU16[to]);
  return {
    exact: slice(start, end),
    prefix: slice(Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: slice(end, Math.min(model.length, end + CONTEXT_LENGTH)),
    start,
    end,
  };
}

// The UTF-16 offset in the model's text of a DOM boundary point; `edge` is "start" or "end".
// A point inside a math element goes to its start or end, so the selection takes it whole.
function pointToOffset(model, node, offset, edge) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const math = element && element.closest(".math");
  if (math && model.atoms.has(math)) {
    const atom = model.atoms.get(math);
    return edge === "start" ? atom.start : atom.end;
  }
  if (node.nodeType === Node.TEXT_NODE && model.textNodes.has(node)) {
    const segment = model.textNodes.get(node);
    return Math.min(segment.end, Math.max(segment.start, segment.base + offset));
  }
  // Elsewhere (between elements, in a skipped "#", outside the root): where the first
  // segment at or after the point begins.
  const probe = document.createRange();
  probe.setStart(node, offset);
  const segments = model.segments;
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (probe.comparePoint(segments[middle].node, 0) < 0) low = middle + 1;
    else high = middle;
  }
  return low < segments.length ? segments[low].start : model.text.length;
}

/** Selectors for a DOM Range under `root` (a selection). A range that starts or ends inside
 * a math element takes the whole element. Returns { exact, prefix, suffix, start, end }. */
export function describeRange(root, range, model = summaryText(root)) {
  const from = pointToOffset(model, range.startContainer, range.startOffset, "start");
  const to = Math.max(from, pointToOffset(model, range.endContainer, range.endOffset, "end"));
  return describeModel(model, toCodePoints(model, from, false), toCodePoints(model, to, true));
}

/** A DOM Range over code points [start, end) of the model's text (math elements whole). */
export function rangeFromOffsets(model, start, end) {
  const from = model.cpToU16[start];
  const to = model.cpToU16[end];
  const segments = model.segments;
  const range = document.createRange();
  if (!segments.length) {
    range.selectNodeContents(model.root);
    range.collapse(true);
    return range;
  }
  // The segment holding the first character, and the one holding the last.
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (segments[middle].end > from) high = middle;
    else low = middle + 1;
  }
  const first = segments[low];
  if (first.atom) range.setStartBefore(first.node);
  else range.setStart(first.node, Math.max(0, from - first.base));
  if (to <= from) {
    range.collapse(true);
    return range;
  }
  low = 0;
  high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (segments[middle].start < to) low = middle;
    else high = middle - 1;
  }
  const last = segments[low];
  if (last.atom) range.setEndAfter(last.node);
  else range.setEnd(last.node, Math.min(last.node.data.length, to - last.base));
  return range;
}

// ------------------------------------------------------------------------------- anchoring

// Recode strings so that each code point is one UTF-16 unit: astral characters become
// private-use characters that none of the strings contains (the same one for the same
// character). Edit distances are unchanged, and offsets become code point offsets. (Past
// 6,400 distinct astral characters in one call the rest share U+FFFD: not in a summary.)
function oneUnitPerCodePoint(strings) {
  if (!strings.some((s) => /[\ud800-\udfff]/.test(s))) return strings;
  const used = new Set();
  for (const s of strings) {
    for (const char of s.matchAll(/[\ue000-\uf8ff]/g)) used.add(char[0]);
  }
  const codes = new Map();
  let next = 0xe000;
  const recode = (char) => {
    if (char.length === 1) return char;
    let code = codes.get(char);
    if (code === undefined) {
      while (next <= 0xf8ff && used.has(String.fromCharCode(next))) next += 1;
      code = next <= 0xf8ff ? String.fromCharCode(next++) : "\ufffd";
      codes.set(char, code);
    }
    return code;
  };
  return strings.map((s) => (/[\ud800-\udfff]/.test(s) ? Array.from(s, recode).join("") : s));
}

function exactMatches(text, quote) {
  const matches = [];
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    matches.push({ start: at, end: at + quote.length, errors: 0 });
  }
  return matches;
}

function contextSimilarity(window, context) {
  if (!window.length) return 0;
  return 1 - search(window, context, context.length)[0].errors / context.length;
}

function position(value) {
  return Number.isInteger(value) ? value : null;
}

/** Where the selector's passage is in a plain string: { start, end } in code points, or null
 * for an orphan. The same answer as text_anchoring.anchor on the server. */
export function anchorText(text, selector) {
  const [t, exact, prefix, suffix] = oneUnitPerCodePoint([
    text, selector.exact || "", selector.prefix || "", selector.suffix || "",
  ]);
  const start = position(selector.start);
  const end = position(selector.end);
  if (!exact.length) return null;
  if (start !== null && end !== null && start >= 0 && start <= end && end <= t.length) {
    if (t.slice(start, end) === exact) return { start, end };
  }

  let candidates = exactMatches(t, exact);
  if (!candidates.length) {
    const maxErrors = Math.min(MAX_ERRORS_CAP, Math.floor(exact.length * MAX_ERROR_RATE));
    if (maxErrors > 0) candidates = search(t, exact, maxErrors);
  }

  let best = null;
  let bestScore = -1;
  for (const candidate of candidates) {
    const quoteScore = 1 - candidate.errors / exact.length;
    let prefixScore = 1;
    let suffixScore = 1;
    if (prefix.length) {
      prefixScore = contextSimilarity(t.slice(Math.max(0, candidate.start - prefix.length), candidate.start), prefix);
    }
    if (suffix.length) {
      suffixScore = contextSimilarity(t.slice(candidate.end, candidate.end + suffix.length), suffix);
    }
    const positionScore = start === null ? 1 : 1 - Math.abs(candidate.start - start) / t.length;
    // Short quotes and inexact matches also need similar context (see text_anchoring.py).
    if ((exact.length < SHORT_QUOTE || candidate.errors > 0) && (prefix.length || suffix.length)) {
      const scores = [...(prefix.length ? [prefixScore] : []), ...(suffix.length ? [suffixScore] : [])];
      if (scores.reduce((sum, score) => sum + score, 0) / scores.length < MIN_CONTEXT_SIMILARITY) continue;
    }
    const score = (QUOTE_WEIGHT * quoteScore + PREFIX_WEIGHT * prefixScore
      + SUFFIX_WEIGHT * suffixScore + POSITION_WEIGHT * positionScore)
      / (QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best && { start: best.start, end: best.end };
}

/** A DOM Range for the selector's passage under `root`, or null for an orphan. Pass
 * `{ model }` (from summaryText) to anchor many selectors against an unchanged DOM. */
export function anchor(root, selector, { model = summaryText(root) } = {}) {
  const found = anchorText(model.text, selector);
  return found && rangeFromOffsets(model, found.start, found.end);
}

// ---------------------------------------------------------------------------- highlighting

const BLOCKS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DETAILS", "DIV", "DL", "DT", "FIGURE",
  "FOOTER", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV", "OL", "P",
  "PRE", "SECTION", "TABLE", "TBODY", "TD", "TFOOT", "TH", "THEAD", "TR", "UL",
]);
const NO_TEXT_PARENTS = new Set(["TABLE", "TBODY", "TFOOT", "THEAD", "TR", "UL", "OL", "DL"]);

// Whitespace between blocks (the "\n" between two paragraphs): a <mark> there would be
// invalid (in a table) or could add an empty line, so it is left unwrapped.
function isLayoutWhitespace(node) {
  if (/[^ \t\n\r\f]/.test(node.data)) return false;
  if (NO_TEXT_PARENTS.has(node.parentNode.nodeName)) return true;
  const isBlock = (sibling) => sibling && sibling.nodeType === Node.ELEMENT_NODE
    && (BLOCKS.has(sibling.nodeName) || sibling.classList.contains("math-display"));
  return isBlock(node.previousSibling) || isBlock(node.nextSibling);
}

const atomClasses = new WeakMap(); // math element -> Map(annotation id -> extra classes)

function highlightAtom(element, id, classes) {
  const byId = atomClasses.get(element) || new Map();
  atomClasses.set(element, byId);
  byId.set(id, classes);
  const ids = (element.dataset.annotationId || "").split(" ").filter(Boolean);
  if (!ids.includes(id)) ids.push(id);
  element.dataset.annotationId = ids.join(" ");
  element.classList.add(HIGHLIGHT_CLASS, ...classes);
}

function unhighlightAtom(element, id) {
  const byId = atomClasses.get(element) || new Map();
  const ids = (element.dataset.annotationId || "").split(" ").filter((token) => token && token !== id);
  const removed = byId.get(id) || [];
  byId.delete(id);
  const kept = new Set([...byId.values()].flat());
  element.classList.remove(...removed.filter((name) => !kept.has(name)));
  if (ids.length) {
    element.dataset.annotationId = ids.join(" ");
  } else {
    delete element.dataset.annotationId;
    element.classList.remove(HIGHLIGHT_CLASS);
  }
}

/** Highlight a Range: each slice of a text node in it is wrapped in
 * <mark class="annotation-highlight {className}" data-annotation-id="{id}">; a math element in
 * it gets the classes and the id itself (ids space-separated when highlights overlap).
 * Returns the marks and math elements, in document order. */
export function highlightRange(range, { id, className = "" } = {}) {
  return wrapRange(range, String(id), className.split(/\s+/).filter(Boolean), null);
}

/** Highlight many passages of the summary under `root`, one after the other: each item is
 * { start, end, id, className } in code points of the text. The same DOM as, for each item in
 * turn, highlightRange(rangeFromOffsets(summaryText(root), start, end), item) -- later items
 * nest in the marks of earlier ones -- without rebuilding the text model each time: the text
 * never changes, only text nodes are split, so the model (`model`, from summaryText(root)) is
 * kept in step, in place. Returns the elements of each item (as highlightRange does). */
export function highlightAll(root, items, { model = summaryText(root) } = {}) {
  const created = [];
  for (const { start, end, id, className = "" } of items) {
    const range = rangeFromOffsets(model, start, end);
    const state = { model, lost: false };
    created.push(wrapRange(range, String(id), className.split(/\s+/).filter(Boolean), state));
    if (state.lost) Object.assign(model, summaryText(model.root)); // not expected: rebuild
  }
  return created;
}

// After `node.splitText(offset)` made `rest`: the model's segment of `node` becomes up to two.
function splitSegment(state, node, offset, rest) {
  const model = state.model;
  const segment = model.textNodes.get(node);
  if (!segment || state.lost) {
    state.lost = true;
    return;
  }
  const segments = model.segments;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) { // segments are in text order, none empty: starts are distinct
    const middle = (low + high) >> 1;
    if (segments[middle].start < segment.start) low = middle + 1;
    else high = middle;
  }
  if (segments[low] !== segment) {
    state.lost = true;
    return;
  }
  // Clipped to the text as summaryText clips them (leading/trailing whitespace trimmed).
  const length = model.text.length;
  const pieces = [];
  const restBase = segment.base + offset;
  const head = { node, start: Math.max(0, segment.base), end: Math.min(length, restBase), base: segment.base, atom: false };
  const tail = { node: rest, start: Math.max(0, restBase), end: Math.min(length, restBase + rest.data.length), base: restBase, atom: false };
  model.textNodes.delete(node);
  for (const piece of [head, tail]) {
    if (piece.end <= piece.start) continue;
    pieces.push(piece);
    model.textNodes.set(piece.node, piece);
  }
  segments.splice(low, 1, ...pieces);
}

function wrapRange(range, id, classes, state) {
  const items = [];
  const visit = (node) => {
    if (!range.intersectsNode(node)) return;
    if (node.nodeType === Node.TEXT_NODE) {
      const from = node === range.startContainer ? range.startOffset : 0;
      const to = node === range.endContainer ? range.endOffset : node.data.length;
      if (to > from && !isLayoutWhitespace(node)) items.push({ node, from, to });
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      if (isMath(node)) items.push({ atom: node });
      else if (!node.matches(SKIP_SELECTOR)) for (let child = node.firstChild; child; child = child.nextSibling) visit(child);
    }
  };
  const common = range.commonAncestorContainer;
  const commonElement = common.nodeType === Node.ELEMENT_NODE ? common : common.parentElement;
  const enclosingMath = commonElement && commonElement.closest(".math");
  if (enclosingMath) items.push({ atom: enclosingMath });
  else visit(common);

  // Every slice is measured before any node is split.
  const created = [];
  for (const item of items) {
    if (item.atom) {
      highlightAtom(item.atom, id, classes);
      created.push(item.atom);
      continue;
    }
    let node = item.node;
    if (item.to < node.data.length) {
      const rest = node.splitText(item.to);
      if (state) splitSegment(state, node, item.to, rest);
    }
    if (item.from > 0) {
      const rest = node.splitText(item.from);
      if (state) splitSegment(state, node, item.from, rest);
      node = rest;
    }
    const mark = document.createElement("mark");
    mark.classList.add(HIGHLIGHT_CLASS, ...classes);
    mark.dataset.annotationId = id;
    node.parentNode.replaceChild(mark, node);
    mark.appendChild(node);
    created.push(mark);
  }
  return created;
}

/** Remove the highlights of annotation `id` (no whitespace in ids) under `root`; returns how
 * many elements changed. Text nodes split by highlighting are joined again. */
export function removeHighlights(root, id) {
  id = String(id);
  const parents = new Set();
  let changed = 0;
  const value = CSS.escape(id);
  for (const mark of root.querySelectorAll(`mark.${HIGHLIGHT_CLASS}[data-annotation-id="${value}"]`)) {
    const parent = mark.parentNode;
    while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
    mark.remove();
    parents.add(parent);
    changed += 1;
  }
  for (const element of root.querySelectorAll(`.math[data-annotation-id~="${value}"]`)) {
    unhighlightAtom(element, id);
    changed += 1;
  }
  for (const parent of parents) if (parent.isConnected) parent.normalize();
  return changed;
}
