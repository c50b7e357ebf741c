// Typeset the TeX the server left in .math elements, with the vendored KaTeX.
// Unknown commands fail soft: KaTeX shows the source in the error colour (throwOnError: false),
// and `trust: false` keeps \href, \url and \htmlClass from making links or classes.
const OPTIONS = { throwOnError: false, trust: false, strict: "ignore", output: "htmlAndMathml" };

export function typeset(root = document) {
  if (!window.katex) return; // KaTeX failed to load: the TeX source stays readable
  for (const element of root.querySelectorAll(".math:not(.math-typeset)")) {
    const displayMode = element.classList.contains("math-display");
    // Keep the TeX: annotation anchoring counts a formula as its source text, as the server does.
    element.dataset.tex = element.textContent;
    window.katex.render(element.textContent, element, { ...OPTIONS, displayMode });
    element.classList.add("math-typeset");
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => typeset());
} else {
  typeset();
}
