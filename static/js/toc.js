// On narrow screens the contents sit above the summary: start them folded so the title
// and the text come first. Wide screens keep them open in the left column.
const contents = document.querySelector(".toc details");
if (contents && window.matchMedia("(max-width: 72rem)").matches) {
  contents.open = false;
}

// Mark the section being read: the last heading that has scrolled past the top fifth of the
// window. The link gets aria-current="location", so screen readers hear it too.
const links = new Map(
  [...document.querySelectorAll(".toc a[href^='#']")].map((link) => [decodeURIComponent(link.hash.slice(1)), link]),
);
const headings = [...links.keys()].map((id) => document.getElementById(id)).filter(Boolean);
let current = null;

function markCurrent() {
  const line = window.innerHeight / 5;
  let reading = headings[0];
  for (const heading of headings) {
    if (heading.getBoundingClientRect().top <= line) reading = heading;
    else break;
  }
  const link = reading ? links.get(reading.id) : null;
  if (link === current) return;
  current?.removeAttribute("aria-current");
  link?.setAttribute("aria-current", "location");
  current = link;
}

if (headings.length) {
  let queued = false;
  document.addEventListener("scroll", () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; markCurrent(); });
  }, { passive: true });
  markCurrent();
}
