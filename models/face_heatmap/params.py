"""The face heat-map demo's parameters, declared once: the spec's inputs, the page's controls,
the API description, the check before a job is queued (a bad value is a 422) and the worker all
read `THRESHOLD`, `MIN_FACE` and `STAGES`. No torch here: the web process imports it."""

from __future__ import annotations

from collections.abc import Mapping

from models.spec import NumberInput

THRESHOLD = NumberInput(
    "P-Net face probability a window needs to become a candidate, 0.05 to 0.99 (default 0.6)",
    default=0.6,  # the authors' first-stage threshold
    minimum=0.05,  # below this nearly every window of a textured photo passes
    maximum=0.99,
    step=0.01,
)
MIN_FACE = NumberInput(
    "smallest face looked for, in pixels, 12 to 1000 (default 20): sets the pyramid's first scale",
    default=20,  # first scale 12 / 20: faces down to 20 px, as in the authors' demo
    minimum=12,  # P-Net's own window; smaller would mean enlarging the photo
    maximum=1000,
    step=1,
    integer=True,
)
STAGES = NumberInput(
    "networks run: 1 (P-Net alone, the raw heat-map detector), 2 (+ R-Net) or 3 (+ O-Net, landmarks)",
    default=3,
    minimum=1,
    maximum=3,
    step=1,
    integer=True,
)

DEFAULT_THRESHOLD, THRESHOLD_RANGE = THRESHOLD.default, (THRESHOLD.minimum, THRESHOLD.maximum)
DEFAULT_MIN_FACE, MIN_FACE_RANGE = int(MIN_FACE.default), (int(MIN_FACE.minimum), int(MIN_FACE.maximum))
DEFAULT_STAGES = int(STAGES.default)


def read_params(params: Mapping[str, object]) -> dict:
    """{"threshold": float, "min_face": int, "stages": int} from form or JSON values (form
    values arrive as strings; blank means the default); ValueError says what is wrong."""
    return {
        "threshold": float(THRESHOLD.read("threshold", params.get("threshold"))),
        "min_face": int(MIN_FACE.read("min_face", params.get("min_face"))),
        "stages": int(STAGES.read("stages", params.get("stages"))),
    }
