// The LRP demo in the page (widget.html beside this file).
//
// One request per drawing explains the digit with every rule at once (`rule=all`, a few
// milliseconds each on the server); choosing which maps to show is then instant. Choosing
// another class to explain, or a class to explain against, sends the 28x28 digit the network
// saw (`pixels`) rather than the drawing, so the answer concerns exactly the same input.
import { followJob, showStatus, submitJob } from "/static/js/jobs.js";

const SIDE = 28;
const STROKE = 22; // px on the 280 px pad: about the pen width of MNIST digits once scaled
const MAP_SIDE = 112;

/** Relevance -> RGBA: white at 0, red for evidence for, blue against, on a scale symmetric
 * around 0 (the largest |R| of the map is full colour), as in the heatmapping.org demos. */
export function heatColour(value, scale) {
  const t = scale > 0 ? Math.max(-1, Math.min(1, value / scale)) : 0;
  const fade = Math.round(255 * (1 - Math.abs(t)));
  return t >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255];
}

function drawMap(canvas, relevance) {
  const scale = Math.max(...relevance.flat().map(Math.abs));
  const image = new ImageData(SIDE, SIDE);
  relevance.flat().forEach((value, i) => image.data.set(heatColour(value, scale), i * 4));
  const cell = Object.assign(document.createElement("canvas"), { width: SIDE, height: SIDE });
  cell.getContext("2d").putImageData(image, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false; // one block per pixel the network saw
  context.drawImage(cell, 0, 0, canvas.width, canvas.height);
}

function ruleName(rule) {
  return rule.replace("_", " ").replace("alpha", "α").replace("beta", "β").replace("epsilon", "LRP-ε")
    .replace("gamma", "LRP-γ").replace("lrp0", "LRP-0");
}

class Pad {
  constructor(canvas, onDone) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.onDone = onDone;
    this.clear();
    canvas.addEventListener("pointerdown", (event) => this.start(event));
    canvas.addEventListener("pointermove", (event) => this.move(event));
    for (const type of ["pointerup", "pointercancel"]) canvas.addEventListener(type, (event) => this.end(event));
    canvas.style.touchAction = "none"; // a finger draws instead of scrolling the page
  }

  clear() {
    this.context.fillStyle = "#000";
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
  }

  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * (this.canvas.width / box.width), (event.clientY - box.top) * (this.canvas.height / box.height)];
  }

  start(event) {
    this.canvas.setPointerCapture(event.pointerId);
    this.last = this.point(event);
    this.stroke(this.last, this.last);
  }

  move(event) {
    if (!this.last) return;
    const next = this.point(event);
    this.stroke(this.last, next);
    this.last = next;
  }

  end() {
    if (!this.last) return;
    this.last = null;
    this.onDone();
  }

  stroke([x0, y0], [x1, y1]) {
    Object.assign(this.context, { strokeStyle: "#fff", lineWidth: STROKE, lineCap: "round", lineJoin: "round" });
    this.context.beginPath();
    this.context.moveTo(x0, y0);
    this.context.lineTo(x1, y1);
    this.context.stroke();
    this.inked = true;
  }

  /** Show a 28x28 digit (0..1, ink bright) on the pad, as the network sees it. */
  show(pixels) {
    const image = new ImageData(SIDE, SIDE);
    pixels.flat().forEach((value, i) => image.data.set([255 * value, 255 * value, 255 * value, 255], i * 4));
    const cell = Object.assign(document.createElement("canvas"), { width: SIDE, height: SIDE });
    cell.getContext("2d").putImageData(image, 0, 0);
    this.context.imageSmoothingEnabled = true;
    this.context.drawImage(cell, 0, 0, this.canvas.width, this.canvas.height);
    this.inked = true;
  }

  blob() {
    return new Promise((resolve) => this.canvas.toBlob(resolve, "image/png"));
  }
}

