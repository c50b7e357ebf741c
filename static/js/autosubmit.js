// Filter forms: selects apply on change, and blank fields stay out of the URL
// (`/?tag=gan` rather than `/?q=&tag=gan&year=`). Without scripts, Apply still works.
for (const form of document.querySelectorAll("form.filters")) {
  form.addEventListener("submit", () => {
    for (const field of form.elements) {
      if (field.name && field.value === "") field.disabled = true;
    }
  });
  // Coming back with the Back button restores the page from cache: fields must work again.
  window.addEventListener("pageshow", () => {
    for (const field of form.elements) field.disabled = false;
  });
}

for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
