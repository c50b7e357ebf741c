// The generic demo form (templates/demo.html) in the page: sends the form through the shared job
// module, shows progress, then the result. Without scripts the form posts to /demos/<name> and
// lands on the job's own page.
import { followJob, showStatus, submitJob } from "/static/js/jobs.js";

const form = document.querySelector("form.demo-form");
if (form) {
  const output = document.querySelector(".demo-output");
  const bar = output.querySelector(".demo-progress");
  const status = output.querySelector(".demo-status");
  const result = output.querySelector(".demo-result");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    data.delete("csrf_token");
    for (const [name, value] of [...data.entries()]) {
      if ((value instanceof File && !value.name) || value === "") data.delete(name); // defaults
    }
    result.replaceChildren();
    show("Sending…", 0);
    let job;
    try {
      job = await submitJob(form.dataset.demo, data);
    } catch (refused) {
      return show(refused.message, null, true); // the server's reason: a bad value, a full queue
    }
    try {
      render(await followJob(job.url, (state, progress) =>
        show(state === "queued" ? "Waiting for a worker…" : `Running… ${Math.round(progress * 100)}%`, progress)));
    } catch (failure) {
      show(`The job failed: ${failure.message}`, null, true);
    }
  });

  function show(text, progress, isError = false) {
    showStatus(status, bar, text, { progress, error: isError });
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
