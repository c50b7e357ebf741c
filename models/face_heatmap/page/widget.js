import { followJob, showStatus, submitJob } from "/static/js/jobs.js";

// The face heat-map demo in the page (widget.html beside this file).
//
// The server runs the cascade and writes P-Net's face probability as 8-bit grey PNGs: one per
// pyramid scale (scale-<i>.png, at that scale's own map size) and their maximum at the photo's
// own size (heatmap.png); boxes and landmarks come back in the upload's pixels
// (models/face_heatmap/predict.py). Colouring the maps, the shading above the threshold, the
// boxes and landmarks are drawn here, so moving the threshold or the opacity redraws at once;
// the detector itself re-runs on the same photo (kept here as a blob) once a control settles.

const PREVIEW_SIDE = 1024; // the on-screen canvas; compact copies use less
const COMPACT_SIDE = 640;
const STRIP_WIDTH = 300; // canvas pixels of each per-scale thumbnail (shown at half that)
const RERUN_DELAY_MS = 250;
const BELOW_THRESHOLD = 0.45; // share of the opacity the heat map keeps where p < threshold
const LABELLED_BOXES = 30; // more boxes than this: scores only in the table, not on the photo
const BOX_COLOUR = "#22d3ee";
const BOX_FAINT = "rgba(34, 211, 238, 0.75)"; // many boxes (stage 1): thinner and see-through
const HIGHLIGHT_COLOUR = "#ffffff";
const LANDMARK_COLOUR = "#a3e635";

// Matplotlib's inferno at 17 evenly spaced stops (as OpenCV's COLORMAP_INFERNO), interpolated.
const INFERNO_STOPS = ["000004", "0b0724", "210c4a", "3d0965", "57106e", "71196e", "8a226a", "a32c61", "bc3754",
  "d04545", "e35933", "f1711f", "f98c0a", "fcaa0f", "f9c932", "f2e865", "fcffa4"]
  .map((hex) => [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)));

/** The 256-entry colour table: LUT[3 * g + c] is channel c of grey value g. */
export const LUT = (() => {
  const table = new Uint8ClampedArray(256 * 3);
  const last = INFERNO_STOPS.length - 1;
  for (let g = 0; g < 256; g++) {
    const position = (g / 255) * last;
    const low = Math.min(last - 1, Math.floor(position));
    const t = position - low;
    for (let c = 0; c < 3; c++) {
      table[3 * g + c] = Math.round(INFERNO_STOPS[low][c] * (1 - t) + INFERNO_STOPS[low + 1][c] * t);
    }
  }
  return table;
})();

/** Grey codes (one byte per pixel) -> RGBA: the colour table, `opacity` where the probability
 * reaches `threshold`, a fraction of it below, and a white line along the threshold's edge. */
export function colourize(grey, width, height, { opacity = 1, threshold = null, edge = true } = {}) {
  const out = new ImageData(width, height);
  const pixels = out.data;
  const cut = threshold === null ? -1 : Math.round(threshold * 255);
  const high = Math.round(255 * opacity);
  const low = Math.round(255 * opacity * (threshold === null ? 1 : BELOW_THRESHOLD));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const g = grey[i];
      const p = 4 * i;
      const above = g >= cut;
      if (edge && cut >= 0 && above && (
        (x > 0 && grey[i - 1] < cut) || (x < width - 1 && grey[i + 1] < cut) ||
        (y > 0 && grey[i - width] < cut) || (y < height - 1 && grey[i + width] < cut))) {
        pixels[p] = pixels[p + 1] = pixels[p + 2] = 255;
        pixels[p + 3] = 255;
        continue;
      }
      pixels[p] = LUT[3 * g];
      pixels[p + 1] = LUT[3 * g + 1];
      pixels[p + 2] = LUT[3 * g + 2];
      pixels[p + 3] = above ? high : low;
    }
  }
  return out;
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`could not load ${url}`));
    img.src = url;
  });
}

