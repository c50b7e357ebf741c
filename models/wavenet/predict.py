"""The WaveNet demo's entry points: load the shipped network, generate one clip.

The job runs the fast generator (per-layer queues, a numba-compiled loop) in chunks of an eighth
of a second of audio and reports progress after each; the speed it reports is the generator's
own (warm-up on the silent or primed history included, the progress reports' writes not). It
writes the clip as 16 kHz 16-bit WAV (`generated.wav`, the result file) and a spectrogram
(`spectrogram.png`), and answers with the waveform's peaks per column for the page, the time
taken and the real-time factor.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.wavenet import generate, mulaw
from models.wavenet.config import CONDITION_KEYS, SAMPLE_RATE, WaveNetConfig
from models.wavenet.params import PRIME_SECONDS, read_params

RESULT_FILE = "generated.wav"
SPECTROGRAM_FILE = "spectrogram.png"
PEAK_COLUMNS = 800  # waveform columns the page draws
CHUNK = SAMPLE_RATE // 8  # samples between progress reports: 8 a second of audio


@dataclass(frozen=True)
class Loaded:
    config: WaveNetConfig
    conditions: tuple[str, ...]
    packed: generate.Packed

    @property
    def receptive_field(self) -> int:
        return self.config.receptive_field

    def eval(self) -> Loaded:
        """The model cache puts every model in eval mode; this one has no training mode."""
        return self

    def condition_id(self, key: str | None) -> int | None:
        if not self.config.conditions:
            return None
        if key not in self.conditions:
            raise ValueError(f"condition must be one of {', '.join(self.conditions)}, not {key!r}")
        return self.conditions.index(key)


def read_checkpoint(path: Path) -> tuple[WaveNetConfig, tuple[str, ...], dict]:
    import torch

    state = torch.load(path, map_location="cpu", weights_only=True)
    return WaveNetConfig(**state["config"]), tuple(state["conditions"]), state["state_dict"]


def load_network(path: Path):
    """The torch module of a checkpoint (for likelihoods; generation uses `load`)."""
    from models.wavenet.net import WaveNet

    config, _, state_dict = read_checkpoint(path)
    net = WaveNet(config)
    net.load_state_dict(state_dict)
    return net.eval()


def load(weights: list[Path], device=None) -> Loaded:
    """The shipped network packed for the generators (CPU whatever the device: the loop is numba);
    one short generation compiles the loop (or loads it from numba's cache) before the first job."""
    config, conditions, state_dict = read_checkpoint(weights[0])
    model = Loaded(config, conditions, generate.pack(state_dict, config))
    generate.fast(model.packed, model.condition_id(conditions[0]) if config.conditions else None, 8, 1.0, 0)
    return model


def read_prime(path: Path) -> np.ndarray:
    """The last PRIME_SECONDS of an audio file as mu-law levels at 16 kHz (mono, peak kept)."""
    import soundfile

    from models.wavenet.data import resample

    try:
        audio, rate = soundfile.read(str(path), dtype="float64", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise ValueError(f"prime: not an audio file we can read ({exc})") from None
    if audio.shape[0] == 0:
        raise ValueError("prime: the clip is empty")
    keep = int(PRIME_SECONDS * SAMPLE_RATE)
    mono = audio.mean(axis=1)[-int(1.1 * PRIME_SECONDS * rate) :]  # a margin for the resampling filter's edge
    return mulaw.encode(np.clip(resample(mono, rate, SAMPLE_RATE), -1, 1))[-keep:].astype(np.int64)


def write_wav(audio: np.ndarray, path: Path) -> None:
    import soundfile

    partial = path.with_name("." + path.name)
    soundfile.write(str(partial), np.clip(audio, -1, 1), SAMPLE_RATE, subtype="PCM_16", format="WAV")
    partial.replace(path)


def peaks(audio: np.ndarray, columns: int = PEAK_COLUMNS) -> dict[str, list[float]]:
    """Minimum and maximum of the audio in each of `columns` equal slices."""
    columns = max(1, min(columns, len(audio)))
    edges = np.linspace(0, len(audio), columns + 1).astype(int)
    lows = [float(audio[a:b].min()) for a, b in zip(edges[:-1], edges[1:], strict=True)]
    highs = [float(audio[a:b].max()) for a, b in zip(edges[:-1], edges[1:], strict=True)]
    return {"min": [round(v, 3) for v in lows], "max": [round(v, 3) for v in highs]}


# anchors of the spectrogram's colour map: dark blue through purple and orange to pale yellow
PALETTE = np.array([[8, 8, 32], [60, 15, 110], [150, 40, 120], [230, 90, 60], [252, 190, 60], [252, 250, 190]],
                   dtype=np.float64)


def spectrogram(audio: np.ndarray, window: int = 512, hop: int = 128, floor_db: float = -80.0) -> np.ndarray:
    """Magnitude in dB (relative to the clip's loudest bin, floored), (frequency bins, frames),
    low frequencies first."""
    padded = np.concatenate([np.zeros(window // 2), audio, np.zeros(window // 2)])
    frames = max(1, 1 + (len(padded) - window) // hop)
    index = np.arange(window)[None, :] + hop * np.arange(frames)[:, None]
    spectrum = np.abs(np.fft.rfft(padded[index] * np.hanning(window), axis=1)).T
    db = 20 * np.log10(np.maximum(spectrum, 1e-10))
    return np.maximum(db - db.max(), floor_db)


def write_spectrogram(audio: np.ndarray, path: Path, floor_db: float = -80.0) -> None:
    from PIL import Image

    level = 1.0 - spectrogram(audio, floor_db=floor_db)[::-1] / floor_db  # 0 (floor) .. 1 (loudest), top = 8 kHz
    position = level * (len(PALETTE) - 1)
    low = np.clip(np.floor(position).astype(int), 0, len(PALETTE) - 2)
    frac = (position - low)[..., None]
    rgb = PALETTE[low] * (1 - frac) + PALETTE[low + 1] * frac
    partial = path.with_name("." + path.name)
    Image.fromarray(rgb.round().astype(np.uint8)).save(partial, format="PNG")
    partial.replace(path)


def predict(model: Loaded, params: dict, inputs: dict[str, Path], out_dir: Path,
            progress: Callable[[float], None]) -> dict:
    checked = read_params(params)
    condition = model.condition_id(checked["condition"])
    samples = int(round(checked["seconds"] * SAMPLE_RATE))
    context = read_prime(inputs["prime"]) if "prime" in inputs else None
    progress(0.02)
    reporting = 0.0  # time spent handing progress to the job (a database write each): not generation

    def report(done: int, total: int) -> None:
        nonlocal reporting
        started = time.perf_counter()
        progress(0.02 + 0.9 * done / total)
        reporting += time.perf_counter() - started

    started = time.perf_counter()
    levels = generate.fast(model.packed, condition, samples, checked["temperature"], checked["seed"],
                           context=context, progress=report, chunk=CHUNK)
    took = time.perf_counter() - started - reporting
    generated = mulaw.decode(levels)
    prime_audio = mulaw.decode(context) if context is not None else np.zeros(0, np.float32)
    audio = np.concatenate([prime_audio, generated])
    write_wav(audio, out_dir / RESULT_FILE)
    write_spectrogram(audio, out_dir / SPECTROGRAM_FILE)
    progress(0.99)
    return {
        **checked,
        "primed": context is not None,
        "prime_seconds": round(len(prime_audio) / SAMPLE_RATE, 3),
        "samples": samples,
        "sample_rate": SAMPLE_RATE,
        "seconds_total": round(len(audio) / SAMPLE_RATE, 3),
        "generation_seconds": round(took, 3),
        "samples_per_second": round(samples / took),
        "real_time_factor": round(samples / SAMPLE_RATE / took, 2),
        "receptive_field": {"samples": model.receptive_field,
                            "ms": round(1000 * model.receptive_field / SAMPLE_RATE, 1)},
        "waveform": peaks(audio),
        "spectrogram": {"file": SPECTROGRAM_FILE, "top_hz": SAMPLE_RATE // 2, "floor_db": -80},
        "training_sample": f"/demo-assets/wavenet/samples/{checked['condition']}.wav",
        "conditions": list(CONDITION_KEYS),
    }
