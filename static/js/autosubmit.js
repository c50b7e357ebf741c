// Filter selects apply on change; the form's Apply button still works without scripts.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => {
    const form = select.form;
    const page = form.querySelector("input[name=page]");
    if (page) page.remove(); // a new filter starts again at page 1
    form.requestSubmit();
  });
}
