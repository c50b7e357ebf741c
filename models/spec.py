"""The demo contract: what a demo package declares about itself in its `spec.py`.

A `DemoSpec` is plain data (no torch), so the web process reads it without loading any
network: the page builds its form and widget from it, the API checks inputs against it, the
CLI finds the demo's training and evaluation commands in it, and workers resolve its dotted
entry points to load and run the model. docs/architecture.md describes the whole contract.
"""

from __future__ import annotations

import hashlib
import importlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

MODELS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class WeightsFile:
    path: Path  # absolute, or relative to models/
    sha256: str
    make_command: str  # what recreates it: `marginalia train <demo>` or the set-up step

    @property
    def location(self) -> Path:
        return self.path if self.path.is_absolute() else MODELS_DIR / self.path


def sha256_of(path: Path) -> str:
    """The checksum a spec promises for a weights file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- inputs: each declared once, with its default and range ----------------------------------
@dataclass(frozen=True)
class NumberInput:
    """A number field; form values arrive as strings, JSON values as numbers."""

    description: str
    default: float
    minimum: float
    maximum: float
    step: float | None = None  # the slider's step on the page
    integer: bool = False

    def read(self, name: str, raw: object) -> float | int:
        """The checked value (the default when blank); ValueError says what is wrong."""
        if raw in ("", None):
            return self.default
        if isinstance(raw, bool):
            raise ValueError(f"{name} must be a number, not {raw!r}")
        try:
            value = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a number, not {raw!r}") from None
        if not self.minimum <= value <= self.maximum:  # also refuses nan
            raise ValueError(f"{name} must lie between {self.minimum:g} and {self.maximum:g}, not {value:g}")
        if self.integer:
            if not math.isclose(value, round(value)):
                raise ValueError(f"{name} must be a whole number, not {value:g}")
            return int(round(value))
        return value


@dataclass(frozen=True)
class ChoiceInput:
    description: str
    default: str
    choices: tuple[str, ...]
    labels: Mapping[str, str] = field(default_factory=dict)  # choice -> a line a page shows beside it

    def read(self, name: str, raw: object) -> str:
        if raw in ("", None):
            return self.default
        if raw not in self.choices:
            raise ValueError(f"{name} must be one of {', '.join(self.choices)}, not {raw!r}")
        return str(raw)


@dataclass(frozen=True)
class FileInput:
    """An upload: `kind` says how the platform checks and normalises it before a job sees it
    (images become PNG, EXIF-rotated, at most the spec's working size; audio is bounded)."""

    description: str
    kind: Literal["image", "audio", "file"] = "file"
    required: bool = True


@dataclass(frozen=True)
class ValueInput:
    """A free-form value (a JSON array, say) the demo's own `check_params` checks."""

    description: str


Input = NumberInput | ChoiceInput | FileInput | ValueInput


# --- the spec ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoSpec:
    name: str
    title: str
    paper: str  # slug of the summary it belongs to
    # "package.module:function", called as function(weights, device) -> model
    entry_point: str = ""
    # "package.module:function", called as function(model, params, inputs, out_dir, progress)
    # -> JSON-able dict; `inputs` maps upload fields to files, result files go in `out_dir`.
    predict: str = ""
    blurb: str = ""  # one line for the demo list and the paper margin
    status: Literal["live", "planned"] = "live"  # planned: announced on /demos, no model yet
    inputs: Mapping[str, Input] = field(default_factory=dict)
    # "package.module:function"(params) -> checked params, raising ValueError; torch-free, since
    # the web process calls it before a job is queued. Without it, `check_inputs` alone runs.
    check_params: str = ""
    # "package.module:function"(checked params, names of the uploads sent): a torch-free check of
    # what depends on both (a photo is needed unless a texture is asked for); ValueError if wrong.
    check_uploads: str = ""
    # Inputs of which a submission must carry at least one (a drawn `image` or its `pixels`):
    # checked with the uploads, before anything is stored.
    one_of: tuple[str, ...] = ()
    working_size: int = 512  # longest side uploaded images are brought down to
    # shortest side an uploaded image may have once brought down (a network whose padding needs
    # a few pixels after its downsampling refuses smaller ones with a 422, not a crash)
    min_image_side: int = 1
    max_audio_seconds: float = 30.0
    audio_rates: tuple[int, int] = (8000, 48000)
    output: str = "application/json"  # media type of the result
    result_file: str = ""  # the file `?wait=` answers with when a job writes several
    weights: tuple[WeightsFile, ...] = ()
    preload: bool = False  # load when a worker starts, not on the first job
    timeout_seconds: float = 60.0
    explanation: str = ""  # "what you are seeing": the result in the paper's terms (markdown)
    # The page: a folder of the package holding `widget.html` (a Jinja template, included on the
    # demo page and, with `compact` set, in its papers' margins), `widget.js` (the module that
    # drives it) and the files they use, served at /demo-assets/<name>/. Empty: the generic form.
    page_dir: Path | None = None
    thumbnail: str = ""  # image URL for the demo list; default: the page folder's thumbnail.svg
    card_labels: Mapping[str, str] = field(default_factory=dict)  # card metric key -> heading
    # "package.module:function"(argv) -> exit status: `marginalia train|evaluate <name> ...`
    train: str = ""
    evaluate: str = ""

    @property
    def live(self) -> bool:
        return self.status == "live"

    @property
    def files(self) -> tuple[str, ...]:
        """Uploads the demo cannot run without."""
        return tuple(n for n, spec in self.inputs.items() if isinstance(spec, FileInput) and spec.required)

    def uploads_of(self, kind: str) -> tuple[str, ...]:
        return tuple(n for n, spec in self.inputs.items() if isinstance(spec, FileInput) and spec.kind == kind)

    @property
    def widget(self) -> str:
        """The widget's template name in the app's loader ("<name>/widget.html"), or ""."""
        return f"{self.name}/widget.html" if self.page_dir and (self.page_dir / "widget.html").is_file() else ""

    @property
    def script(self) -> str:
        return (f"/demo-assets/{self.name}/widget.js"
                if self.page_dir and (self.page_dir / "widget.js").is_file() else "")

    @property
    def thumbnail_url(self) -> str:
        if self.thumbnail:
            return self.thumbnail
        if self.page_dir and (self.page_dir / "thumbnail.svg").is_file():
            return f"/demo-assets/{self.name}/thumbnail.svg"
        return ""

    @property
    def card_path(self) -> Path | None:
        return self.weights[0].location.with_name("card.json") if self.weights else None


def check_inputs(spec: DemoSpec, params: Mapping[str, object]) -> dict[str, Any]:
    """The declared non-file inputs read with their defaults and ranges, then the demo's own
    check; ValueError says what is wrong. What it returns is what the job stores and runs with."""
    checked: dict[str, Any] = {}
    for name, declared in spec.inputs.items():
        if isinstance(declared, NumberInput | ChoiceInput):
            checked[name] = declared.read(name, params.get(name))
        elif isinstance(declared, ValueInput) and name in params:
            checked[name] = params[name]
    if spec.check_params:
        checked = resolve_entry_point(spec.check_params)(checked)
    return checked


def resolve_entry_point(dotted: str) -> Callable[..., Any]:
    """The object a "package.module:attribute" string names, imported on demand."""
    module_name, _, attribute = dotted.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
