"""The colorization demo's one parameter, declared once: the spec's inputs, the page's slider,
the API description, the check before a job is queued and the worker all read `TEMPERATURE`.
No torch here: the web process imports it."""

from __future__ import annotations

from collections.abc import Mapping

from models.spec import NumberInput

TEMPERATURE = NumberInput(
    "annealed-mean temperature from 0.01 to 1 (default 0.38): lower is bolder, 1 is the plain mean",
    default=0.38,  # the paper's choice (§3.3)
    minimum=0.01,  # T -> 0 is the mode, T = 1 the mean; beyond 1 only flattens
    maximum=1.0,
    step=0.01,
)
DEFAULT_TEMPERATURE = TEMPERATURE.default
TEMPERATURE_RANGE = (TEMPERATURE.minimum, TEMPERATURE.maximum)


def read_params(params: Mapping[str, object]) -> dict[str, float]:
    """{"temperature": float} from form or JSON values; ValueError says what is wrong."""
    return {"temperature": float(TEMPERATURE.read("temperature", params.get("temperature")))}
