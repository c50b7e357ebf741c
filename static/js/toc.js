// On narrow screens the contents sit above the summary: start them folded so the title
// and the text come first. Wide screens keep them open in the left column.
const contents = document.querySelector(".toc details");
if (contents && window.matchMedia("(max-width: 72rem)").matches) {
  contents.open = false;
}
