import { followJob, showStatus, submitJob } from "/static/js/jobs.js";

// The colorization demo in the page (widget.html beside this file).
//
// The server runs the network once per photo and returns, beside the PNG, the predicted
// distribution over ab bins on the network's output grid (distribution.bin, one byte per
// log-probability). Everything the temperature slider and the click-to-chart do happens
// here, on that cached distribution: the annealed mean (Zhang et al. 2016, eq. 5), the
// bilinear upsampling onto the photo's lightness, and Lab -> sRGB, all as the server does
// them (models/colorization/predict.py, lab.py), so moving the slider never reruns the model.

const PREVIEW_SIDE = 1024; // the on-screen canvas; downloads are rendered at full size

// --- colour: CIE Lab (D65) <-> sRGB, the formulas of models/colorization/lab.py --------------
const WHITE = [0.95047, 1.0, 1.08883];
const RGB_FROM_XYZ = [
  [3.24048134, -1.53715152, -0.49853633],
  [-0.96925495, 1.87599, 0.04155593],
  [0.05564664, -0.20404134, 1.05731107],
];
const SRGB_STEPS = 4096; // linear light -> 8-bit sRGB via a table: pow() per pixel is slow
const SRGB_TABLE = new Uint8ClampedArray(SRGB_STEPS + 1).map((_, i) => {
  const linear = i / SRGB_STEPS;
  return 255 * (linear > 0.0031308 ? 1.055 * linear ** (1 / 2.4) - 0.055 : 12.92 * linear) + 0.5;
});
// A grey pixel of value g is Lab (L, 0, 0): its L, for the 256 values of an 8-bit grey PNG.
const LIGHT_FROM_GREY = new Float32Array(256).map((_, g) => {
  const s = g / 255;
  const y = s > 0.04045 ? ((s + 0.055) / 1.055) ** 2.4 : s / 12.92;
  return y > 0.008856 ? 116 * Math.cbrt(y) - 16 : 903.3 * y;
});

function finv(f) {
  return f > 0.2068966 ? f * f * f : (f - 16 / 116) / 7.787;
}

function toByte(linear) {
  return SRGB_TABLE[Math.round(Math.min(1, Math.max(0, linear)) * SRGB_STEPS)];
}

/** Lab -> [r, g, b] bytes, clipped to the sRGB gamut. */
export function labToRgb(light, a, b) {
  const fy = (light + 16) / 116;
  const x = finv(fy + a / 500) * WHITE[0];
  const y = finv(fy) * WHITE[1];
  const z = finv(Math.max(0, fy - b / 200)) * WHITE[2];
  return RGB_FROM_XYZ.map(([m0, m1, m2]) => toByte(m0 * x + m1 * y + m2 * z));
}

// --- the cached distribution -----------------------------------------------------------------
class Distribution {
  constructor(meta, bytes) {
    Object.assign(this, meta); // rows, columns, bins, log_floor, centres
    this.codes = bytes; // Uint8Array [row][column][bin]
    this.logs = new Float32Array(256).map((_, code) => this.log_floor * (1 - code / 255));
  }

  /** Probabilities of one grid cell, sharpened with temperature t (t = 1: as predicted). */
  cell(row, column, t = 1) {
    const start = (row * this.columns + column) * this.bins;
    const weights = new Float64Array(this.bins);
    let peak = -Infinity;
    for (let q = 0; q < this.bins; q++) peak = Math.max(peak, this.logs[this.codes[start + q]]);
    let total = 0;
    for (let q = 0; q < this.bins; q++) {
      weights[q] = Math.exp((this.logs[this.codes[start + q]] - peak) / t);
      total += weights[q];
    }
    for (let q = 0; q < this.bins; q++) weights[q] /= total;
    return weights;
  }

  /** Annealed mean of every cell: Float32Array [row][column][a, b]. */
  decode(t) {
    const ab = new Float32Array(this.rows * this.columns * 2);
    for (let row = 0; row < this.rows; row++) {
      for (let column = 0; column < this.columns; column++) {
        const p = this.cell(row, column, t);
        let a = 0;
        let b = 0;
        for (let q = 0; q < this.bins; q++) {
          a += p[q] * this.centres[q][0];
          b += p[q] * this.centres[q][1];
        }
        const i = (row * this.columns + column) * 2;
        ab[i] = a;
        ab[i + 1] = b;
      }
    }
    return ab;
  }
}

