// The popover that appears over a text selection in the summary: Highlight / Annotate.
// It follows the selection itself (`selectionchange`), so a mouse drag, Shift+arrows and a
// phone's long-press handles all offer it; while a mouse button is down it waits for the drag
// to end. On touch screens it sits below the passage, where the phone's own menu (above) does
// not cover it.
const SETTLE_MS = 250; // a selection still being adjusted by handles or keys is not yet final
const coarsePointer = window.matchMedia("(pointer: coarse)");
export function watchSelection(summary, { signedIn, loginUrl, onHighlight, onAnnotate }) {
  const popover = document.createElement("div");
  popover.className = "selection-popover";
  popover.setAttribute("role", "toolbar");
  popover.setAttribute("aria-label", "Annotate the selection");
  popover.hidden = true;
  if (signedIn) {
    popover.append(makeButton("Highlight", onHighlight), makeButton("Annotate", onAnnotate));
  } else {
    const link = Object.assign(document.createElement("a"), { href: loginUrl, textContent: "Log in to annotate" });
    popover.append(link);
  }
  document.body.append(popover);
  let range = null;

  function makeButton(label, callback) {
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: label });
    // mousedown would clear the selection before click; keep it.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      const chosen = range;
      hide();
      document.getSelection()?.removeAllRanges(); // the passage is now a highlight or in the editor
      if (chosen) callback(chosen);
    });
    return button;
  }

  function hide() {
    popover.hidden = true;
    range = null;
  }

  function update() {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return hide();
    const candidate = selection.getRangeAt(0);
    if (!summary.contains(candidate.commonAncestorContainer) || !candidate.toString().trim()) return hide();
    range = candidate.cloneRange();
    const box = candidate.getBoundingClientRect();
    popover.hidden = false;
    const top = coarsePointer.matches
      ? window.scrollY + box.bottom + 14
      : window.scrollY + box.top - popover.offsetHeight - 8;
    const left = window.scrollX + box.left + box.width / 2 - popover.offsetWidth / 2;
    popover.style.top = `${Math.max(window.scrollY + 4, top)}px`;
    popover.style.left = `${Math.max(4, Math.min(left, document.documentElement.clientWidth - popover.offsetWidth - 4))}px`;
  }

  let mouseDown = false;
  let settle = null;
  document.addEventListener("pointerdown", (event) => { mouseDown = event.pointerType === "mouse"; });
  for (const type of ["pointerup", "pointercancel"]) {
    document.addEventListener(type, () => { mouseDown = false; setTimeout(update); });
  }
  document.addEventListener("selectionchange", () => {
    clearTimeout(settle);
    settle = setTimeout(() => { if (!mouseDown) update(); }, SETTLE_MS);
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hide(); });
  return { hide, popover };
}
