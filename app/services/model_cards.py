"""A demo's model card (`card.json` beside its weights), for the demo page: the validation
figures come from the training run, so the page shows what was measured, not what we hope."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from models.spec import DemoSpec


@dataclass(frozen=True)
class CardFigures:
    """What the demo page shows of a card: one sentence on the model, the validation table."""

    summary: str
    headings: list[str]  # metric columns
    rows: list[tuple[str, list]]  # (prediction, its figures in heading order)
    reading: str  # how to read the table, if the card says
    row_heading: str = "prediction"  # what the table's rows are (predictions, methods, detectors)


@lru_cache(maxsize=32)
def _read(path: Path, modified: float) -> dict | None:  # `modified` keys the cache
    try:
        card = json.loads(path.read_text())
    except (OSError, ValueError):
        return None  # a broken card hides the section; the demo itself still runs
    return card if isinstance(card, dict) else None


def model_card(spec: DemoSpec | None) -> dict | None:
    path = spec.card_path if spec is not None else None
    return _read(path, path.stat().st_mtime) if path is not None and path.is_file() else None


def _summary(card: dict) -> str:
    parts = [str(card.get("architecture", "The shipped model"))]
    if card.get("parameters"):
        parts.append(f"{card['parameters']:,} parameters")
    if card.get("steps"):
        trained = f"trained for {card['steps']} steps"
        if card.get("wall_time_minutes"):
            threads = card.get("threads", "?")
            trained += f" ({card['wall_time_minutes']} minutes on {threads} CPU thread{'' if threads == 1 else 's'})"
        if card.get("training_data"):
            trained += f" on {len(card['training_data'])} photos"
        parts.append(trained)
    sentence = ", ".join(parts) + "."
    measured = (card.get("crops") or {}).get("validation")
    if measured:
        held_out = (f" from {len(card['validation_data'])} photos it never trained on"
                    if card.get("validation_data") else "")
        sentence += f" Measured on {measured}{held_out}."
    return sentence


def card_figures(spec: DemoSpec | None) -> CardFigures | None:
    """The page's view of the spec's card; None when there is no card or no validation table."""
    card = model_card(spec)
    table = card.get("validation") if card else None
    if not isinstance(table, dict) or not table or not all(isinstance(row, dict) for row in table.values()):
        return None
    keys = list(next(iter(table.values())))
    return CardFigures(
        summary=_summary(card),
        headings=[spec.card_labels.get(key, key) for key in keys],  # an unknown key is shown as it is
        rows=[(name.replace("_", " "), [figures.get(key, "") for key in keys]) for name, figures in table.items()],
        reading=str(card.get("reading", "")),
        row_heading=str(card.get("row_heading", "prediction")),
    )
