"""The demo registry: data, not code.

Each demo is a `DemoSpec`: its name, the paper it belongs to, its input and output contract,
its weights (path, sha256, and the command that makes or fetches them) and its entry point as
a dotted string. The web process reads specs only; workers resolve the entry point and load
the network (`models.loading`). Demos add their spec here as they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
    weights: tuple[WeightsFile, ...] = ()
    preload: bool = False  # load when a worker starts, not on the first job
    explanation: str = ""  # "what you are seeing": the result in the paper's terms (markdown)
    timeout_seconds: float = 60.0


# Filled in by the demo issues (colorization, style transfer, ...): none is registered yet.
DEMOS: tuple[DemoSpec, ...] = ()


class UnknownDemo(KeyError):
    pass


def find_demo(name: str, demos: tuple[DemoSpec, ...] = DEMOS) -> DemoSpec:
    for spec in demos:
        if spec.name == name:
            return spec
    raise UnknownDemo(name)


def load_specs(dotted: str) -> tuple[DemoSpec, ...]:
    """The specs named by a setting such as "models.registry:DEMOS" (tests name their own)."""
    import importlib

    module_name, _, attribute = dotted.partition(":")
    return tuple(getattr(importlib.import_module(module_name), attribute))
