"""The corpus, rendered on this machine at 16 kHz from a seed: no download.

Instruments: melodies, block chords and arpeggios written procedurally as MIDI (mido) and
synthesised by fluidsynth through Debian's FluidR3 General MIDI soundfont. Voices: sentences put
together from a small vocabulary and spoken by espeak-ng. Each condition gets its own training
clips and, from a separate stream of the same seed, held-out validation clips.

`ensure_corpus()` renders data/wavenet/corpus.npz if absent (a few minutes on one core); the file
holds int16 audio per condition and split, each clip preceded by a short silence.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from models.wavenet.config import CONDITIONS, SAMPLE_RATE, Condition

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "data" / "wavenet"
CORPUS_FILE = CORPUS_DIR / "corpus.npz"
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
VERSION = 1
SEED = 1609  # arXiv 1609.03499
CLIPS = {"instrument": {"train": 14, "val": 2}, "voice": {"train": 30, "val": 4}}
GAP_SECONDS = 0.1  # silence before each clip
PEAK = 0.6  # every clip is scaled to this peak

MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)
SUBJECTS = ("the old man", "a small girl", "my brother", "the teacher", "our neighbour", "the farmer",
            "a tired dog", "the captain", "her friend", "the baker", "a young doctor", "the singer")
VERBS = ("found", "painted", "carried", "opened", "wanted", "forgot", "cleaned", "borrowed", "sold",
         "watched", "followed", "remembered")
OBJECTS = ("a green box", "the heavy door", "seven apples", "the broken clock", "a long letter",
           "the blue boat", "an empty bottle", "the morning paper", "a warm coat", "the river stones")
ENDINGS = ("before dinner", "in the garden", "on a cold morning", "after the storm", "near the station",
           "last summer", "without a word", "at the market", "by the window", "under the bridge")
DE_SUBJECTS = ("der alte Mann", "ein kleines Kind", "mein Bruder", "die Lehrerin", "unser Nachbar",
               "der Bauer", "ein müder Hund", "der Kapitän", "ihre Freundin", "der Bäcker")
DE_VERBS = ("fand", "malte", "trug", "öffnete", "wollte", "vergaß", "putzte", "verkaufte", "sah")
DE_OBJECTS = ("eine grüne Kiste", "die schwere Tür", "sieben Äpfel", "die kaputte Uhr", "einen langen Brief",
              "das blaue Boot", "eine leere Flasche", "die Zeitung", "einen warmen Mantel")
DE_ENDINGS = ("vor dem Essen", "im Garten", "an einem kalten Morgen", "nach dem Sturm", "am Bahnhof",
              "letzten Sommer", "ohne ein Wort", "auf dem Markt", "am Fenster")


# --- music --------------------------------------------------------------------------------------
def _scale_notes(root: int, mode: tuple[int, ...], low: int, high: int) -> list[int]:
    return [n for n in range(low, high + 1) if (n - root) % 12 in mode]


def piece_events(rng: np.random.Generator, condition: Condition) -> list[tuple[float, float, int, int]]:
    """(start beat, length in beats, note, velocity) of a piece of about 16 beats: a melody, block
    chords or an arpeggio in a random major or minor key."""
    root = int(rng.integers(0, 12))
    mode = MAJOR if rng.random() < 0.6 else MINOR
    notes = _scale_notes(root, mode, condition.low, condition.high)
    kind = rng.choice(["melody", "chords", "arpeggio"])
    events: list[tuple[float, float, int, int]] = []
    beat = 0.0
    if kind == "melody":
        i = int(rng.integers(len(notes) // 3, 2 * len(notes) // 3))
        while beat < 16:
            length = float(rng.choice([0.25, 0.5, 0.5, 1.0, 1.0, 1.5, 2.0]))
            i = int(np.clip(i + rng.choice([-2, -1, -1, 0, 1, 1, 2, 3, -3]), 0, len(notes) - 1))
            if rng.random() > 0.08:  # an occasional rest
                events.append((beat, length * 0.95, notes[i], int(rng.integers(70, 110))))
            beat += length
        return events
    degrees = [0, 3, 4, 0] if rng.random() < 0.5 else [0, 5, 3, 4]
    degrees = degrees + list(rng.choice(7, size=4))
    base = int(rng.integers(0, max(1, len(notes) - 12)))
    for degree in degrees:
        chord = [notes[min(base + int(degree) + k, len(notes) - 1)] for k in (0, 2, 4)]
        if kind == "chords":
            velocity = int(rng.integers(65, 100))
            events.extend((beat, 1.9, n, velocity) for n in chord)
        else:
            step = float(rng.choice([0.25, 0.5]))
            pattern = chord + [chord[1]] if step == 0.5 else (chord + [chord[1]]) * 2
            for k, n in enumerate(pattern):
                events.append((beat + k * step, step * 0.95, n, int(rng.integers(70, 105))))
        beat += 2.0
    return events


def write_midi(events: list[tuple[float, float, int, int]], program: int, bpm: float, path: Path) -> None:
    import mido

    ticks = 480
    timeline: list[tuple[int, int, mido.Message]] = []
    for start, length, note, velocity in events:
        on, off = round(start * ticks), round((start + length) * ticks)
        timeline.append((on, 1, mido.Message("note_on", note=note, velocity=velocity)))
        timeline.append((off, 0, mido.Message("note_off", note=note, velocity=0)))
    timeline.sort(key=lambda item: (item[0], item[1]))
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm), time=0))
    track.append(mido.Message("program_change", program=program, time=0))
    now = 0
    for tick, _, message in timeline:
        track.append(message.copy(time=tick - now))
        now = tick
    midi = mido.MidiFile(ticks_per_beat=ticks)
    midi.tracks.append(track)
    midi.save(path)


def render_midi(midi: Path, wav: Path) -> np.ndarray:
    subprocess.run(
        ["fluidsynth", "-ni", "-q", "-g", "0.6", "-r", str(SAMPLE_RATE), "-F", str(wav), str(SOUNDFONT), str(midi)],
        check=True, capture_output=True,
    )
    return read_mono(wav, SAMPLE_RATE)


# --- speech -------------------------------------------------------------------------------------
def sentence(rng: np.random.Generator, german: bool) -> str:
    parts = (DE_SUBJECTS, DE_VERBS, DE_OBJECTS, DE_ENDINGS) if german else (SUBJECTS, VERBS, OBJECTS, ENDINGS)
    words = [str(rng.choice(p)) for p in parts]
    return f"{words[0].capitalize()} {words[1]} {words[2]} {words[3]}."


def speak(text: str, voice: str, speed: int, pitch: int, wav: Path) -> np.ndarray:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(wav), text],
                   check=True, capture_output=True)
    return read_mono(wav, SAMPLE_RATE)


# --- audio helpers ------------------------------------------------------------------------------
def read_mono(path: Path, rate: int) -> np.ndarray:
    import soundfile

    audio, source_rate = soundfile.read(str(path), dtype="float64", always_2d=True)
    return resample(audio.mean(axis=1), source_rate, rate)


def resample(audio: np.ndarray, source_rate: int, rate: int) -> np.ndarray:
    if source_rate == rate:
        return audio
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(source_rate, rate)
    return resample_poly(audio, rate // g, source_rate // g)


def tidy(audio: np.ndarray, threshold: float = 1e-3) -> np.ndarray:
    """Trim leading and trailing near-silence (keeping 50 ms) and scale to PEAK."""
    loud = np.flatnonzero(np.abs(audio) > threshold * max(1e-9, np.abs(audio).max()))
    if len(loud) == 0:
        return np.zeros(0)
    pad = SAMPLE_RATE // 20
    audio = audio[max(0, loud[0] - pad) : loud[-1] + pad]
    return audio * (PEAK / np.abs(audio).max())


def render_condition(condition: Condition, split: str, seed: int, work: Path) -> list[np.ndarray]:
    """The clips of one condition and split, from a generator seeded by (seed, condition, split)."""
    index = [c.key for c in CONDITIONS].index(condition.key)
    rng = np.random.default_rng([seed, index, 0 if split == "train" else 1])
    clips = []
    for k in range(CLIPS[condition.kind][split]):
        if condition.kind == "instrument":
            midi, wav = work / f"{condition.key}-{split}-{k}.mid", work / f"{condition.key}-{split}-{k}.wav"
            write_midi(piece_events(rng, condition), condition.program, float(rng.integers(80, 140)), midi)
            clips.append(tidy(render_midi(midi, wav)))
        else:
            text = sentence(rng, german=condition.voice == "de")
            wav = work / f"{condition.key}-{split}-{k}.wav"
            clips.append(tidy(speak(text, condition.voice, int(rng.integers(140, 185)), int(rng.integers(35, 65)),
                                    wav)))
    return clips


def join(clips: list[np.ndarray]) -> np.ndarray:
    gap = np.zeros(int(GAP_SECONDS * SAMPLE_RATE))
    return np.concatenate([part for clip in clips for part in (gap, clip)])


def render_corpus(path: Path = CORPUS_FILE, seed: int = SEED, log=print) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    seconds: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for condition in CONDITIONS:
            seconds[condition.key] = {}
            for split in ("train", "val"):
                audio = join(render_condition(condition, split, seed, Path(tmp)))
                arrays[f"{split}/{condition.key}"] = np.round(np.clip(audio, -1, 1) * 32767).astype(np.int16)
                seconds[condition.key][split] = round(len(audio) / SAMPLE_RATE, 2)
            log(f"rendered {condition.key}: {seconds[condition.key]}")
    manifest = {"version": VERSION, "seed": seed, "rate": SAMPLE_RATE, "seconds": seconds}
    partial = path.with_name(path.name + ".partial.npz")
    np.savez(partial, manifest=np.array(json.dumps(manifest)), **arrays)
    partial.replace(path)
    return path


def load_corpus(path: Path = CORPUS_FILE) -> tuple[dict, dict[str, dict[str, np.ndarray]]]:
    """(manifest, {split: {condition key: float32 audio}})."""
    with np.load(path) as data:
        manifest = json.loads(str(data["manifest"]))
        splits: dict[str, dict[str, np.ndarray]] = {"train": {}, "val": {}}
        for name in data.files:
            if "/" in name:
                split, key = name.split("/", 1)
                splits[split][key] = data[name].astype(np.float32) / 32767.0
    return manifest, splits


def ensure_corpus(path: Path = CORPUS_FILE, seed: int = SEED, log=print) -> Path:
    if path.exists():
        with np.load(path) as data:
            manifest = json.loads(str(data["manifest"]))
        if manifest.get("version") == VERSION and manifest.get("seed") == seed:
            return path
    log(f"rendering the corpus to {path}")
    return render_corpus(path, seed, log)


PAGE_SAMPLES = Path(__file__).resolve().parent / "page" / "samples"
SAMPLE_SECONDS = 2.0


def write_page_samples(folder: Path = PAGE_SAMPLES, path: Path = CORPUS_FILE) -> list[Path]:
    """For each condition, the loudest 2 s (on a half-second grid, within the first 30 s) of its
    training audio as the network hears it (mu-law quantised), 16-bit WAV: the page plays it
    beside the generated clip."""
    import soundfile

    from models.wavenet import mulaw

    _, splits = load_corpus(path)
    folder.mkdir(parents=True, exist_ok=True)
    length, step = int(SAMPLE_SECONDS * SAMPLE_RATE), SAMPLE_RATE // 2
    written = []
    for key, audio in splits["train"].items():
        starts = range(0, min(len(audio), 30 * SAMPLE_RATE) - length, step)
        best = max(starts, key=lambda s: float(np.mean(audio[s : s + length] ** 2)))
        clip = mulaw.decode(mulaw.encode(audio[best : best + length]))
        written.append(folder / f"{key}.wav")
        soundfile.write(str(written[-1]), clip, SAMPLE_RATE, subtype="PCM_16", format="WAV")
    return written
