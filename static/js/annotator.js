// Annotating a summary: highlights in the text, notes in the margin, kept in step.
// Loaded as a module after math.js, so formulas are already typeset (their TeX kept in
// data-tex, which is what anchoring counts).
import {
  anchorText, describeRange, highlightAll, highlightRange, removeHighlights, summaryText,
} from "./anchoring.js";
import { typeset } from "./math.js";
import * as api from "./annotations/api.js";
import { openEditor, renderCard, commentOf, tagsOf } from "./annotations/cards.js";
import { watchSelection } from "./annotations/selection.js";

const summary = document.getElementById("summary");
const panel = document.getElementById("annotations");
const viewer = document.querySelector('meta[name="viewer"]')?.content || null;
const isAdmin = document.querySelector('meta[name="viewer-role"]')?.content === "admin";

// Below 52rem the margin sits after the summary, thousands of pixels from the passage: the
// editor and a focused card open as a sheet at the bottom of the screen instead (site.css).
const narrow = window.matchMedia("(max-width: 52rem)");
const notes = new Map(); // IRI -> annotation
const placed = new Map(); // IRI of a root annotation -> true when anchored, false for an orphan
const shortId = (iri) => iri.slice(iri.lastIndexOf("/") + 1);
const filters = { tag: "", mine: false };
let list, orphanList, tagFilter;

if (summary && panel) start();

