"""The WaveNet demo's entry in the registry: everything the platform needs to know about it.

Torch-free: the web process imports it to build the page and check inputs; workers resolve the
dotted entry points to load the network and generate.
"""

from __future__ import annotations

from pathlib import Path

from models.spec import DemoSpec, WeightsFile
from models.wavenet.params import INPUTS, MAX_PRIME_UPLOAD_SECONDS

PACKAGE = Path(__file__).resolve().parent

EXPLANATION = """\
WaveNet writes audio one sample at a time. Each of the 16,000 samples in a second is one of 256
levels (the waveform is first squeezed by mu-law companding, so quiet sounds get finer steps
than loud ones), and the network outputs a probability for every level given all the samples
before it. We draw one level from that distribution, append it, and ask again.

What the network can see is set by its **causal dilated convolutions**: each layer mixes a
sample with one $d$ samples earlier, and $d$ doubles from layer to layer (1, 2, 4, ..., 512),
twice over. Twenty such layers see 2,048 samples (128 ms) back, where twenty ordinary layers
would see 22. Every layer passes its sum through a **gated unit**,
$\\tanh(W_f x + V_f h) \\odot \\sigma(W_g x + V_g h)$, where $h$ is a learned embedding of the
instrument or voice you pick (**global conditioning**): the same network plays a flute or
speaks German depending only on that id. **Temperature** divides the logits before sampling:
below 1 the likeliest levels win more often (cleaner but duller), above 1 it gets noisier.

Generating naively would rerun the whole 2,048-sample window through every layer for each new
sample. The fast generator (Paine et al. 2016) instead keeps, for each layer, a queue of the
activations it will need again, so a new sample costs one step per layer; here that loop is
compiled with numba, and it runs faster than real time on one CPU core. A **prime** clip
replaces the initial silence: the network continues its last second.

This is a small WaveNet (about 170,000 parameters) trained for under an hour on this machine's
CPU, on melodies synthesised with a General MIDI soundfont and sentences spoken by espeak-ng.
Expect pitched, instrument-like textures and speech-like babble, not tunes or words: a
128 ms window cannot hold a melody or a sentence. The card below compares it with the same
network trained without the condition and with every dilation set to 1.
"""

SHIPPED_WEIGHTS = WeightsFile(
    Path("wavenet/weights/wavenet.pt"),
    "34696c2ef8e75f14a0b967bb0d6b60a502a4060a72c1b4701a3484cd57aaaa94",
    "marginalia train wavenet",
)

SPEC = DemoSpec(
    name="wavenet",
    title="WaveNet audio",
    blurb="Pick an instrument or a voice; hear a WaveNet write it sample by sample.",
    paper="wavenet",
    entry_point="models.wavenet.predict:load",
    predict="models.wavenet.predict:predict",
    inputs=INPUTS,
    max_audio_seconds=MAX_PRIME_UPLOAD_SECONDS,
    audio_rates=(8000, 48000),
    output="audio/wav",
    result_file="generated.wav",
    weights=(SHIPPED_WEIGHTS,),
    preload=True,
    timeout_seconds=120,
    explanation=EXPLANATION,
    page_dir=PACKAGE / "page",
    card_labels={"all": "all conditions (bits/sample)", "instruments": "instruments", "voices": "voices"},
    train="models.wavenet.train:cli",
    evaluate="models.wavenet.evaluate:cli",
)
