"""The colorization demo's parameters, checked the same way by the web process (before a job is
queued, so a bad value is a 422) and by the worker. No torch here: the web process imports it."""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_TEMPERATURE = 0.38  # the paper's choice (§3.3)
TEMPERATURE_RANGE = (0.01, 1.0)  # T -> 0 is the mode, T = 1 the mean; beyond 1 only flattens


def read_params(params: Mapping[str, object]) -> dict[str, float]:
    """{"temperature": float} from form or JSON values; ValueError says what is wrong."""
    raw = params.get("temperature", DEFAULT_TEMPERATURE)
    if raw in ("", None):
        raw = DEFAULT_TEMPERATURE
    try:
        temperature = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"temperature must be a number, not {raw!r}") from None
    low, high = TEMPERATURE_RANGE
    if not low <= temperature <= high:  # also refuses nan
        raise ValueError(f"temperature must lie between {low:g} and {high:g}, not {temperature:g}")
    return {"temperature": temperature}
