// The annotation API as the page uses it: session cookie plus the CSRF header on writes.
const BASE = "/api/v1/annotations/";

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

async function call(url, { method = "GET", body } = {}) {
  const headers = { Accept: "application/ld+json, application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof data.detail === "string" ? data.detail : `request failed (${response.status})`;
    throw new Error(detail);
  }
  return data;
}

/** Every annotation on one paper the viewer may see, oldest first (follows `next`). */
export async function loadAnnotations(slug) {
  const items = [];
  let url = `${BASE}?${new URLSearchParams({ paper: slug, per_page: "200", order: "oldest", page: "1" })}`;
  while (url && items.length < 5000) {
    const page = await call(url);
    items.push(...page.items);
    url = page.next;
  }
  return items;
}

export const createAnnotation = (annotation) => call(BASE, { method: "POST", body: annotation });
export const updateAnnotation = (id, annotation) => call(id, { method: "PUT", body: annotation });
export const deleteAnnotation = (id) => call(id, { method: "DELETE" });
export const setHidden = (id, hidden) => call(`${id}/${hidden ? "hide" : "unhide"}`, { method: "POST" });

export async function suggestTags(prefix) {
  const response = await fetch(`/api/v1/tags/suggest?${new URLSearchParams({ prefix })}`,
    { credentials: "same-origin" });
  return response.ok ? response.json() : [];
}

/** W3C bodies from what the editor collected. */
export function bodies({ comment, tags }) {
  const result = [];
  if (comment.trim()) result.push({ type: "TextualBody", value: comment, format: "text/markdown" });
  for (const tag of tags) result.push({ type: "TextualBody", value: tag, purpose: "tagging" });
  return result;
}
