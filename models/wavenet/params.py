"""The WaveNet demo's inputs, declared once: the spec, the page's controls, the API's check and
the worker all read these. No torch here: the web process imports it."""

from __future__ import annotations

from collections.abc import Mapping

from models.spec import ChoiceInput, FileInput, NumberInput
from models.wavenet.config import CONDITION_KEYS, CONDITIONS

MAX_SECONDS = 4.0
PRIME_SECONDS = 1.0  # the last second of a prime clip is the history the network continues
MAX_PRIME_UPLOAD_SECONDS = 30.0

CONDITION = ChoiceInput(
    "instrument or voice the network is conditioned on (its global-conditioning id)",
    default="piano",
    choices=CONDITION_KEYS,
    labels={c.key: c.label for c in CONDITIONS},
)
SECONDS = NumberInput(f"seconds of audio to generate, 0.25 to {MAX_SECONDS:g} (16,000 samples each)",
                      default=2.0, minimum=0.25, maximum=MAX_SECONDS, step=0.25)
TEMPERATURE = NumberInput(
    "sampling temperature from 0.1 to 1.5: the softmax over the 256 levels is sharpened (< 1) or flattened (> 1)",
    default=1.0, minimum=0.1, maximum=1.5, step=0.05,
)
SEED = NumberInput("seed of the random numbers that draw each sample (0 to 2^31 - 1): the same seed, the same audio",
                   default=0, minimum=0, maximum=2**31 - 1, step=1, integer=True)
PRIME = FileInput(
    f"optional clip to continue (WAV, FLAC or OGG, at most {MAX_PRIME_UPLOAD_SECONDS:g} s): resampled to 16 kHz, "
    f"mu-law encoded; its last {PRIME_SECONDS:g} s replace the silence the network otherwise starts from",
    kind="audio",
    required=False,
)
INPUTS = {"condition": CONDITION, "seconds": SECONDS, "temperature": TEMPERATURE, "seed": SEED, "prime": PRIME}


def read_params(params: Mapping[str, object]) -> dict:
    """The checked values (defaults filled in); ValueError says what is wrong."""
    return {
        "condition": CONDITION.read("condition", params.get("condition")),
        "seconds": float(SECONDS.read("seconds", params.get("seconds"))),
        "temperature": float(TEMPERATURE.read("temperature", params.get("temperature"))),
        "seed": int(SEED.read("seed", params.get("seed"))),
    }
