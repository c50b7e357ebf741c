// "Copy" buttons: <button data-copy-target="ID"> copies that element's text.
// The buttons are hidden in the HTML and shown here, so readers without scripts never see a
// button that does nothing (they can still select the text).
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const scratch = Object.assign(document.createElement("textarea"), { value: text });
  document.body.append(scratch);
  scratch.select();
  document.execCommand("copy");
  scratch.remove();
}

for (const button of document.querySelectorAll("[data-copy-target]")) {
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source) continue;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await copyText(source.textContent);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select the text to copy";
    }
    setTimeout(() => (button.textContent = label), 2000);
  });
}
