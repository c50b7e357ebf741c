// Cards in the notes margin: one per annotation thread, replies nested, and the editor.
// Text goes in through textContent; only the server's sanitized `bodyHtml` is set as HTML.
import { suggestTags } from "./api.js";

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function commentOf(annotation) {
  return (annotation.body || []).find((b) => b.purpose !== "tagging")?.value ?? "";
}

export function tagsOf(annotation) {
  return (annotation.body || []).filter((b) => b.purpose === "tagging").map((b) => b.value);
}

const QUOTE_CHARS = 160; // a card recalls its passage; the summary itself holds the rest

/** The passage a root annotation is anchored to (its TextQuoteSelector), shortened. */
export function quoteOf(annotation) {
  if (typeof annotation.target === "string") return ""; // a reply: its target is the parent
  const selectors = [].concat(annotation.target?.selector ?? []);
  const exact = (selectors.find((s) => s.type === "TextQuoteSelector")?.exact ?? "").replace(/\s+/g, " ").trim();
  return exact.length > QUOTE_CHARS ? `${exact.slice(0, QUOTE_CHARS - 1).trimEnd()}…` : exact;
}

function when(iso) {
  return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** One annotation (root or reply); `actions` holds the callbacks for its buttons. */
export function renderCard(annotation, { viewer, isAdmin = false, actions, replies = [] }) {
  const own = viewer && annotation.creator.name === viewer;
  const card = el("article", { className: "note-card", tabIndex: 0 });
  card.dataset.annotationId = annotation.id;
  const head = el("header", { className: "note-head" },
    el("a", { className: "note-author", href: `/users/${encodeURIComponent(annotation.creator.name)}`,
      textContent: annotation.creator.name }),
    el("time", { dateTime: annotation.created, textContent: when(annotation.created) }));
  if (annotation.visibility === "private") head.append(el("span", { className: "pill", textContent: "only me" }));
  if (annotation.hidden) head.append(el("span", { className: "pill pill-warn", textContent: "hidden by a moderator" }));
  card.append(head);
  const quote = annotation.deleted ? "" : quoteOf(annotation);
  if (quote) card.append(el("blockquote", { className: "note-quote", textContent: quote }));
  if (annotation.deleted) {
    card.append(el("p", { className: "muted", textContent: "This note was deleted." }));
  } else if (annotation.bodyHtml) {
    const body = el("div", { className: "note-body" });
    body.innerHTML = annotation.bodyHtml; // sanitized by the server (nh3 allow-list)
    card.append(body);
  } else if (typeof annotation.target !== "string") {
    head.append(el("span", { className: "pill", textContent: "highlight" }));
  }
  const tags = tagsOf(annotation);
  if (tags.length) {
    card.append(el("ul", { className: "chips" }, ...tags.map((tag) =>
      el("li", {}, el("a", { className: "chip", href: `/tags/${encodeURIComponent(tag)}`, textContent: tag })))));
  }
  const buttons = el("div", { className: "note-actions" });
  if (viewer && !annotation.deleted) buttons.append(button("Reply", () => actions.reply(annotation, card)));
  if (own && !annotation.deleted) {
    buttons.append(button("Edit", () => actions.edit(annotation, card)));
    buttons.append(button("Delete", () => actions.remove(annotation)));
  }
  if (isAdmin && !annotation.deleted && annotation.visibility === "public") {
    buttons.append(button(annotation.hidden ? "Unhide" : "Hide", () => actions.moderate(annotation)));
  }
  if (buttons.childElementCount) card.append(buttons);
  if (replies.length) card.append(el("div", { className: "note-replies" }, ...replies));
  return card;
}

function button(label, onClick) {
  const node = el("button", { type: "button", className: "link-button", textContent: label });
  node.addEventListener("click", (event) => { event.stopPropagation(); onClick(); });
  return node;
}

let editorCount = 0;

/** The editor: markdown comment, tags with autocomplete, visibility. `onSave` gets
 * { comment, tags, visibility }; the editor closes when it resolves and shows the error when
 * it rejects. Escape or Cancel closes it (then `onCancel`). */
export function openEditor(container, { comment = "", tags = [], visibility = "private", isReply = false,
  quote = "", sheet = false } = {}, onSave, onCancel = () => {}) {
  const n = ++editorCount;
  // `sheet`: shown over the bottom of the screen (phones), so focusing it must not scroll the page
  const form = el("form", { className: sheet ? "note-editor is-sheet" : "note-editor" });
  if (quote) form.append(el("blockquote", { className: "entry-quote", textContent: quote }));
  const text = el("textarea", { id: `note-text-${n}`, rows: 4, value: comment,
    placeholder: isReply ? "Your reply (markdown, $math$)" : "Your note (markdown, $math$)" });
  form.append(el("label", { htmlFor: text.id, className: "visually-hidden", textContent: "Note" }), text);
  const tagInput = el("input", { id: `note-tags-${n}`, type: "text", value: tags.join(", "),
    placeholder: "tags, comma separated", autocomplete: "off" });
  const list = el("datalist", { id: `note-tag-list-${n}` });
  tagInput.setAttribute("list", list.id);
  tagInput.addEventListener("input", async () => {
    const typed = tagInput.value.slice(0, tagInput.value.lastIndexOf(",") + 1);
    const last = tagInput.value.slice(typed.length).trim();
    const names = last ? await suggestTags(last) : [];
    list.replaceChildren(...names.map((name) => el("option", { value: `${typed}${typed ? " " : ""}${name}` })));
  });
  const scope = el("select", { id: `note-visibility-${n}` },
    el("option", { value: "private", textContent: "Only me" }),
    el("option", { value: "public", textContent: "Public" }));
  scope.value = visibility;
  const row = el("div", { className: "note-editor-row" });
  if (!isReply) {
    row.append(el("label", { htmlFor: tagInput.id, className: "visually-hidden", textContent: "Tags" }), tagInput, list);
  }
  row.append(el("label", { htmlFor: scope.id, className: "visually-hidden", textContent: "Who can see it" }), scope);
  const save = el("button", { type: "submit", className: "button button-small", textContent: "Save" });
  const cancel = el("button", { type: "button", className: "link-button", textContent: "Cancel" });
  const error = el("p", { className: "form-error", hidden: true, role: "alert" });
  form.append(row, error, el("div", { className: "note-actions" }, save, cancel));
  const close = () => { form.remove(); onCancel(); };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    const values = {
      comment: text.value, visibility: scope.value,
      tags: tagInput.value.split(",").map((t) => t.trim()).filter(Boolean),
    };
    try {
      await onSave(values);
      form.remove();
    } catch (problem) {
      error.textContent = problem.message;
      error.hidden = false;
      save.disabled = false;
    }
  });
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
  container.prepend(form);
  text.focus({ preventScroll: sheet });
  return form;
}