/** Source coordinate and weights of bilinear resizing (align_corners = false, as torch). */
function axis(size, cells) {
  const low = new Int32Array(size);
  const high = new Int32Array(size);
  const frac = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const source = Math.max(0, ((i + 0.5) * cells) / size - 0.5);
    low[i] = Math.min(cells - 1, Math.floor(source));
    high[i] = Math.min(cells - 1, low[i] + 1);
    frac[i] = source - low[i];
  }
  return { low, high, frac };
}

/** Colour the lightness image (ImageData of the grey PNG) with the ab grid, in place. */
function paint(image, ab, rows, columns) {
  const { width, height, data } = image;
  const ys = axis(height, rows);
  const xs = axis(width, columns);
  for (let y = 0; y < height; y++) {
    const r0 = ys.low[y] * columns;
    const r1 = ys.high[y] * columns;
    const fy = ys.frac[y];
    for (let x = 0; x < width; x++) {
      const c0 = xs.low[x];
      const c1 = xs.high[x];
      const fx = xs.frac[x];
      const w00 = (1 - fy) * (1 - fx);
      const w01 = (1 - fy) * fx;
      const w10 = fy * (1 - fx);
      const w11 = fy * fx;
      const i00 = (r0 + c0) * 2;
      const i01 = (r0 + c1) * 2;
      const i10 = (r1 + c0) * 2;
      const i11 = (r1 + c1) * 2;
      const a = w00 * ab[i00] + w01 * ab[i01] + w10 * ab[i10] + w11 * ab[i11];
      const b = w00 * ab[i00 + 1] + w01 * ab[i01 + 1] + w10 * ab[i10 + 1] + w11 * ab[i11 + 1];
      const p = (y * width + x) * 4;
      const rgb = labToRgb(LIGHT_FROM_GREY[data[p]], a, b);
      data[p] = rgb[0];
      data[p + 1] = rgb[1];
      data[p + 2] = rgb[2];
    }
  }
  return image;
}

function greyPixels(img, width, height) {
  const canvas = Object.assign(document.createElement("canvas"), { width, height });
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(img, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`could not load ${url}`));
    img.src = url;
  });
}