class LrpDemo {
  constructor(root) {
    this.root = root;
    this.compact = root.classList.contains("lrp-compact");
    this.status = root.querySelector(".lrp-status");
    this.bar = root.querySelector(".lrp-progress");
    this.maps = root.querySelector(".lrp-maps");
    this.target = root.querySelector(".lrp-target");
    this.contrast = root.querySelector(".lrp-contrast");
    this.pad = new Pad(root.querySelector(".lrp-pad"), () => this.explainDrawing());
    root.querySelector(".lrp-clear").addEventListener("click", () => this.reset());
    root.querySelector(".lrp-pad").addEventListener("keydown", (event) => {
      if (event.key === "Delete" || event.key === "Backspace") this.reset();
    });
    for (const button of root.querySelectorAll(".lrp-sample")) {
      button.addEventListener("click", () => this.explainSample(Number(button.dataset.digit)));
    }
    for (const button of root.querySelectorAll(".lrp-bars button")) {
      button.addEventListener("click", () => this.chooseClass(button.dataset.class));
    }
    this.target?.addEventListener("change", () => this.reexplain());
    this.contrast?.addEventListener("change", () => this.reexplain());
    for (const box of root.querySelectorAll(".lrp-rules input")) box.addEventListener("change", () => this.drawMaps());
    root.hidden = false;
    if (!this.compact) this.plotAopc();
  }

  say(text, options) {
    showStatus(this.status, this.bar, text, options);
  }

  reset() {
    this.pad.clear();
    this.result = null;
    this.maps.replaceChildren();
    for (const button of this.root.querySelectorAll(".lrp-bars button")) {
      button.disabled = true;
      button.setAttribute("aria-pressed", "false");
      button.querySelector(".lrp-bar span").style.width = "0";
      button.querySelector(".lrp-bar-value").textContent = "–";
    }
    this.say("Draw a digit, large and centred, or pick a test digit.");
  }

  async explainDrawing() {
    if (!this.pad.inked) return;
    const data = this.form();
    data.append("image", await this.pad.blob(), "digit.png");
    this.send(data);
  }

  async explainSample(digit) {
    this.samples ??= fetch("/demo-assets/lrp/samples.json").then((r) => r.json());
    const sample = (await this.samples).digits[digit];
    const pixels = sample.grey.map((row) => row.map((g) => g / 255)); // 28 rows of 28, 8-bit grey
    this.pad.show(pixels);
    this.sendPixels(pixels);
  }

  chooseClass(digit) {
    if (this.target) this.target.value = digit;
    this.explicitTarget = digit;
    this.reexplain();
  }

  reexplain() {
    if (this.result) this.sendPixels(this.result.input);
  }

  sendPixels(pixels) {
    const data = this.form();
    data.append("pixels", JSON.stringify(pixels));
    this.send(data);
  }

  form() {
    const data = new FormData();
    data.append("rule", this.compact ? this.root.dataset.defaultRule : "all");
    const target = this.target ? this.target.value : this.explicitTarget ?? "";
    if (target !== "") data.append("target", target);
    if (this.contrast?.value) data.append("contrast", this.contrast.value);
    return data;
  }

  async send(data) {
    const ticket = (this.ticket = (this.ticket ?? 0) + 1); // a newer drawing makes this one stale
    this.say("Explaining…", { progress: 0.1 });
    try {
      const answer = await submitJob("lrp", data);
      const job = await followJob(answer.url, (_, progress) => this.say("Explaining…", { progress }));
      if (ticket === this.ticket) this.show(job.result);
    } catch (error) {
      if (ticket === this.ticket) this.say(error.message, { error: true });
    }
  }

  show(result) {
    this.result = result;
    const against = result.contrast === null ? "" : ` rather than ${result.contrast}`;
    this.say(`The network reads ${result.prediction} (${Math.round(100 * result.probabilities[result.prediction])}%). ` +
      `Explaining class ${result.target}${against}.`);
    for (const button of this.root.querySelectorAll(".lrp-bars button")) {
      const digit = Number(button.dataset.class);
      const p = result.probabilities[digit];
      button.disabled = false;
      button.setAttribute("aria-pressed", String(digit === result.target));
      button.classList.toggle("lrp-predicted", digit === result.prediction);
      button.querySelector(".lrp-bar span").style.width = `${(100 * p).toFixed(1)}%`;
      button.querySelector(".lrp-bar-value").textContent = `${(100 * p).toFixed(p < 0.1 ? 1 : 0)}%`;
    }
    this.drawMaps();
  }

  chosenRules() {
    if (this.compact) return [this.result.rule];
    return [...this.root.querySelectorAll(".lrp-rules input:checked")].map((box) => box.value);
  }