async function start() {
  buildPanel();
  watchSelection(summary, {
    signedIn: Boolean(viewer),
    loginUrl: `/login?next=${encodeURIComponent(location.pathname)}`,
    onHighlight: (range) => create(range, { comment: "", tags: [], visibility: "private" }),
    onAnnotate: annotate,
  });
  summary.addEventListener("click", (event) => {
    const mark = event.target.closest("[data-annotation-id]");
    if (mark) focusCard(mark.dataset.annotationId.split(" ")[0], { fromText: true });
  });
  try {
    for (const annotation of await api.loadAnnotations(summary.dataset.paper)) notes.set(annotation.id, annotation);
  } catch (problem) {
    list.replaceChildren(Object.assign(document.createElement("p"), { className: "form-error", textContent: problem.message }));
    return;
  }
  const started = performance.now();
  anchorAll();
  render();
  // For tests and `make bench`: every note is placed, and how long placing them took.
  panel.dataset.placeMs = (performance.now() - started).toFixed(1);
  panel.dataset.ready = "true";
  const wanted = location.hash.match(/^#annotation-([0-9a-f]{32})$/);
  if (wanted) focusCard(wanted[1], { scrollText: true });
}

function buildPanel() {
  panel.replaceChildren();
  const heading = Object.assign(document.createElement("h2"), { id: "notes-heading", textContent: "Notes" });
  tagFilter = document.createElement("select");
  tagFilter.id = "notes-tag-filter";
  tagFilter.addEventListener("change", () => { filters.tag = tagFilter.value; render(); });
  const tagLabel = Object.assign(document.createElement("label"), { htmlFor: tagFilter.id, className: "visually-hidden", textContent: "Show notes tagged" });
  const mine = Object.assign(document.createElement("input"), { type: "checkbox", id: "notes-mine" });
  mine.addEventListener("change", () => { filters.mine = mine.checked; render(); });
  const mineLabel = Object.assign(document.createElement("label"), { htmlFor: mine.id, textContent: " Mine" });
  const bar = Object.assign(document.createElement("div"), { className: "notes-filters" });
  bar.append(tagLabel, tagFilter);
  if (viewer) bar.append(Object.assign(document.createElement("span"), { className: "mine-filter" }), mine, mineLabel);
  list = Object.assign(document.createElement("div"), { className: "notes-list" });
  orphanList = Object.assign(document.createElement("section"), { className: "orphans", hidden: true });
  panel.append(heading, bar, list, orphanList);
  if (!viewer) {
    const hint = Object.assign(document.createElement("p"), { className: "muted" });
    hint.append("Select text to highlight it. ", Object.assign(document.createElement("a"),
      { href: `/login?next=${encodeURIComponent(location.pathname)}`, textContent: "Log in" }), " to write notes.");
    panel.append(hint);
  }
}

const isRoot = (annotation) => typeof annotation.target !== "string";

function selectorOf(annotation) {
  const result = {};
  for (const selector of annotation.target.selector || []) Object.assign(result, selector);
  delete result.type;
  return result;
}

/** Anchor every root annotation not placed yet. Matching runs once on one snapshot of the
 * text; highlighting splits text nodes but never changes the text itself, so the offsets found
 * first stay right, and highlightAll keeps that one model in step with the splits. */
function anchorAll() {
  const model = summaryText(summary);
  const found = [];
  for (const annotation of notes.values()) {
    if (!isRoot(annotation) || placed.has(annotation.id)) continue;
    const offsets = anchorText(model.text, selectorOf(annotation));
    placed.set(annotation.id, Boolean(offsets));
    if (offsets) {
      const own = viewer && annotation.creator.name === viewer;
      found.push({ ...offsets, id: shortId(annotation.id), className: own ? "is-mine" : "" });
    }
  }
  highlightAll(summary, found, { model });
}

function matchesFilters(annotation) {
  if (filters.mine && annotation.creator.name !== viewer) return false;
  if (filters.tag && !tagsOf(annotation).includes(filters.tag)) return false;
  return true;
}

function firstMark(iri) {
  return summary.querySelector(`[data-annotation-id~="${shortId(iri)}"]`);
}

/** Short id -> index of its first highlight element in document order (one DOM pass). */
function firstPositions() {
  const positions = new Map();
  let index = 0;
  for (const mark of summary.querySelectorAll("[data-annotation-id]")) {
    for (const id of mark.dataset.annotationId.split(" ")) if (!positions.has(id)) positions.set(id, index);
    index += 1;
  }
  return positions;
}

/** The header's "N public notes" (the summary's cached HTML cannot hold a count that changes). */
function showPublicCount() {
  const slot = document.querySelector(".paper-links .note-count");
  if (!slot) return;
  const count = [...notes.values()].filter((a) => a.visibility === "public" && !a.hidden && !a.deleted).length;
  slot.hidden = count === 0;
  slot.replaceChildren(Object.assign(document.createElement("a"), {
    href: "#annotations", textContent: `${count} public note${count === 1 ? "" : "s"}`,
  }));
}

function render() {
  const replies = new Map();
  for (const annotation of notes.values()) {
    if (!isRoot(annotation)) replies.set(annotation.target, [...(replies.get(annotation.target) || []), annotation]);
  }
  const card = (annotation) => renderCard(annotation, {
    viewer, isAdmin, actions: { reply, edit, remove, moderate },
    replies: (replies.get(annotation.id) || []).map(card),
  });
  const roots = [...notes.values()].filter(isRoot);
  const position = firstPositions();
  // Stable sort: notes that start at the same place keep their oldest-first order.
  const shown = roots.filter((a) => placed.get(a.id) && matchesFilters(a))
    .sort((a, b) => position.get(shortId(a.id)) - position.get(shortId(b.id)));
  list.replaceChildren(...shown.map(card));
  showPublicCount();
  if (!shown.length) {
    list.append(Object.assign(document.createElement("p"), { className: "muted",
      textContent: roots.length ? "No note matches the filter." : "No notes on this summary yet." }));
  }
  const byShortId = new Map([...notes.values()].map((a) => [shortId(a.id), a]));
  for (const mark of summary.querySelectorAll("[data-annotation-id]")) {
    const visible = mark.dataset.annotationId.split(" ").some((id) => {
      const annotation = byShortId.get(id);
      return annotation && matchesFilters(annotation);
    });
    mark.classList.toggle("is-filtered-out", !visible);
  }
  const orphans = roots.filter((a) => placed.get(a.id) === false && matchesFilters(a));
  orphanList.hidden = !orphans.length;
  orphanList.replaceChildren(Object.assign(document.createElement("h3"), {
    textContent: `Not found in this version (${orphans.length})` }), ...orphans.map((a) => {
    const item = card(a);
    item.classList.add("is-orphan");
    item.prepend(Object.assign(document.createElement("blockquote"), { className: "entry-quote", textContent: selectorOf(a).exact }));
    return item;
  }));
  updateTagChoices(roots);
  typeset(panel);
}

function updateTagChoices(roots) {
  const tags = [...new Set(roots.flatMap(tagsOf))].sort();
  const keep = filters.tag;
  tagFilter.replaceChildren(new Option("All notes", ""), ...tags.map((tag) => new Option(`#${tag}`, tag)));
  tagFilter.value = tags.includes(keep) ? keep : "";
  tagFilter.hidden = !tags.length;
}

function focusCard(id, { scrollText = false, fromText = false } = {}) {
  const card = list.querySelector(`[data-annotation-id$="${id}"]`) || orphanList.querySelector(`[data-annotation-id$="${id}"]`);
  for (const focused of document.querySelectorAll(".is-focused")) focused.classList.remove("is-focused", "is-sheet");
  if (!card) return;
  card.classList.add("is-focused");
  if (narrow.matches && fromText) {
    card.classList.add("is-sheet"); // over the text the reader tapped, not at the end of the page
  } else {
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
  card.focus({ preventScroll: true });
  for (const mark of summary.querySelectorAll(`[data-annotation-id~="${id}"]`)) mark.classList.add("is-focused");
  if (scrollText) firstMark(card.dataset.annotationId)?.scrollIntoView({ block: "center" });
}

// A card shown as a sheet closes with Escape or a tap outside it.
function closeSheet() {
  for (const sheet of document.querySelectorAll(".note-card.is-sheet")) sheet.classList.remove("is-sheet", "is-focused");
}
document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeSheet(); });
document.addEventListener("pointerdown", (event) => {
  if (!event.target.closest(".note-card.is-sheet, [data-annotation-id]")) closeSheet();
});

