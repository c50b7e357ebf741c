// Arriving from a search result (/papers/<slug>?highlight=<query>#<section>): mark the query's
// words in the summary, the matched section first, and bring the first mark into view. Words
// match as search does: whole words, the last one also as a prefix; math keeps its TeX.
const query = new URLSearchParams(location.search).get("highlight");
const summary = document.getElementById("summary");

function wordsOf(text) {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || []).filter((word) => word.length > 1);
}

function markTerms() {
  const words = wordsOf(query);
  if (!words.length) return;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const last = escaped.pop();
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...escaped.map((w) => `${w}(?![\\p{L}\\p{N}])`), `${last}`].join("|")})[\\p{L}\\p{N}]*`, "giu");
  const walker = document.createTreeWalker(summary, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest(".math, .katex, script, style, mark.search-term")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const marks = [];
  for (const node of nodes) {
    const text = node.nodeValue;
    const found = [...text.matchAll(pattern)];
    if (!found.length) continue;
    const pieces = document.createDocumentFragment();
    let at = 0;
    for (const match of found) {
      pieces.append(text.slice(at, match.index));
      const mark = Object.assign(document.createElement("mark"), { className: "search-term", textContent: match[0] });
      pieces.append(mark);
      marks.push(mark);
      at = match.index + match[0].length;
    }
    pieces.append(text.slice(at));
    node.replaceWith(pieces);
  }
  // the first mark at or after the section the result linked to
  const section = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  const first = marks.find((mark) => !section
    || section.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING) || marks[0];
  first?.scrollIntoView({ block: "center" });
}

if (query && summary) markTerms();
