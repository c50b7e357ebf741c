"""A demo's model card (`card.json` beside its weights), for the demo page: the validation
figures come from the training run, so the page shows what was measured, not what we hope."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from models.registry import DemoSpec

# Column headings for the metric keys cards use; an unknown key is shown as it is.
METRIC_LABELS = {
    "auc": "AuC of ab error, 0-150",
    "mean_chroma": "mean chroma",
    "colourfulness": "colourfulness",
}


@lru_cache(maxsize=32)
def _read(path: Path, modified: float) -> dict | None:  # noqa: ARG001 - `modified` keys the cache
    try:
        card = json.loads(path.read_text())
    except (OSError, ValueError):
        return None  # a broken card hides the section; the demo itself still runs
    return card if isinstance(card, dict) else None


def model_card(spec: DemoSpec | None) -> dict | None:
    if spec is None or not spec.weights:
        return None
    path = spec.weights[0].location.with_name("card.json")
    return _read(path, path.stat().st_mtime) if path.is_file() else None
