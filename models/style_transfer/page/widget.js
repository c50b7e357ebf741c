// The style-transfer demo in the page (widget.html beside this file).
//
// Repaint: a shipped style runs its trained generator (fast, re-run at once when the strength
// moves) or, with "optimise" or an uploaded style image, Gatys et al.'s optimisation, whose
// previews (preview-<k>.png, listed by the running job) replace the result as they arrive.
// Texture: the chosen style or an uploaded sample grows a texture from noise, with previews.
import { followJob, showStatus, submitJob } from "/static/js/jobs.js";

const RERUN_DELAY = 250; // ms after the last slider move before the server runs again

class StyleTransferDemo {
  constructor(root) {
    this.root = root;
    this.tab = "repaint";
    this.style = root.querySelector('.st-style[aria-pressed="true"]')?.dataset.style;
    this.status = root.querySelector(".st-status");
    this.bar = root.querySelector(".st-progress");
    this.strength = root.querySelector('input[name="style_weight"]');
    this.steps = root.querySelector('input[name="steps"]');
    root.querySelector('input[name="content"]').addEventListener("change", (event) => {
      const file = event.target.files[0];
      if (file) this.setPhoto(file, file.name, null);
    });
    for (const button of root.querySelectorAll(".st-thumb[data-photo]")) {
      button.addEventListener("click", async () => {
        const blob = await (await fetch(button.dataset.photo)).blob();
        this.setPhoto(blob, button.dataset.photo.split("/").pop(), button);
      });
    }
    for (const button of root.querySelectorAll(".st-style")) {
      button.addEventListener("click", () => this.chooseStyle(button));
    }
    root.querySelector('input[name="style_image"]')?.addEventListener("change", (event) => {
      const file = event.target.files[0];
      if (!file) return;
      this.ownStyle = file;
      this.press(".st-style", null);
      this.run();
    });
    this.strength.addEventListener("input", () => {
      root.querySelector(".st-strength-value").textContent = this.strength.value;
      clearTimeout(this.timer);
      if (this.method === "fast") this.timer = setTimeout(() => this.run(), RERUN_DELAY);
    });
    this.steps?.addEventListener("input", () => { root.querySelector(".st-steps-value").textContent = this.steps.value; });
    for (const radio of root.querySelectorAll('input[name="method"]')) radio.addEventListener("change", () => this.layout());
    root.querySelector(".st-run")?.addEventListener("click", () => this.run());
    this.seed = root.querySelector('input[name="seed"]');
    root.querySelector(".st-reseed")?.addEventListener("click", () => {
      this.seed.value = String(Math.floor(Math.random() * 1e6));
      this.run();
    });
    this.setUpTabs();
    root.hidden = false;
    this.layout();
  }

  setUpTabs() {
    const tabs = [...this.root.querySelectorAll('[role="tab"]')];
    for (const tab of tabs) {
      tab.addEventListener("click", () => this.showTab(tab.dataset.tab));
      tab.addEventListener("keydown", (event) => { // arrow keys move between tabs (WAI-ARIA tabs)
        if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
        const next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
        next.focus();
        this.showTab(next.dataset.tab);
      });
    }
  }

