"""The LRP demo's parameters, checked the same way by the web process (before a job is queued,
so a bad value is a 422) and by the worker. No torch here: the web process imports it.

`RULES` names every explanation method once, with a line a page can show beside it; the LRP
rules follow Montavon et al. 2019 (and Bach et al. 2015), the baselines Samek et al. 2016.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

SIZE = 28  # the network sees 28 x 28 pixels
CLASSES = 10

RULES: dict[str, str] = {
    "composite": ("LRP-ε on dense layers, LRP-γ on convolutions, z^B box rule at the input "
                  "(as Montavon et al. 2019 advise)"),
    "composite_plus": "LRP-ε on dense layers, LRP-α1β0 (z+) on convolutions, z^B box rule at the input",
    "lrp0": "LRP-0 on every layer: exact redistribution, equal to gradient x input for this network",
    "epsilon": "LRP-ε on every layer: a small ε absorbs weak, contradictory contributions",
    "gamma": "LRP-γ on every layer: positive contributions weighted up by γ = 0.25",
    "alpha2beta1": "LRP-α2β1 on every layer: positive evidence counted twice, negative once",
    "alpha1beta0": "LRP-α1β0 (z+) on every layer: positive evidence only",
    "sensitivity": "baseline: squared gradient of the explained logit (sensitivity analysis)",
    "gradient_input": "baseline: gradient times input",
    "random": "baseline: random relevance, the floor of the perturbation test",
}
DEFAULT_RULE = "composite"
ALL = "all"  # every rule at once: the default rule's result plus `explanations` for each rule
LRP_RULES = tuple(name for name in RULES if name not in ("sensitivity", "gradient_input", "random"))
DEFAULTS: dict[str, object] = {"rule": DEFAULT_RULE, "target": None, "contrast": None, "pixels": None}


def read_params(params: Mapping[str, object]) -> dict:
    """{"rule", "target", "contrast", "pixels"} from form or JSON values; ValueError says what
    is wrong. An empty target means the predicted class; an empty contrast means none."""
    rule = _read_rule(params.get("rule"))
    target = _read_class(params.get("target"), "target")
    contrast = _read_class(params.get("contrast"), "contrast")
    if contrast is not None and contrast == target:
        raise ValueError(f"contrast must differ from target (both are {target})")
    return {"rule": rule, "target": target, "contrast": contrast, "pixels": _read_pixels(params.get("pixels"))}


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _read_rule(raw: object) -> str:
    if _is_empty(raw):
        return DEFAULT_RULE
    if not isinstance(raw, str) or (raw.strip() not in RULES and raw.strip() != ALL):
        raise ValueError(f"rule must be one of {', '.join([*RULES, ALL])}, not {raw!r}")
    return raw.strip()


def _read_class(raw: object, name: str) -> int | None:
    if _is_empty(raw):
        return None
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int):  # True is an int to Python, not a class
        raise ValueError(f"{name} must be a digit class 0 to {CLASSES - 1} or empty, not {raw!r}")
    if not 0 <= raw < CLASSES:
        raise ValueError(f"{name} must lie between 0 and {CLASSES - 1}, not {raw}")
    return raw


def _read_pixels(raw: object) -> list[list[float]] | None:
    """A 28 x 28 nested list (or its JSON text, as a form sends it) of numbers in [0, 1]."""
    if _is_empty(raw):
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise ValueError("pixels must be a 28 x 28 list of numbers (JSON), not unreadable text") from None
    if (not isinstance(raw, list) or len(raw) != SIZE
            or any(not isinstance(row, list) or len(row) != SIZE for row in raw)):
        raise ValueError(f"pixels must be {SIZE} rows of {SIZE} numbers")
    rows = []
    for row in raw:
        if any(isinstance(value, bool) or not isinstance(value, (int, float)) for value in row):
            raise ValueError("pixels must hold numbers only")
        if any(not 0 <= value <= 1 for value in row):  # also refuses nan
            bad = next(value for value in row if not 0 <= value <= 1)
            raise ValueError(f"pixels must lie between 0 and 1, not {bad!r}")
        rows.append([float(value) for value in row])
    return rows
