"""The GAN demo's parameters, declared once and checked the same way by the web process (before
a job is queued, so a bad value is a 422) and by the worker. No torch here.

One endpoint takes four operations; `read_params` checks the arguments each one needs:

- `sample`: `seed`, `count` -> `count` images and their latents (the same seed, the same images);
- `project`: an uploaded `image` -> its closest image on the generator's manifold, and latent;
- `edit`: a start (`latent`, or an `image` to project first) and `strokes` -> `candidates`
  edited images and latents, each optimised from its own start near the given latent;
- `interpolate`: two ends (`latent` or `image`, `latent_b` or `image_b`) -> `steps` frames.

A stroke is a JSON object in image coordinates (0 to SIZE, x to the right, y down):
`{"kind": "colour", "color": "#e03c28", "width": 6, "points": [[x, y], ...]}` asks for that
colour under the stroke; `{"kind": "sketch", "width": 2, "points": [...]}` asks for an edge along it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from models.spec import ChoiceInput, FileInput, NumberInput, ValueInput

SIZE = 64  # side of the generator's images; strokes are in these pixels
NZ = 100  # latent length
OPERATIONS = ("sample", "project", "edit", "interpolate")
STROKE_KINDS = ("colour", "sketch")
MAX_STROKES = 64
MAX_POINTS = 512  # per stroke
MAX_WIDTH = 32.0
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

OPERATION = ChoiceInput(
    "what to do: `sample` random images, `project` an uploaded image, `edit` with strokes, `interpolate` two ends",
    default="sample", choices=OPERATIONS,
    labels={"sample": "random images from a seed", "project": "the closest image the generator can make",
            "edit": "colour and sketch strokes, several candidates", "interpolate": "frames between two images"},
)
INPUTS = {
    "operation": OPERATION,
    "seed": NumberInput("sample: the random seed (the same seed gives the same images)", 0, 0, 2**31 - 1, 1, True),
    "count": NumberInput("sample: how many images", 8, 1, 32, 1, True),
    "image": FileInput("project, edit or interpolate: a picture to bring onto the manifold (centred, square "
                       "works best)", kind="image", required=False),
    "image_b": FileInput("interpolate: the second picture", kind="image", required=False),
    "latent": ValueInput(f"edit or interpolate: a latent vector, {NZ} numbers in [-1, 1] (JSON)"),
    "latent_b": ValueInput(f"interpolate: the second latent vector, {NZ} numbers in [-1, 1] (JSON)"),
    "strokes": ValueInput("edit: a JSON list of strokes, each {kind: colour|sketch, color: #rrggbb (colour only), "
                          f"width: 1-{MAX_WIDTH:g}, points: [[x, y], ...] in 0-{SIZE} image pixels}}"),
    "candidates": NumberInput("edit: how many candidates to optimise at once", 4, 1, 8, 1, True),
    "iterations": NumberInput("edit and project: optimisation steps on z", 30, 1, 200, 1, True),
    "prior": NumberInput("edit: weight of the prior that keeps z near its start", 1.0, 0, 10, 0.1),
    "steps": NumberInput("interpolate: frames from one end to the other, both included", 8, 2, 16, 1, True),
}


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _json(raw: object, name: str) -> object:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            raise ValueError(f"{name} must be JSON, not unreadable text") from None
    return raw


def _number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value == value  # not nan


def read_latent(raw: object, name: str = "latent") -> list[float] | None:
    """NZ numbers in [-1, 1] (a list or its JSON text), or None when empty."""
    if _is_empty(raw):
        return None
    value = _json(raw, name)
    if not isinstance(value, list) or len(value) != NZ:
        size = len(value) if isinstance(value, list) else type(value).__name__
        raise ValueError(f"{name} must be a list of {NZ} numbers, not {size}")
    if not all(_number(v) and -1 <= v <= 1 for v in value):
        raise ValueError(f"{name} must hold numbers between -1 and 1")
    return [float(v) for v in value]


def read_strokes(raw: object) -> list[dict]:
    """The checked strokes (colour as "#rrggbb", width, points as [x, y] floats); [] when empty."""
    if _is_empty(raw):
        return []
    value = _json(raw, "strokes")
    if not isinstance(value, list):
        raise ValueError("strokes must be a list of stroke objects")
    if len(value) > MAX_STROKES:
        raise ValueError(f"at most {MAX_STROKES} strokes, not {len(value)}")
    return [_read_stroke(stroke, i) for i, stroke in enumerate(value)]


def _read_stroke(stroke: object, index: int) -> dict:
    where = f"stroke {index}"
    if not isinstance(stroke, dict):
        raise ValueError(f"{where} must be an object with kind, width and points")
    kind = stroke.get("kind")
    if kind not in STROKE_KINDS:
        raise ValueError(f"{where}: kind must be one of {', '.join(STROKE_KINDS)}, not {kind!r}")
    width = stroke.get("width", 4)
    if not _number(width) or not 1 <= width <= MAX_WIDTH:
        raise ValueError(f"{where}: width must be a number from 1 to {MAX_WIDTH:g}")
    points = stroke.get("points")
    if not isinstance(points, list) or not 1 <= len(points) <= MAX_POINTS:
        raise ValueError(f"{where}: points must be a list of 1 to {MAX_POINTS} [x, y] pairs")
    for point in points:
        if (not isinstance(point, list | tuple) or len(point) != 2 or not all(_number(v) for v in point)
                or not all(0 <= v <= SIZE for v in point)):
            raise ValueError(f"{where}: each point must be [x, y] with 0 <= x, y <= {SIZE}, not {point!r}")
    checked = {"kind": kind, "width": float(width), "points": [[float(x), float(y)] for x, y in points]}
    if kind == "colour":
        colour = stroke.get("color")
        if not isinstance(colour, str) or not COLOUR.match(colour):
            raise ValueError(f"{where}: a colour stroke needs color as #rrggbb, not {colour!r}")
        checked["color"] = colour.lower()
    return checked


def read_params(params: Mapping[str, object]) -> dict:
    """The declared inputs already read (numbers, operation), plus latents and strokes checked
    against the operation; ValueError says what is wrong."""
    checked = dict(params)
    operation = checked.get("operation", OPERATION.default)
    checked["latent"] = read_latent(params.get("latent"))
    checked["latent_b"] = read_latent(params.get("latent_b"), "latent_b")
    checked["strokes"] = read_strokes(params.get("strokes"))
    if operation == "edit" and not checked["strokes"]:
        raise ValueError("edit needs strokes: at least one colour or sketch stroke")
    if operation != "edit" and checked["strokes"]:
        raise ValueError(f"strokes are for edit, not {operation}")
    if operation in ("sample", "project") and (checked["latent"] or checked["latent_b"]):
        raise ValueError(f"{operation} takes no latent")
    if operation == "edit" and checked["latent_b"]:
        raise ValueError("edit takes one start: latent (or image), not latent_b")
    return checked


def check_uploads(params: Mapping[str, object], uploads: frozenset[str]) -> None:
    """What each operation needs from latents and uploads together; ValueError if it is missing."""
    operation = params.get("operation", OPERATION.default)
    has_a = params.get("latent") is not None or "image" in uploads
    has_b = params.get("latent_b") is not None or "image_b" in uploads
    if operation == "sample" and uploads:
        raise ValueError("sample takes no image")
    if operation == "project" and ("image" not in uploads or "image_b" in uploads):
        raise ValueError("project needs one image (the `image` upload)")
    if operation == "edit":
        if not has_a or "image_b" in uploads:
            raise ValueError("edit needs a start: a latent or an image")
        if params.get("latent") is not None and "image" in uploads:
            raise ValueError("edit starts from a latent or an image, not both")
    if operation == "interpolate":
        if not (has_a and has_b):
            raise ValueError("interpolate needs two ends: latent or image, and latent_b or image_b")
        if (params.get("latent") is not None and "image" in uploads) or (
                params.get("latent_b") is not None and "image_b" in uploads):
            raise ValueError("each end of an interpolation is a latent or an image, not both")
