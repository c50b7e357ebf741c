"""Model cards for demo pages: read beside the weights, re-read when the file changes, and a
broken or missing card hides the section instead of breaking the page."""

import os
from pathlib import Path

from app.services.model_cards import card_figures, model_card
from models.spec import DemoSpec, WeightsFile


def _spec(folder: Path) -> DemoSpec:
    return DemoSpec("toy", "Toy", "wave-toy", "x:y", weights=(WeightsFile(folder / "w.pt", "0" * 64, "make it"),),
                    card_labels={"auc": "AuC of ab error, 0-150"})


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


def test_the_page_figures_follow_the_card(tmp_path) -> None:
    (tmp_path / "card.json").write_text(
        '{"architecture": "A net", "parameters": 1234, "steps": 10, "wall_time_minutes": 2.5, "threads": 2,'
        ' "validation": {"model": {"auc": 0.8, "size": 3}, "ground_truth": {"auc": 1.0, "size": 4}}}'
    )
    figures = card_figures(_spec(tmp_path))
    assert figures.summary == "A net, 1,234 parameters, trained for 10 steps (2.5 minutes on 2 CPU threads)."
    assert figures.headings == ["AuC of ab error, 0-150", "size"]  # known keys get labels
    assert figures.rows == [("model", [0.8, 3]), ("ground truth", [1.0, 4])]
    (tmp_path / "card.json").write_text('{"validation": {"model": 0.8}}')
    os.utime(tmp_path / "card.json", (2, 2))
    assert card_figures(_spec(tmp_path)) is None  # not a table of figures: no section
