"""The demo registry: data, not code.

Each demo is a `DemoSpec`: its name, the paper it belongs to, its input and output contract,
its weights (path, sha256, and the command that makes or fetches them) and its entry point as
a dotted string. The web process reads specs only; workers resolve the entry point and load
the network (`models.loading`). Demos add their spec here as they arrive.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODELS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class WeightsFile:
    path: Path  # absolute, or relative to models/
    sha256: str
    make_command: str  # what recreates it: `marginalia train <demo>` or the set-up step

    @property
    def location(self) -> Path:
        return self.path if self.path.is_absolute() else MODELS_DIR / self.path


@dataclass(frozen=True)
class DemoSpec:
    name: str
    title: str
    paper: str  # slug of the summary it belongs to
    entry_point: str  # "package.module:function", called as function(weights, device) -> model
    # "package.module:function", called as function(model, params, inputs, out_dir, progress)
    # -> JSON-able dict; `inputs` maps upload fields to files, result files go in `out_dir`.
    predict: str = ""
    inputs: dict[str, str] = field(default_factory=dict)  # field -> description
    files: tuple[str, ...] = ()  # uploads the demo needs
    optional_files: tuple[str, ...] = ()  # uploads it can do without
    image_inputs: tuple[str, ...] = ()  # uploads checked and stored as images (PNG)
    audio_inputs: tuple[str, ...] = ()  # uploads checked as audio
    working_size: int = 512  # longest side images are brought down to
    max_audio_seconds: float = 30.0
    audio_rates: tuple[int, int] = (8000, 48000)
    output: str = "application/json"  # media type of the result
    result_file: str = ""  # the file `?wait=` answers with when a job writes several
    # "package.module:function"(params) -> params, raising ValueError for a bad value; torch-free,
    # since the web process calls it to refuse bad input (422) before a job is queued
    check_params: str = ""
    weights: tuple[WeightsFile, ...] = ()
    preload: bool = False  # load when a worker starts, not on the first job
    explanation: str = ""  # "what you are seeing": the result in the paper's terms (markdown)
    timeout_seconds: float = 60.0


COLORIZATION_EXPLANATION = """\
The network never sees colour. It gets the lightness channel $L$ of your photo (CIE Lab) and,
for every 4x4 patch, predicts a probability for each of 262 colour bins, the cells of a grid of
width 10 over the $ab$ plane that hold a displayable sRGB colour (the paper counts 313).

It was trained as a classifier, with rare colours weighted up (class rebalancing), because a
regression on $ab$ averages the plausible colours of an object into a dull brown. The
distribution is turned into one colour by the **annealed mean**: sharpen it with temperature
$T$, then take its mean. $T \\to 0$ gives the most likely bin (vivid, blotchy), $T = 1$ the
mean (smooth, faded); the paper settles on $T = 0.38$. Move the slider to see the trade-off,
and click the result to see the distribution at one point.

The model here is a narrow copy of the paper's network (a quarter of the channels) trained on
this machine's CPU for under an hour on about two dozen free photos, so expect skies, grass and
foliage to work better than faces or objects it has never seen. How it compares with the
regression baseline and with plain grey is measured below; the full model card is in
`models/colorization/weights/`.
"""


def colorization_spec(weights: WeightsFile) -> DemoSpec:
    """The colorization demo around any ECCV16 checkpoint: ours, or the official full-width
    one (see models/colorization/weights/README.md for pointing a server at it)."""
    return DemoSpec(
        name="colorization",
        title="Colorization",
        paper="colorful-image-colorization",
        entry_point="models.colorization.predict:load",
        predict="models.colorization.predict:predict",
        check_params="models.colorization.params:read_params",
        inputs={
            "image": "a photo, colour or black and white (PNG, JPEG, WebP, GIF, BMP or TIFF)",
            "temperature": "annealed-mean temperature from 0.01 to 1 (default 0.38): lower is bolder, 1 is the plain mean",
        },
        files=("image",),
        image_inputs=("image",),
        working_size=4096,  # the upload keeps its size up to this; the network sees 256 px
        output="image/png",
        result_file="colorized.png",
        weights=(weights,),
        preload=True,
        timeout_seconds=60,
        explanation=COLORIZATION_EXPLANATION,
    )


# Filled in by the demo issues as they arrive.
DEMOS: tuple[DemoSpec, ...] = (
    colorization_spec(
        WeightsFile(
            Path("colorization/weights/eccv16-narrow.pt"),
            "e466973117fcc9949bfe4100c5e9c987d3127730b1425ae1c07671eb9ff8ab41",
            "marginalia train colorization",
        )
    ),
)


class UnknownDemo(KeyError):
    pass


def find_demo(name: str, demos: tuple[DemoSpec, ...] = DEMOS) -> DemoSpec:
    for spec in demos:
        if spec.name == name:
            return spec
    raise UnknownDemo(name)


def resolve_entry_point(dotted: str) -> Callable[..., Any]:
    """The object a "package.module:attribute" string names, imported on demand."""
    module_name, _, attribute = dotted.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def load_specs(dotted: str) -> tuple[DemoSpec, ...]:
    """The specs named by a setting such as "models.registry:DEMOS" (tests name their own)."""
    return tuple(resolve_entry_point(dotted))