  showTab(name) {
    this.tab = name;
    for (const tab of this.root.querySelectorAll('[role="tab"]')) {
      const selected = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    this.layout();
    this.say(name === "texture" ? "Pick a style as the sample or upload your own, then Run." : "Pick or upload a photo, then a style.");
  }

  get method() {
    if (this.tab === "texture") return "texture";
    if (this.ownStyle) return "optimise";
    return this.root.querySelector('input[name="method"]:checked')?.value ?? "fast";
  }

  layout() {
    for (const node of this.root.querySelectorAll("[data-for]")) node.hidden = node.dataset.for !== this.tab;
    const stepsRow = this.root.querySelector(".st-steps");
    if (stepsRow) stepsRow.hidden = this.method === "fast";
  }

  say(text, options) {
    showStatus(this.status, this.bar, text, options);
  }

  press(selector, chosen) {
    for (const button of this.root.querySelectorAll(selector)) button.setAttribute("aria-pressed", String(button === chosen));
  }

  setPhoto(blob, name, button) {
    this.photo = { blob, name };
    this.press(".st-thumb[data-photo]", button);
    this.show("content", URL.createObjectURL(blob));
    if (this.method === "fast") this.run();
    else this.say("Press Run to optimise.");
  }

  chooseStyle(button) {
    this.style = button.dataset.style;
    this.ownStyle = null;
    this.press(".st-style", button);
    const input = this.root.querySelector('input[name="style_image"]');
    if (input) input.value = "";
    this.layout();
    if ((this.tab === "repaint" && this.photo && this.method === "fast") || this.tab === "texture") this.run();
  }

  show(panel, url) {
    this.root.querySelector(".st-panels").hidden = false;
    const figure = this.root.querySelector(`[data-panel="${panel}"]`);
    figure.hidden = !url;
    if (url) figure.querySelector("img").src = url;
  }

  form() {
    const data = new FormData();
    data.append("method", this.method);
    data.append("style_weight", this.strength.value);
    if (this.steps && this.method !== "fast") data.append("steps", this.steps.value);
    if (this.seed && this.method === "texture") data.append("seed", this.seed.value);
    if (this.ownStyle) data.append("style_image", this.ownStyle, this.ownStyle.name);
    else data.append("style", this.style);
    if (this.tab === "repaint") data.append("content", this.photo.blob, this.photo.name);
    return data;
  }

  async run() {
    if (this.tab === "repaint" && !this.photo) return this.say("Pick or upload a photo first.", { error: true });
    const ticket = (this.ticket = (this.ticket ?? 0) + 1); // a newer request makes this one stale
    const method = this.method;
    this.show("style", this.ownStyle ? URL.createObjectURL(this.ownStyle) : `/demo-assets/style-transfer/styles/${this.style}.jpg`);
    if (this.tab === "texture") this.show("content", null);
    this.say(method === "fast" ? "Repainting…" : "Starting the optimisation…", { progress: 0 });
    try {
      const job = await followJob((await submitJob("style-transfer", this.form())).url, (status, progress, running) => {
        if (ticket !== this.ticket) return;
        const previews = Object.keys(running.files).filter((name) => name.startsWith("preview-"));
        if (previews.length) this.show("result", running.files[previews.at(-1)]);
        const what = status === "queued" ? "Waiting for a worker…" : method === "fast" ? "Repainting…"
          : `Optimising… ${Math.round(progress * 100)}%${previews.length ? ` (preview ${previews.length})` : ""}`;
        this.say(what, { progress });
      });
      if (ticket === this.ticket) this.finish(job);
    } catch (error) {
      if (ticket === this.ticket) this.say(error.message, { error: true });
    }
  }

  finish(job) {
    const result = job.result;
    const file = result.method === "texture" ? "texture.png" : "stylised.png";
    this.show("result", job.files[file]);
    const link = this.root.querySelector(".st-download");
    link.href = job.files[file];
    link.download = file;
    const seconds = Object.values(result.seconds ?? {}).reduce((a, b) => a + b, 0);
    const grams = result.gram_loss ?? {};
    const loss = grams.stylised !== undefined ? ` Style (Gram) loss ${grams.content} → ${grams.stylised}.`
      : grams.texture !== undefined ? ` Style (Gram) loss against the sample ${grams.texture}.`
      : result.final_losses ? ` Style (Gram) loss against the sample ${result.final_losses.style}.` : "";
    const how = result.method !== "texture" ? result.method : result.generator ? "texture network" : "texture by optimisation";
    this.root.querySelector(".st-caption").textContent = result.method === "texture" ? `Texture, seed ${result.seed}` : `Result, ${result.method}`;
    this.say(`Done in ${seconds.toFixed(2)} s (${how}).${loss}`);
  }
}

for (const root of document.querySelectorAll("[data-style-transfer]")) new StyleTransferDemo(root);
