import { followJob, showStatus, submitJob } from "/static/js/jobs.js";

// The WaveNet demo in the page (widget.html beside this file).
//
// One job per press of Generate: the worker makes the samples with the fast generator and
// reports its progress every tenth of a second of audio, which drives the bar here. The result
// is the WAV itself (played and offered for download), the waveform's peaks per column (drawn
// on the canvas), a spectrogram PNG and the speed the worker reached.

const RATE = 16000;

/** Draw min/max peaks per column, centred on a zero line, in the canvas's current colour. */
export function drawWaveform(canvas, peaks, primeFraction = 0) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const colour = getComputedStyle(canvas).color;
  context.strokeStyle = colour;
  context.globalAlpha = 0.35;
  context.beginPath();
  context.moveTo(0, height / 2);
  context.lineTo(width, height / 2);
  context.stroke();
  context.globalAlpha = 1;
  context.fillStyle = colour;
  const columns = peaks.max.length;
  const step = width / columns;
  for (let i = 0; i < columns; i++) {
    const top = (1 - peaks.max[i]) * height / 2;
    const bottom = (1 - peaks.min[i]) * height / 2;
    context.fillRect(i * step, top, Math.max(1, step), Math.max(1, bottom - top));
  }
  if (primeFraction > 0) { // the prime clip the network continued: shaded
    context.globalAlpha = 0.15;
    context.fillRect(0, 0, primeFraction * width, height);
    context.globalAlpha = 1;
  }
}

class WaveNetWidget {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector(".wavenet-form");
    this.status = root.querySelector(".wavenet-status");
    this.bar = root.querySelector(".wavenet-progress");
    this.result = root.querySelector(".wavenet-result");
    this.audio = root.querySelector(".wavenet-audio");
    this.canvas = root.querySelector(".wavenet-waveform");
    this.spectrogram = root.querySelector(".wavenet-spectrogram img");
    this.speed = root.querySelector(".wavenet-speed");
    this.download = root.querySelector(".wavenet-download");
    this.reference = root.querySelector(".wavenet-reference-audio");
    this.referenceLabel = root.querySelector(".wavenet-reference-label");
    this.condition = this.form.elements.condition;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
    this.condition.addEventListener("change", () => this.showReference());
    for (const [name, output] of [["seconds", ".wavenet-seconds-value"], ["temperature", ".wavenet-temperature-value"]]) {
      const slider = this.form.elements[name];
      const shown = root.querySelector(output);
      if (slider?.type === "range" && shown) {
        slider.addEventListener("input", () => { shown.textContent = Number(slider.value).toFixed(2); });
      }
    }
    const reseed = root.querySelector(".wavenet-reseed");
    if (reseed) {
      reseed.hidden = false;
      reseed.addEventListener("click", () => {
        this.form.elements.seed.value = String(Math.floor(Math.random() * 100000));
      });
    }
  }

  say(text, options) {
    showStatus(this.status, this.bar, text, options);
  }

  showReference() {
    const key = this.condition.value;
    this.reference.src = `${this.root.dataset.samples}${key}.wav`;
    this.referenceLabel.textContent = this.condition.selectedOptions[0].textContent;
  }

  formData() {
    const data = new FormData();
    for (const name of ["condition", "seconds", "temperature", "seed"]) data.append(name, this.form.elements[name].value);
    const prime = this.form.elements.prime?.files?.[0];
    if (prime) data.append("prime", prime, prime.name);
    return data;
  }

  async run() {
    const ticket = (this.ticket = (this.ticket ?? 0) + 1); // a newer press makes this run stale
    const samples = Math.round(Number(this.form.elements.seconds.value) * RATE);
    this.root.dataset.progressUpdates = "0";
    this.say("Sending…", { progress: 0 });
    try {
      const answer = await submitJob(this.root.dataset.demo, this.formData());
      const job = await followJob(answer.url, (status, progress) => {
        if (ticket !== this.ticket) return;
        if (status === "queued") return this.say("Waiting for a worker…", { progress: 0 });
        const done = Math.max(0, Math.min(1, (progress - 0.02) / 0.9)); // the job's share spent on samples
        this.root.dataset.progressUpdates = String(Number(this.root.dataset.progressUpdates) + 1);
        this.say(`Generating: ${Math.round(done * samples).toLocaleString()} of ${samples.toLocaleString()} samples`,
          { progress });
      });
      if (ticket === this.ticket) this.show(job);
    } catch (error) {
      if (ticket === this.ticket) this.say(`Could not generate: ${error.message}`, { error: true });
    }
  }

  show(job) {
    const meta = job.result;
    const wav = job.files["generated.wav"];
    this.audio.src = wav;
    this.download.href = wav;
    this.download.download = `wavenet-${meta.condition}-seed${meta.seed}.wav`;
    if (this.spectrogram) this.spectrogram.src = job.files[meta.spectrogram.file];
    this.result.hidden = false;
    drawWaveform(this.canvas, meta.waveform, meta.prime_seconds / meta.seconds_total);
    const label = this.condition.querySelector(`option[value="${meta.condition}"]`)?.textContent ?? meta.condition;
    this.root.querySelector(".wavenet-caption").textContent =
      `${label}, ${meta.seconds} s at temperature ${meta.temperature}, seed ${meta.seed}` +
      (meta.primed ? ` (after ${meta.prime_seconds} s of your clip)` : "");
    this.speed.textContent = `${meta.samples.toLocaleString()} samples in ${meta.generation_seconds} s: ` +
      `${meta.samples_per_second.toLocaleString()} samples/s, ${meta.real_time_factor}× real time ` +
      `(receptive field ${meta.receptive_field.samples} samples, ${meta.receptive_field.ms} ms).`;
    this.say("Done. Press play, or change the seed for another take.");
    this.bar.hidden = true;
  }
}

for (const root of document.querySelectorAll("[data-wavenet]")) new WaveNetWidget(root);
