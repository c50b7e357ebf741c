// Demo jobs from a page: every demo widget submits and follows its jobs through this module.
//
// submitJob(demo, formData) sends the inputs to POST /api/v1/demos/<demo> and resolves with the
// job (202); followJob(url, onProgress) polls the job until it is done (resolves with it) or
// failed (rejects with its error), calling onProgress(status, fraction, job) on the way (the
// job's `files` then hold what it has written so far, such as previews).

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

/** Queue a run of `demo`; rejects with the server's own message for a refused input. */
export async function submitJob(demo, formData) {
  const response = await fetch(`/api/v1/demos/${demo}`, {
    method: "POST", body: formData, headers: { "X-CSRF-Token": csrfToken() }, credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.detail ?? `the server answered ${response.status}`);
  return answer;
}

/** Poll a job's status URL: quickly at first (most demos answer in well under a second), then
 * less often. */
export async function followJob(url, onProgress = () => {}) {
  for (let pause = 40; ; pause = Math.min(pause * 1.5, 400)) {
    const job = await (await fetch(url, { credentials: "same-origin" })).json();
    if (job.status === "done") return job;
    if (job.status === "failed") throw new Error(job.error);
    onProgress(job.status, job.progress, job);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** A widget's status line and progress bar: `progress` null hides the bar; `error` marks the
 * line as an error for readers and screen readers alike. */
export function showStatus(line, bar, text, { progress = null, error = false } = {}) {
  line.textContent = text;
  line.classList.toggle("form-error", error);
  bar.hidden = progress === null;
  if (progress !== null) bar.value = progress;
}