panel?.addEventListener("click", (event) => {
  const card = event.target.closest(".note-card");
  if (!card || event.target.closest("a, button, form")) return;
  focusCard(shortId(card.closest(".notes-list > .note-card, .orphans > .note-card")?.dataset.annotationId ?? card.dataset.annotationId), { scrollText: true });
});

function targetFor(selector) {
  return {
    source: `${location.origin}/papers/${summary.dataset.paper}`,
    selector: [
      { type: "TextQuoteSelector", exact: selector.exact, prefix: selector.prefix, suffix: selector.suffix },
      { type: "TextPositionSelector", start: selector.start, end: selector.end },
    ],
  };
}

async function create(range, values, selector = describeRange(summary, range)) {
  const annotation = await api.createAnnotation({
    target: targetFor(selector), body: api.bodies(values), visibility: values.visibility,
  });
  notes.set(annotation.id, annotation);
  document.getSelection()?.removeAllRanges();
  anchorAll();
  render();
  focusCard(shortId(annotation.id), { fromText: true }); // the reader is at the passage: show it there
}

function annotate(range) {
  const selector = describeRange(summary, range);
  const pending = highlightRange(range, { id: "pending", className: "is-pending" });
  openEditor(list, { quote: selector.exact, sheet: narrow.matches }, (values) => create(null, values, selector),
    () => removeHighlights(summary, "pending"));
  if (narrow.matches) { // the passage stays in sight above the sheet
    const first = summary.querySelector('[data-annotation-id~="pending"]');
    if (first) window.scrollBy({ top: first.getBoundingClientRect().top - 72 });
  }
  // Once saved, the real highlight replaces the pending one.
  list.querySelector(".note-editor")?.addEventListener("submit", () => setTimeout(() => {
    if (!list.querySelector(".note-editor")) removeHighlights(summary, "pending");
  }, 0));
  return pending;
}

function reply(parent, card) {
  const holder = card.querySelector(":scope > .note-replies") || card.appendChild(Object.assign(document.createElement("div"), { className: "note-replies" }));
  openEditor(holder, { isReply: true, visibility: parent.visibility }, async (values) => {
    const annotation = await api.createAnnotation({
      target: parent.id, body: api.bodies({ comment: values.comment, tags: [] }), visibility: values.visibility,
    });
    notes.set(annotation.id, annotation);
    render();
  });
}

function edit(annotation, card) {
  const values = { comment: commentOf(annotation), tags: tagsOf(annotation), visibility: annotation.visibility,
    isReply: !isRoot(annotation) };
  card.classList.add("is-editing");
  openEditor(card, values, async (changed) => {
    const updated = await api.updateAnnotation(annotation.id, {
      target: annotation.target, body: api.bodies(changed), visibility: changed.visibility,
    });
    notes.set(updated.id, updated);
    render();
  }, () => card.classList.remove("is-editing"));
}

async function remove(annotation) {
  if (!window.confirm("Delete this note?")) return;
  await api.deleteAnnotation(annotation.id);
  const hasReplies = [...notes.values()].some((a) => a.target === annotation.id);
  if (hasReplies) {
    notes.set(annotation.id, { ...annotation, deleted: true, body: [], bodyHtml: "" });
  } else {
    notes.delete(annotation.id);
    removeHighlights(summary, shortId(annotation.id));
    placed.delete(annotation.id);
  }
  render();
}

async function moderate(annotation) {
  const updated = await api.setHidden(annotation.id, !annotation.hidden);
  notes.set(updated.id, updated);
  render();
}