/** The grey codes of an 8-bit PNG drawn at width x height (smoothed when resized). */
function greyOf(img, width, height) {
  const canvas = Object.assign(document.createElement("canvas"), { width, height });
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(img, 0, 0, width, height);
  const rgba = context.getImageData(0, 0, width, height).data;
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[4 * i];
  return grey;
}

function canvasOf(image) {
  const canvas = Object.assign(document.createElement("canvas"), { width: image.width, height: image.height });
  canvas.getContext("2d").putImageData(image, 0, 0);
  return canvas;
}

function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

class FaceHeatmap {
  constructor(root) {
    this.root = root;
    this.compact = root.classList.contains("fh-compact");
    this.form = root.querySelector(".fh-form");
    this.fileInput = root.querySelector('input[type="file"]');
    this.status = root.querySelector(".fh-status");
    this.bar = root.querySelector(".fh-progress");
    this.figure = root.querySelector(".fh-figure");
    this.boxesSection = root.querySelector(".fh-boxes");
    this.canvas = root.querySelector(".fh-canvas");
    this.opacitySlider = root.querySelector(".fh-opacity");
    this.table = root.querySelector(".fh-table tbody");
    this.scales = root.querySelector(".fh-scales");
    this.ticket = 0; // every run takes the next number; only the newest one's answer is shown
    this.shown = 0; // results drawn so far (tests and screen readers read it from data-runs)
    this.highlight = null;
    this.fileInput.required = false; // the script sends the photo itself
    root.querySelector(".fh-opacity-control")?.removeAttribute("hidden");
    root.hidden = false;
    this.drawLegend();
    // lines and labels are sized in CSS px: redraw when the canvas is shown at another size
    new ResizeObserver(() => this.result && this.scheduleDraw()).observe(this.canvas);

    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.fileInput.addEventListener("change", () => {
      const file = this.fileInput.files[0];
      if (file) this.usePhoto(file, file.name);
    });
    for (const button of root.querySelectorAll("[data-sample]")) {
      button.addEventListener("click", () => this.useSample(button));
    }
    for (const name of ["threshold", "min_face"]) {
      const slider = this.form.querySelector(`input[type="range"][name="${name}"]`);
      slider?.addEventListener("input", () => {
        this.showValue(name, slider.value);
        if (name === "threshold") this.scheduleDraw();
        this.scheduleRun();
      });
    }
    for (const radio of this.form.querySelectorAll('input[name="stages"][type="radio"]')) {
      radio.addEventListener("change", () => this.scheduleRun());
    }
    this.opacitySlider?.addEventListener("input", () => {
      this.showValue("opacity", this.opacitySlider.value);
      this.scheduleDraw();
    });
  }

  // --- inputs -------------------------------------------------------------------------------
  value(name) {
    return this.form.elements[name].value; // a range, a hidden input or the checked radio
  }

  get threshold() {
    return Number(this.value("threshold"));
  }

  get opacity() {
    return this.opacitySlider ? Number(this.opacitySlider.value) : 0.65;
  }

  showValue(name, value) {
    const output = this.root.querySelector(`.fh-value[data-for="${name}"]`);
    if (output) output.textContent = name === "min_face" ? String(value) : Number(value).toFixed(2);
    if (name === "threshold") this.placeThresholdMark();
  }

  say(text, options) {
    showStatus(this.status, this.bar, text, options);
  }

  // --- the photo ----------------------------------------------------------------------------
  async useSample(button) {
    const url = button.dataset.sample;
    try {
      const blob = await (await fetch(url)).blob();
      this.usePhoto(blob, url.split("/").pop());
    } catch (error) {
      this.say(`Could not load the sample: ${error.message}`, { error: true });
    }
  }

