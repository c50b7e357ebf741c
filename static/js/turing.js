// The Turing test page (templates/turing.html): the arrow keys answer for the left or right
// photo, as the buttons do for a click, a tap or Enter. The form works without this script.
const form = document.querySelector(".turing-choices");
if (form) {
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea")) return;
    const side = { ArrowLeft: "left", ArrowRight: "right" }[event.key];
    if (!side) return;
    event.preventDefault();
    form.querySelector(`button[data-side="${side}"]`).click();
  });
  // one answer per round: a double click must not send the second one
  form.addEventListener("submit", () => {
    setTimeout(() => { for (const button of form.querySelectorAll("button")) button.disabled = true; });
  });
}