// --- the widget ------------------------------------------------------------------------------
class Colorizer {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector(".colorizer-form");
    this.fileInput = root.querySelector('input[type="file"]');
    this.slider = root.querySelector('input[type="range"]');
    this.status = root.querySelector(".colorizer-status");
    this.bar = root.querySelector(".colorizer-progress");
    this.panels = root.querySelector(".colorizer-panels");
    this.canvas = root.querySelector('[data-panel="result"] canvas');
    this.marker = root.querySelector(".colorizer-marker");
    this.download = root.querySelector(".colorizer-download");
    this.chart = root.querySelector(".colorizer-chart");
    this.job = null;
    this.fileInput.required = false; // the script sends the file itself
    root.hidden = false;
    this.fileInput.addEventListener("change", () => {
      const file = this.fileInput.files[0];
      if (file) this.run(file, file.name);
    });
    for (const button of root.querySelectorAll("[data-sample]")) {
      button.addEventListener("click", () => this.runSample(button));
    }
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.slider.addEventListener("input", () => this.scheduleRender());
    this.canvas.addEventListener("click", (event) => this.pick(event));
    this.canvas.addEventListener("keydown", (event) => this.pickWithKeys(event));
    this.download.addEventListener("click", (event) => this.save(event));
  }

  get temperature() {
    return Number(this.slider.value);
  }

  say(text, options) {
    showStatus(this.status, this.bar, text, options);
  }

  async runSample(button) {
    const url = button.dataset.sample;
    const blob = await (await fetch(url)).blob();
    this.run(blob, url.split("/").pop());
  }

  async run(blob, filename) {
    const ticket = (this.ticket = (this.ticket ?? 0) + 1); // a newer photo makes this run stale
    this.say("Sending the photo…", { progress: 0 });
    const data = new FormData();
    data.append("image", blob, filename);
    data.append("temperature", String(this.temperature));
    try {
      const answer = await submitJob(this.root.dataset.demo, data);
      const job = await followJob(answer.url, (status, progress) =>
        this.say(status === "queued" ? "Waiting for a worker…" : "Colourizing…", { progress }));
      if (ticket === this.ticket) await this.show(job, blob);
    } catch (error) {
      if (ticket !== this.ticket) return;
      this.panels.hidden = true; // the previous photo's result would read as this file's
      this.job = this.distribution = null;
      this.fileInput.value = ""; // choosing the same file again after a fix still runs
      this.say(`Could not colourize: ${error.message}`, { error: true });
    }
  }

  async show(job, upload) {
    this.say("Fetching the result…", { progress: 0.9 });
    const meta = job.result;
    const [grey, bytes] = await Promise.all([
      loadImage(job.files["grey.png"]),
      fetch(job.files["distribution.bin"]).then((r) => r.arrayBuffer()),
    ]);
    this.job = job;
    this.distribution = new Distribution(meta.distribution, new Uint8Array(bytes));
    this.grey = grey;
    const scale = Math.min(1, PREVIEW_SIDE / Math.max(meta.width, meta.height));
    this.canvas.width = Math.round(meta.width * scale);
    this.canvas.height = Math.round(meta.height * scale);
    this.previewGrey = greyPixels(grey, this.canvas.width, this.canvas.height);
    this.root.querySelector('[data-panel="grey"] img').src = job.files["grey.png"];
    const original = this.root.querySelector('[data-panel="original"]');
    original.hidden = !meta.colour_input;
    if (this.originalUrl) URL.revokeObjectURL(this.originalUrl);
    this.originalUrl = URL.createObjectURL(upload);
    original.querySelector("img").src = this.originalUrl;
    this.panels.hidden = false;
    this.marker.hidden = true;
    this.picked = null; // a point of the previous photo means nothing on this one
    if (this.chart) this.chart.hidden = true;
    this.render();
    this.say(`Done: ${meta.width} x ${meta.height} px. Click the result to see the colours the network weighed there.`);
  }

  scheduleRender() {
    this.root.querySelector(".colorizer-t-value").textContent = this.temperature.toFixed(2);
    if (!this.distribution || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.render();
    });
  }

  render() {
    const t = this.temperature;
    const { rows, columns } = this.distribution;
    this.ab = this.distribution.decode(t);
    const image = new ImageData(new Uint8ClampedArray(this.previewGrey.data), this.previewGrey.width, this.previewGrey.height);
    this.canvas.getContext("2d").putImageData(paint(image, this.ab, rows, columns), 0, 0);
    this.canvas.dataset.temperature = t.toFixed(2); // what is on screen, for tests and screen readers
    this.root.querySelector(".colorizer-t-caption").textContent = t.toFixed(2);
    this.root.querySelector(".colorizer-t-value").textContent = t.toFixed(2);
    this.download.href = this.job.files["colorized.png"];
    if (this.picked) this.drawChart(...this.picked);
  }

  /** Download at full size: the server's PNG at its temperature, else rendered here. */
  async save(event) {
    if (!this.job || Math.abs(this.temperature - this.job.result.temperature) < 1e-9) return;
    event.preventDefault();
    const { width, height } = this.job.result;
    const image = paint(greyPixels(this.grey, width, height), this.ab, this.distribution.rows, this.distribution.columns);
    const canvas = Object.assign(document.createElement("canvas"), { width, height });
    canvas.getContext("2d").putImageData(image, 0, 0);
    canvas.toBlob((blob) => {
      const link = Object.assign(document.createElement("a"), {
        href: URL.createObjectURL(blob), download: `colorized-T${this.temperature.toFixed(2)}.png`,
      });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }, "image/png");
  }

  pick(event) {
    const box = this.canvas.getBoundingClientRect();
    this.pickAt((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
  }

  /** Keyboard users chart points too: Enter picks the centre, arrows move by one grid cell. */
  pickWithKeys(event) {
    if (!this.chart || !this.distribution) return;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (!(event.key in moves) && event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    const { rows, columns } = this.distribution;
    const [row, column] = this.picked ?? [rows / 2 - 0.5, columns / 2 - 0.5];
    const [dx, dy] = moves[event.key] ?? [0, 0];
    const clamp = (value, size) => Math.min(size - 1, Math.max(0, value));
    this.pickAt((clamp(column + dx, columns) + 0.5) / columns, (clamp(row + dy, rows) + 0.5) / rows);
  }

  /** Chart the grid cell under the point (fx, fy), given as fractions of the picture. */
  pickAt(fx, fy) {
    if (!this.chart || !this.distribution) return;
    const { rows, columns } = this.distribution;
    const row = Math.min(rows - 1, Math.floor(fy * rows));
    const column = Math.min(columns - 1, Math.floor(fx * columns));
    const x = Math.floor(fx * this.canvas.width);
    const y = Math.floor(fy * this.canvas.height);
    const light = LIGHT_FROM_GREY[this.previewGrey.data[(y * this.canvas.width + x) * 4]];
    Object.assign(this.marker.style, { left: `${fx * 100}%`, top: `${fy * 100}%` });
    this.marker.hidden = false;
    this.picked = [row, column, light];
    this.drawChart(row, column, light);
  }

  /** The predicted distribution of one cell drawn in the ab plane: each bin a square whose
   *  area is its probability, painted in its own colour; a ring at the annealed mean. */
  drawChart(row, column, light) {
    const canvas = this.chart.querySelector("canvas");
    const context = canvas.getContext("2d");
    const size = canvas.width;
    const span = 115; // a and b run over ±115 at most inside the sRGB gamut
    const toX = (a) => ((a + span) / (2 * span)) * size;
    const toY = (b) => ((span - b) / (2 * span)) * size; // b (blue -> yellow) upwards
    const cell = (10 / (2 * span)) * size;
    const p = this.distribution.cell(row, column, 1);
    const peak = Math.max(...p);
    const shownLight = Math.min(85, Math.max(35, light)); // readable swatches at any lightness
    context.fillStyle = getComputedStyle(this.chart).getPropertyValue("--chart-ground") || "#f4f1ea";
    context.fillRect(0, 0, size, size);
    context.strokeStyle = "rgba(128, 128, 128, 0.5)";
    context.beginPath();
    context.moveTo(toX(0), 0); context.lineTo(toX(0), size);
    context.moveTo(0, toY(0)); context.lineTo(size, toY(0));
    context.stroke();
    this.distribution.centres.forEach(([a, b], q) => {
      context.fillStyle = "rgba(128, 128, 128, 0.12)"; // the gamut, faintly
      context.fillRect(toX(a) - cell / 2, toY(b) - cell / 2, cell, cell);
      if (p[q] < peak * 0.01) return;
      const side = cell * Math.sqrt(p[q] / peak);
      const [r, g, bl] = labToRgb(shownLight, a, b);
      context.fillStyle = `rgb(${r}, ${g}, ${bl})`;
      context.fillRect(toX(a) - side / 2, toY(b) - side / 2, side, side);
    });
    const i = (row * this.distribution.columns + column) * 2;
    const [a, b] = [this.ab[i], this.ab[i + 1]];
    const ink = getComputedStyle(this.chart).color; // the page's text colour, light or dark
    context.strokeStyle = ink;
    context.lineWidth = 2;
    context.beginPath();
    context.arc(toX(a), toY(b), 6, 0, 2 * Math.PI);
    context.stroke();
    context.fillStyle = ink;
    context.font = "11px sans-serif";
    context.fillText("a →", size - 26, toY(0) - 4);
    context.fillText("b ↑", toX(0) + 4, 12);
    const best = p.indexOf(peak);
    const [ba, bb] = this.distribution.centres[best];
    this.chart.querySelector(".colorizer-chart-caption").textContent =
      `At this point the most likely bin is (a ${ba}, b ${bb}) with p = ${(peak * 100).toFixed(1)}%; ` +
      `the ring is the annealed mean at T = ${this.temperature.toFixed(2)}, (a ${a.toFixed(0)}, b ${b.toFixed(0)}). ` +
      "Square area is probability; the faint grid is every bin.";
    this.chart.hidden = false;
  }
}

for (const root of document.querySelectorAll("[data-colorizer]")) new Colorizer(root);

// The live fooling rate of the Turing test, beside the paper's (the link works without it).
async function showTuringRate(node) {
  try {
    const answer = await fetch("/api/v1/demos/colorization/turing");
    if (!answer.ok) return;
    const { overall } = await answer.json();
    if (!overall.votes) return void (node.textContent = "No answers yet: be the first.");
    const [low, high] = overall.interval_95.map((x) => Math.round(x * 100));
    node.textContent = `Readers here so far: ${Math.round(overall.rate * 100)}% fooled over ${overall.votes} answers (95% interval ${low}–${high}%).`;
  } catch {
    // offline or refused: the sentence without the figure still stands
  }
}
for (const node of document.querySelectorAll("[data-turing-rate] .colorizer-turing-rate")) showTuringRate(node);
