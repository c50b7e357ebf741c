"""Model cards for demo pages: read beside the weights, re-read when the file changes, and a
broken or missing card hides the section instead of breaking the page."""

import os
from pathlib import Path

from app.services.model_cards import model_card
from models.registry import DemoSpec, WeightsFile


def _spec(folder: Path) -> DemoSpec:
    return DemoSpec("toy", "Toy", "wave-toy", "x:y", weights=(WeightsFile(folder / "w.pt", "0" * 64, "make it"),))


def test_card_is_read_and_reread_after_a_change(tmp_path) -> None:
    card = tmp_path / "card.json"
    card.write_text('{"validation": {"model": {"auc": 0.5}}}')
    assert model_card(_spec(tmp_path))["validation"]["model"]["auc"] == 0.5
    card.write_text('{"validation": {"model": {"auc": 0.75}}}')
    os.utime(card, (1, 1))  # a new modification time, as an export gives
    assert model_card(_spec(tmp_path))["validation"]["model"]["auc"] == 0.75


def test_missing_or_broken_cards_give_none(tmp_path) -> None:
    assert model_card(_spec(tmp_path)) is None
    assert model_card(None) is None
    (tmp_path / "card.json").write_text("{not json")
    assert model_card(_spec(tmp_path)) is None
    (tmp_path / "card.json").write_text("[1, 2]")
    assert model_card(_spec(tmp_path)) is None
