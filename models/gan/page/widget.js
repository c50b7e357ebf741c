// The GAN editing demo in the page (widget.html beside this file).
//
// The current image is a latent z0 on the generator's manifold (a sample, a projected picture or
// a picked candidate). Strokes are recorded in the generator's 64 px coordinates and sent with
// z0 after each stroke (and now and then while one is drawn); the server optimises several
// candidates at once and answers with their images and latents. Picking a candidate makes it
// the new z0 and clears the strokes, so the next edit starts from it. Undo steps back through
// those states; reset returns to the image the session started from.
import { followJob, showStatus, submitJob } from "/static/js/jobs.js";

const SIZE = 64; // the generator's side: strokes are sent in these pixels
const LIVE_EVERY_MS = 300; // while drawing, at most one edit request this often (and one at a time)

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`could not load ${url}`));
    image.src = url;
  });
}

function thumbnail(url, alt, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.setAttribute("aria-pressed", "false");
  const image = Object.assign(document.createElement("img"), { src: url, alt });
  button.append(image);
  button.addEventListener("click", onClick);
  return button;
}

class GanDemo {
  constructor(root) {
    this.root = root;
    this.compact = root.classList.contains("gan-compact");
    this.options = root.dataset;
    this.status = root.querySelector(".gan-status");
    this.bar = root.querySelector(".gan-progress");
    this.image = root.querySelector(".gan-image");
    this.overlay = root.querySelector(".gan-strokes");
    this.candidateBox = root.querySelector(".gan-candidates");
    this.sampleBox = root.querySelector(".gan-samples");
    this.state = { base: null, strokes: [], candidates: [], picked: -1 };
    this.history = [];
    this.drawing = null;
    this.ticket = 0;
    this.bindCanvas();
    root.querySelector(".gan-undo").addEventListener("click", () => this.undo());
    root.querySelector(".gan-reset").addEventListener("click", () => this.reset());
    root.querySelector(".gan-new").addEventListener("click", () => this.sample(Math.floor(Math.random() * 2 ** 31)));
    root.querySelector(".gan-file")?.addEventListener("change", (event) => this.project(event.target.files[0]));
    root.querySelector(".gan-walk-go")?.addEventListener("click", () => this.walk());
    root.querySelector(".gan-walk-slider")?.addEventListener("input", () => this.showFrame());
    root.hidden = false;
    this.sample(0);
  }

  say(text, options) {
    showStatus(this.status, this.bar, text, options);
  }

