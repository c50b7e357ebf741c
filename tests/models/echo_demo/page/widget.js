// The echo widget: submits through the shared job module and shows the result.
import { followJob, submitJob } from "/static/js/jobs.js";

for (const root of document.querySelectorAll("[data-echo]")) {
  const output = root.querySelector(".echo-output");
  const bar = root.querySelector(".echo-progress");
  root.querySelector(".echo-run").addEventListener("click", async () => {
    const data = new FormData();
    data.append("gain", root.querySelector('input[name="gain"]').value);
    bar.hidden = false;
    try {
      const job = await followJob((await submitJob("echo", data)).url, (_, progress) => { bar.value = progress; });
      output.textContent = `y = ${job.result.y.join(", ")}`;
    } catch (error) {
      output.textContent = error.message;
    } finally {
      bar.hidden = true;
    }
  });
}
