// Runs a demo in the page: sends the form to the API, shows progress, then the result.
// Without scripts the form posts to /demos/<name> and lands on the job's own page.
const form = document.querySelector("form.demo-form");
if (form) {
  const output = document.querySelector(".demo-output");
  const bar = output.querySelector(".demo-progress");
  const status = output.querySelector(".demo-status");
  const result = output.querySelector(".demo-result");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    data.delete("csrf_token");
    for (const [name, value] of [...data.entries()]) {
      if ((value instanceof File && !value.name) || value === "") data.delete(name); // defaults
    }
    result.replaceChildren();
    show("Sending…", 0);
    const response = await fetch(`/api/v1/demos/${form.dataset.demo}`, {
      method: "POST", body: data, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin",
    });
    const job = await response.json();
    if (!response.ok) return show(job.detail ?? `failed (${response.status})`, null, true);
    follow(job.url);
  });

  function show(text, progress, isError = false) {
    status.textContent = text;
    status.classList.toggle("form-error", isError);
    bar.hidden = progress === null;
    if (progress !== null) bar.value = progress;
  }

  async function follow(url) {
    for (;;) {
      const job = await (await fetch(url, { credentials: "same-origin" })).json();
      if (job.status === "done") return render(job);
      if (job.status === "failed") return show(`The job failed: ${job.error}`, null, true);
      show(job.status === "queued" ? "Waiting for a worker…" : `Running… ${Math.round(job.progress * 100)}%`, job.progress);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  function render(job) {
    show("Done.", null);
    for (const [name, url] of Object.entries(job.files)) {
      let node;
      if (/\.(png|jpe?g|webp)$/.test(name)) node = Object.assign(document.createElement("img"), { src: url, alt: `Result: ${name}` });
      else if (/\.(wav|flac|ogg)$/.test(name)) node = Object.assign(document.createElement("audio"), { src: url, controls: true });
      else node = Object.assign(document.createElement("a"), { href: url, textContent: name, download: name });
      result.append(node);
    }
    if (job.result) {
      const pre = document.createElement("pre");
      pre.className = "demo-json";
      pre.textContent = JSON.stringify(job.result, null, 2);
      result.append(pre);
    }
  }
}