  /** A new photo: show it at once (the browser applies EXIF rotation, as the server does),
   * forget the previous result, and run the detector on it. */
  async usePhoto(blob, filename) {
    this.photo = { blob, filename };
    this.result = null;
    this.heat = null;
    this.highlight = null;
    for (const part of [this.boxesSection, this.scales]) if (part) part.hidden = true; // the last photo's
    if (this.photoUrl) URL.revokeObjectURL(this.photoUrl);
    this.photoUrl = URL.createObjectURL(blob);
    // a format the browser cannot show (TIFF) leaves null: the heat map is then drawn alone
    const ready = (this.photoReady = loadImage(this.photoUrl).catch(() => null));
    const run = this.run();
    const img = await ready;
    if (this.photoReady !== ready) return; // another photo came meanwhile
    this.photoImage = img;
    if (!this.result) { // the photo alone until its faces come; nothing for a file the browser cannot show
      if (img) {
        this.sizeCanvas(img.naturalWidth, img.naturalHeight);
        this.draw();
      }
      this.figure.hidden = !img;
    }
    await run;
  }

  /** The canvas at PREVIEW_SIDE on its longer side (small photos too: crisper boxes and
   * labels), shown as wide as the column allows but no taller than most of the window. */
  sizeCanvas(width, height) {
    const scale = (this.compact ? COMPACT_SIDE : PREVIEW_SIDE) / Math.max(width, height);
    this.canvas.width = Math.max(1, Math.round(width * scale));
    this.canvas.height = Math.max(1, Math.round(height * scale));
    this.canvas.style.maxWidth = this.compact ? "" : `min(100%, ${((78 * width) / height).toFixed(2)}vh)`;
  }

  // --- running the detector -----------------------------------------------------------------
  scheduleRun() {
    if (!this.photo) return;
    clearTimeout(this.rerun);
    this.rerun = setTimeout(() => this.run(), RERUN_DELAY_MS);
  }

  async run() {
    clearTimeout(this.rerun);
    const ticket = ++this.ticket; // a newer photo or setting makes this run stale
    const settings = { threshold: this.value("threshold"), min_face: this.value("min_face"), stages: this.value("stages") };
    this.say(this.result ? "Running again with the new settings…" : "Sending the photo…", { progress: 0 });
    const data = new FormData();
    data.append("image", this.photo.blob, this.photo.filename);
    for (const [name, value] of Object.entries(settings)) data.append(name, value);
    try {
      const answer = await submitJob(this.root.dataset.demo, data);
      const job = await followJob(answer.url, (status, progress) => {
        if (ticket === this.ticket) this.say(status === "queued" ? "Waiting for a worker…" : "Finding faces…", { progress });
      });
      if (ticket !== this.ticket) return;
      this.say("Fetching the heat maps…", { progress: 0.95 });
      const scales = this.compact ? [] : job.result.scales;
      const [heat, ...maps] = await Promise.all([
        loadImage(job.files["heatmap.png"]), ...scales.map((level) => loadImage(job.files[level.file])),
      ]);
      const photo = await this.photoReady;
      if (ticket !== this.ticket) return;
      this.photoImage = photo;
      this.show(job, heat, maps);
    } catch (error) {
      if (ticket === this.ticket) this.say(`Could not find faces: ${error.message}`, { error: true });
    }
  }

  show(job, heat, maps) {
    const result = job.result;
    this.job = job;
    this.result = result;
    this.highlight = null;
    this.sizeCanvas(result.width, result.height);
    this.heat = { grey: greyOf(heat, this.canvas.width, this.canvas.height), width: this.canvas.width, height: this.canvas.height };
    this.figure.hidden = false;
    this.draw();
    if (this.table) this.fillTable(result);
    if (this.scales) this.drawStrip(result, maps);
    this.shown += 1;
    Object.assign(this.root.dataset, {
      runs: String(this.shown), boxes: String(result.boxes.length), stages: String(result.stages),
      threshold: result.threshold.toFixed(2), minFace: String(result.min_face),
    });
    const found = result.stages === 1 ? plural(result.boxes.length, "window") : plural(result.boxes.length, "face");
    const tooBig = result.scales.length === 0 ? " No scale fits: the smallest face asked for is larger than the photo." : "";
    this.say(`Found ${found} at threshold ${result.threshold.toFixed(2)}, ${plural(result.stages, "stage")}, ` +
      `faces from ${result.min_face} px; ${result.width} x ${result.height} px photo.${tooBig}`);
  }