  async run(fields, files = {}) {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      data.append(name, typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value));
    }
    for (const [name, file] of Object.entries(files)) data.append(name, file);
    const job = await followJob((await submitJob("gan", data)).url);
    return { result: job.result, url: (name) => job.files[name] };
  }

  // --- drawing -------------------------------------------------------------------------------
  bindCanvas() {
    const canvas = this.overlay;
    canvas.addEventListener("pointerdown", (event) => {
      if (!this.state.base) return;
      canvas.setPointerCapture(event.pointerId);
      this.drawing = { ...this.brush(), points: [this.point(event)] };
      this.paintStrokes();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!this.drawing) return;
      const [x, y] = this.point(event);
      const [px, py] = this.drawing.points.at(-1);
      if (Math.hypot(x - px, y - py) < 0.5 || this.drawing.points.length >= 512) return;
      this.drawing.points.push([x, y]);
      this.paintStrokes();
      if (!this.busy && performance.now() - (this.lastSent ?? 0) > LIVE_EVERY_MS) {
        this.edit([...this.state.strokes, this.drawing], { live: true });
      }
    });
    for (const type of ["pointerup", "pointercancel"]) {
      canvas.addEventListener(type, () => {
        if (!this.drawing) return;
        const stroke = this.drawing;
        this.drawing = null;
        this.remember();
        this.state.strokes = [...this.state.strokes, stroke];
        this.paintStrokes();
        this.edit(this.state.strokes);
      });
    }
  }

  brush() {
    const kind = this.root.querySelector('.gan-tools input[type="radio"]:checked').value;
    const width = Number(this.root.querySelector(".gan-width")?.value ?? 5);
    return kind === "colour"
      ? { kind, color: this.root.querySelector(".gan-colour").value, width }
      : { kind, width: Math.max(1, Math.round(width / 2)) };
  }

  point(event) {
    const box = this.overlay.getBoundingClientRect();
    const clamp = (v) => Math.min(SIZE, Math.max(0, Math.round(v * 100) / 100));
    return [clamp(((event.clientX - box.left) / box.width) * SIZE), clamp(((event.clientY - box.top) / box.height) * SIZE)];
  }

  paintStrokes() {
    const context = this.overlay.getContext("2d");
    const scale = this.overlay.width / SIZE;
    context.clearRect(0, 0, this.overlay.width, this.overlay.height);
    for (const stroke of [...this.state.strokes, ...(this.drawing ? [this.drawing] : [])]) {
      Object.assign(context, {
        strokeStyle: stroke.kind === "colour" ? stroke.color : "#111", fillStyle: stroke.kind === "colour" ? stroke.color : "#111",
        lineWidth: stroke.width * scale, lineCap: "round", lineJoin: "round", globalAlpha: stroke.kind === "colour" ? 0.55 : 0.8,
      });
      context.setLineDash(stroke.kind === "sketch" ? [6, 4] : []);
      context.beginPath();
      stroke.points.forEach(([x, y], i) => (i ? context.lineTo(x * scale, y * scale) : context.moveTo(x * scale, y * scale)));
      if (stroke.points.length === 1) context.lineTo(stroke.points[0][0] * scale + 0.1, stroke.points[0][1] * scale);
      context.stroke();
    }
  }

  async show(url) {
    const picture = await loadImage(url);
    const context = this.image.getContext("2d");
    context.imageSmoothingEnabled = true;
    context.drawImage(picture, 0, 0, this.image.width, this.image.height);
    this.image.dataset.src = url;
  }

  // --- state: undo, reset, pick ------------------------------------------------------------------
  remember() {
    this.history.push(structuredClone(this.state));
    this.root.querySelector(".gan-undo").disabled = false;
    this.root.querySelector(".gan-reset").disabled = false;
  }

  restore(state) {
    this.ticket++; // an edit still on its way belongs to the state we are leaving
    this.state = state;
    this.paintStrokes();
    this.drawCandidates();
    const shown = state.candidates[state.picked] ?? state.base;
    if (shown) this.show(shown.url);
    this.root.querySelector(".gan-undo").disabled = this.history.length === 0;
    this.say(state.strokes.length ? "Back one step." : "Draw on the image: colour or sketch.");
  }

  undo() {
    if (this.history.length) this.restore(this.history.pop());
  }

  reset() {
    if (!this.origin) return;
    this.remember();
    this.restore({ base: this.origin, strokes: [], candidates: [], picked: -1 });
  }

  pick(index) {
    const chosen = this.state.candidates[index];
    if (!chosen) return;
    this.remember();
    // The chosen candidate becomes the new start; its strokes are done with.
    this.restore({ base: { latent: chosen.latent, url: chosen.url }, strokes: [], candidates: [], picked: -1 });
    this.say("Kept. Draw more strokes to edit it further.");
  }

  start(base, message) {
    this.origin = base;
    this.history = [];
    this.restore({ base, strokes: [], candidates: [], picked: -1 });
    this.root.querySelector(".gan-reset").disabled = true;
    this.say(message);
  }

  // --- operations ------------------------------------------------------------------------------
  async sample(seed) {
    this.say("Sampling…", { progress: 0.2 });
    try {
      const { result, url } = await this.run({ operation: "sample", seed, count: this.compact ? 4 : 8 });
      this.samples = result.images.map((item) => ({ latent: item.latent, url: url(item.image) }));
      this.sampleBox.replaceChildren(...this.samples.map((item, i) =>
        thumbnail(item.url, `Sample ${i + 1}`, () => this.start(item, `Sample ${i + 1}: draw on it.`))));
      const walkTo = this.root.querySelector(".gan-walk-to");
      walkTo?.replaceChildren(...this.samples.map((_, i) => new Option(String(i + 1), String(i))));
      if (walkTo) walkTo.value = "1";
      this.start(this.samples[0], "Draw on the image: a colour stroke, or a sketch line where an edge should be.");
    } catch (error) {
      this.say(error.message, { error: true });
    }
  }

  async project(file) {
    if (!file) return;
    this.say("Projecting your picture onto the manifold…", { progress: 0.2 });
    try {
      const { result, url } = await this.run({ operation: "project", iterations: 100 }, { image: file });
      const panel = this.root.querySelector(".gan-projection");
      panel.querySelector(".gan-target").src = url(result.target);
      panel.querySelector(".gan-encoded").src = url(result.encoder.image);
      panel.querySelector(".gan-projected").src = url(result.projection.image);
      panel.hidden = false;
      this.start({ latent: result.projection.latent, url: url(result.projection.image) },
        `Projected (error ${result.encoder.error.toFixed(3)} from the encoder, ${result.projection.error.toFixed(3)} after optimising). Draw on it.`);
    } catch (error) {
      this.say(error.message, { error: true });
    }
  }

  async edit(strokes, { live = false } = {}) {
    const ticket = ++this.ticket;
    this.busy = true;
    this.lastSent = performance.now();
    if (!live) this.say("Optimising candidates…", { progress: 0.3 });
    try {
      const { result, url } = await this.run({
        operation: "edit", latent: this.state.base.latent, strokes, candidates: Number(this.options.candidates),
        // while drawing, a quick preview; after the stroke, the full optimisation
        iterations: live ? Math.ceil(Number(this.options.iterations) / 3) : Number(this.options.iterations),
        prior: Number(this.options.prior),
      });
      if (ticket !== this.ticket) return; // a newer stroke (or an undo) made this answer stale
      const candidates = result.candidates.map((item) => ({ ...item, url: url(item.image) }));
      if (live) {
        this.drawCandidates(candidates, -1);
        return;
      }
      this.state.candidates = candidates;
      this.state.picked = 0;
      this.drawCandidates();
      await this.show(candidates[0].url);
      this.say(`${candidates.length} candidates; the closest fit is shown. Pick one to keep it, or draw more.`);
    } catch (error) {
      if (ticket === this.ticket) this.say(error.message, { error: true });
    } finally {
      this.busy = false;
    }
  }

  drawCandidates(candidates = this.state.candidates, picked = this.state.picked) {
    this.candidateBox.replaceChildren(...candidates.map((item, i) => {
      const button = thumbnail(item.url, `Candidate ${i + 1}`, () => this.pick(i));
      button.setAttribute("aria-pressed", String(i === picked));
      button.title = `realism ${item.realism.toFixed(2)}, colour error ${item.colour_loss.toFixed(3)}, ` +
        `sketch error ${item.sketch_loss.toFixed(3)}`;
      button.addEventListener("mouseenter", () => this.show(item.url));
      button.addEventListener("mouseleave", () => {
        const shown = this.state.candidates[this.state.picked] ?? this.state.base;
        if (shown) this.show(shown.url);
      });
      return button;
    }));
  }

  async walk() {
    const target = this.samples?.[Number(this.root.querySelector(".gan-walk-to").value)];
    if (!target || !this.state.base) return;
    const current = this.state.candidates[this.state.picked] ?? this.state.base;
    this.say("Walking through latent space…", { progress: 0.3 });
    try {
      const { result, url } = await this.run({
        operation: "interpolate", latent: current.latent, latent_b: target.latent, steps: Number(this.options.steps),
      });
      this.frames = result.frames.map((frame) => url(frame.image));
      const view = this.root.querySelector(".gan-walk-view");
      view.querySelector(".gan-strip").src = url(result.strip);
      const slider = view.querySelector(".gan-walk-slider");
      slider.max = String(this.frames.length - 1);
      slider.value = "0";
      view.hidden = false;
      this.showFrame();
      this.say("Move the slider to walk from the current image to the sample.");
    } catch (error) {
      this.say(error.message, { error: true });
    }
  }

  showFrame() {
    const slider = this.root.querySelector(".gan-walk-slider");
    this.root.querySelector(".gan-frame").src = this.frames[Number(slider.value)];
  }
}

for (const root of document.querySelectorAll("[data-gan]")) new GanDemo(root);