  drawMaps() {
    if (!this.result) return;
    const result = this.result;
    const explained = result.contrast === null ? `logit ${result.target}` : `logit ${result.target} − logit ${result.contrast}`;
    this.maps.replaceChildren(...this.chosenRules().map((rule) => {
      const map = result.explanations ? result.explanations[rule] : result;
      const figure = document.createElement("figure");
      figure.className = "lrp-map";
      figure.dataset.rule = rule;
      const canvas = Object.assign(document.createElement("canvas"), { width: MAP_SIDE, height: MAP_SIDE });
      canvas.setAttribute("aria-label", `Relevance map of ${ruleName(rule)}`);
      drawMap(canvas, map.relevance);
      const caption = document.createElement("figcaption");
      // Sensitivity and random relevance are not decompositions of the score: their sums mean nothing.
      const conserving = rule === "sensitivity" || rule === "random" ? " (not a decomposition)" : "";
      caption.innerHTML = `<strong>${ruleName(rule)}</strong><br>Σ R = ${map.relevance_sum.toFixed(2)}` +
        `<br><span class="muted">${explained} = ${result.logit.toFixed(2)}${conserving}</span>`;
      figure.append(canvas, caption);
      return figure;
    }));
  }

  async plotAopc() {
    const response = await fetch("/api/v1/demos/lrp/card");
    if (!response.ok) return;
    const card = await response.json();
    // The card's main test sets removed regions to the background (see the model card for why,
    // and for the same test with uniform noise).
    const curves = card.aopc_curves?.background;
    if (!curves) return;
    const figure = this.root.querySelector(".lrp-aopc");
    const svg = figure.querySelector("svg");
    const [left, right, top, bottom] = [44, 330, 10, 210];
    const steps = Math.max(...Object.values(curves).map((c) => c.length)) - 1;
    const high = Math.max(...Object.values(curves).flat());
    const x = (i) => left + ((right - left) * i) / steps;
    const y = (v) => bottom - ((bottom - top) * v) / high;
    const names = Object.keys(curves).sort((a, b) => curves[b].at(-1) - curves[a].at(-1));
    const palette = ["#b2182b", "#d6604d", "#f4a582", "#762a83", "#1b7837", "#2166ac", "#4393c3", "#8c510a", "#bf812d", "#777"];
    const parts = [`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="currentColor"/>`,
      `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="currentColor"/>`,
      `<text x="${(left + right) / 2}" y="${bottom + 25}" text-anchor="middle" font-size="11">perturbation steps (most relevant regions first)</text>`,
      `<text x="12" y="${(top + bottom) / 2}" font-size="11" transform="rotate(-90 12 ${(top + bottom) / 2})" text-anchor="middle">AOPC</text>`];
    for (let tick = 0; tick <= high; tick += 5) {
      parts.push(`<line x1="${left - 4}" y1="${y(tick)}" x2="${left}" y2="${y(tick)}" stroke="currentColor"/>` +
        `<text x="${left - 7}" y="${y(tick) + 4}" font-size="10" text-anchor="end">${tick}</text>`);
    }
    names.forEach((name, i) => {
      const colour = palette[i % palette.length];
      const points = curves[name].map((v, step) => `${x(step).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="${name === "random" ? 1.5 : 2}" points="${points}"` +
        `${name === "random" ? ' stroke-dasharray="4 3"' : ""}><title>${ruleName(name)}</title></polyline>`);
      parts.push(`<rect x="${right + 12}" y="${top + 4 + i * 20}" width="12" height="3" fill="${colour}"/>` +
        `<text x="${right + 30}" y="${top + 9 + i * 20}" font-size="11">${ruleName(name)} ${curves[name].at(-1).toFixed(2)}</text>`);
    });
    svg.innerHTML = parts.join("");
    figure.querySelector("figcaption").textContent =
      `The paper's test on the ${card.perturbation?.digits ?? ""} held-out digits: set the 2x2 regions an explanation ` +
      "ranks most relevant to background, most relevant first, and average how far the class score has fallen (AOPC). " +
      "Higher is a better explanation; random is the floor; ink (darkest regions first) is a naive reference.";
    figure.hidden = false;
  }
}

for (const root of document.querySelectorAll("[data-lrp]")) new LrpDemo(root);