  // --- drawing ------------------------------------------------------------------------------
  scheduleDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.draw();
    });
  }

  /** Photo, heat map (coloured, shaded by the current threshold), boxes, landmarks. */
  draw() {
    const { canvas } = this;
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, canvas.height);
    if (this.photoImage) {
      context.drawImage(this.photoImage, 0, 0, canvas.width, canvas.height);
    } else {
      context.fillStyle = "#000";
      context.fillRect(0, 0, canvas.width, canvas.height);
    }
    if (this.heat) {
      const { grey, width, height } = this.heat;
      const overlay = colourize(grey, width, height, { opacity: this.opacity, threshold: this.threshold });
      context.drawImage(canvasOf(overlay), 0, 0, canvas.width, canvas.height);
      canvas.dataset.heatmap = "drawn";
      canvas.dataset.threshold = this.threshold.toFixed(2); // the shading on screen
    }
    if (this.result) this.drawBoxes(context);
  }

  drawBoxes(context) {
    const { boxes, width } = this.result;
    const scale = this.canvas.width / width; // canvas px per photo px
    // canvas px per CSS px: lines and labels keep their on-screen size however the canvas is shown
    const css = this.canvas.width / (this.canvas.getBoundingClientRect().width || this.canvas.width);
    const labelled = boxes.length <= LABELLED_BOXES;
    const line = (labelled ? 2 : 1) * css;
    const fontSize = Math.round(12 * css);
    context.font = `600 ${fontSize}px system-ui, sans-serif`;
    context.textBaseline = "bottom";
    const order = boxes.map((_, i) => i).reverse(); // best last, so on top
    if (this.highlight !== null) order.push(this.highlight);
    for (const index of order) {
      const { box, score, landmarks } = boxes[index];
      const [x1, y1, x2, y2] = box.map((v) => v * scale);
      const chosen = index === this.highlight;
      context.lineWidth = chosen ? line * 2 : line;
      context.strokeStyle = "rgba(0, 0, 0, 0.6)";
      context.strokeRect(x1 - line / 2, y1 - line / 2, x2 - x1 + line, y2 - y1 + line);
      context.strokeStyle = chosen ? HIGHLIGHT_COLOUR : labelled ? BOX_COLOUR : BOX_FAINT;
      context.strokeRect(x1, y1, x2 - x1, y2 - y1);
      if (labelled || chosen) {
        const text = score.toFixed(score >= 0.995 ? 3 : 2);
        const tw = context.measureText(text).width + 6 * css;
        const th = fontSize + 4 * css;
        const ty = y1 >= th ? y1 - th : y1; // above the box, or inside it at the top edge
        const tx = Math.max(0, Math.min(x1 - line / 2, this.canvas.width - tw));
        context.fillStyle = chosen ? HIGHLIGHT_COLOUR : BOX_COLOUR;
        context.fillRect(tx, ty, tw, th);
        context.fillStyle = "#000";
        context.fillText(text, tx + 3 * css, ty + th - 2 * css);
      }
      const dot = Math.max(1.5 * css, Math.min(3.5 * css, (x2 - x1) / 16)); // small faces, small dots
      for (const [lx, ly] of landmarks ?? []) {
        context.beginPath();
        context.arc(lx * scale, ly * scale, dot, 0, 2 * Math.PI);
        context.fillStyle = LANDMARK_COLOUR;
        context.fill();
        context.lineWidth = Math.min(css, dot / 2);
        context.strokeStyle = "#000";
        context.stroke();
      }
    }
  }

  drawLegend() {
    const bar = this.root.querySelector(".fh-legend-bar");
    const grey = new Uint8Array(256).map((_, g) => g);
    bar.getContext("2d").putImageData(colourize(grey, 256, 1), 0, 0);
    this.placeThresholdMark();
  }

  placeThresholdMark() {
    const mark = this.root.querySelector(".fh-legend-threshold");
    mark.style.left = `${(this.threshold * 100).toFixed(1)}%`;
    mark.title = `threshold ${this.threshold.toFixed(2)}`;
  }

  // --- the table and the strip --------------------------------------------------------------
  fillTable(result) {
    const counts = result.counts ?? {};
    const names = { pnet: "P-Net", rnet: "R-Net", onet: "O-Net" };
    this.root.querySelector(".fh-counts").textContent = "Candidates kept: " +
      Object.entries(counts).map(([stage, count]) => `${names[stage] ?? stage} ${count}`).join(" → ");
    this.root.querySelector(".fh-count").textContent = `(${result.boxes.length})`;
    const rows = result.boxes.map(({ box, score }, index) => {
      const row = document.createElement("tr");
      row.tabIndex = 0;
      row.dataset.index = String(index);
      const [x1, y1, x2, y2] = box;
      for (const value of [index + 1, score.toFixed(3), x1.toFixed(0), y1.toFixed(0), (x2 - x1).toFixed(0), (y2 - y1).toFixed(0)]) {
        const cell = document.createElement("td");
        cell.textContent = value;
        row.append(cell);
      }
      const pick = () => this.pick(index);
      row.addEventListener("mouseenter", pick);
      row.addEventListener("focus", pick);
      row.addEventListener("click", pick); // a tap on a touch screen
      row.addEventListener("mouseleave", () => this.pick(null));
      row.addEventListener("blur", () => this.pick(null));
      return row;
    });
    this.table.replaceChildren(...rows);
    this.boxesSection.hidden = false;
  }

  pick(index) {
    if (this.highlight === index) return;
    this.highlight = index;
    for (const row of this.table.rows) row.classList.toggle("fh-picked", row.dataset.index === String(index));
    this.scheduleDraw();
  }

  /** Each scale's map, coloured as the overlay, placed where its windows fall on the photo
   * (cell (j, i) is centred at origin + (j, i) * step photo px), over a dimmed copy of it. */
  drawStrip(result, maps) {
    const strip = this.scales.querySelector(".fh-strip");
    const height = Math.max(1, Math.round((STRIP_WIDTH * result.height) / result.width));
    const scale = STRIP_WIDTH / result.width;
    strip.replaceChildren(...result.scales.map((level, index) => {
      const figure = document.createElement("figure");
      figure.className = "fh-scale";
      const canvas = Object.assign(document.createElement("canvas"), { width: STRIP_WIDTH, height });
      canvas.setAttribute("aria-label", `Heat map at scale ${level.scale.toFixed(3)}, for faces of about ${Math.round(level.face_size)} px`);
      const context = canvas.getContext("2d");
      context.fillStyle = "#000";
      context.fillRect(0, 0, canvas.width, canvas.height);
      if (this.photoImage) {
        context.globalAlpha = 0.35;
        context.drawImage(this.photoImage, 0, 0, canvas.width, canvas.height);
        context.globalAlpha = 1;
      }
      const grey = greyOf(maps[index], level.width, level.height);
      const coloured = canvasOf(colourize(grey, level.width, level.height, { opacity: 0.85 }));
      const [sx, sy] = level.step;
      const [ox, oy] = level.origin;
      context.imageSmoothingEnabled = false; // one block per window
      context.drawImage(coloured, (ox - sx / 2) * scale, (oy - sy / 2) * scale, level.width * sx * scale, level.height * sy * scale);
      const caption = document.createElement("figcaption");
      caption.innerHTML = `<strong>${Math.round(level.face_size)} px</strong> faces<br>` +
        `<span class="muted">scale ${level.scale.toFixed(3)}, ${level.width} x ${level.height} windows</span>`;
      figure.append(canvas, caption);
      return figure;
    }));
    if (!result.scales.length) {
      strip.replaceChildren(Object.assign(document.createElement("p"), {
        className: "hint", textContent: `No scale: a ${result.min_face} px window does not fit in the photo.`,
      }));
    }
    this.scales.hidden = false;
  }
}

for (const root of document.querySelectorAll("[data-face-heatmap]")) new FaceHeatmap(root);
