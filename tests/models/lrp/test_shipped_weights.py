"""The shipped weights and their card: the accuracy on the 1,000 held-out digits is recomputed
here, not read back, and equals the card's; the AOPC ordering of Samek et al. 2016 (LRP above
sensitivity above random) holds on a fixed subset of 100 test digits."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import torch

from models.lrp import data
from models.lrp.evaluate import PerturbationPlan, evaluate
from models.lrp.params import LRP_RULES, RULES

from .conftest import WEIGHTS

CARD = WEIGHTS.parent / "card.json"


@pytest.fixture(scope="module")
def card() -> dict:
    return json.loads(CARD.read_text())


def test_the_card_describes_the_shipped_file(card: dict) -> None:
    assert card["file"] == WEIGHTS.name and card["sha256"] == hashlib.sha256(WEIGHTS.read_bytes()).hexdigest()
    assert card["size_kb"] < 1024 and card["wall_time_minutes"] < 30
    assert (WEIGHTS.parent / "README.md").read_text().count(card["sha256"]) == 1


def test_accuracy_on_the_held_out_digits_is_the_cards(shipped, card: dict) -> None:
    images, labels = data.test_digits()
    with torch.inference_mode():
        predicted = shipped(images).argmax(dim=1)
    accuracy = round(float((predicted == labels).float().mean()), 4)
    assert accuracy >= 0.97
    assert accuracy == card["test_accuracy"]


def test_aopc_orders_lrp_above_sensitivity_above_random_on_100_digits(shipped) -> None:
    images, labels = data.test_digits()
    plan = PerturbationPlan(fills=("background",), methods=("composite", "sensitivity", "random"))
    aopc = evaluate(shipped, plan=plan, images=images[::10], labels=labels[::10])["aopc"]["background"]
    assert aopc["composite"] > aopc["sensitivity"] + 1 > aopc["random"] + 2


def test_the_card_holds_the_aopc_table_and_curves(card: dict) -> None:
    methods = {*RULES, "ink"}
    steps = card["perturbation"]["plan"]["steps"]
    assert card["perturbation"]["digits"] == 1000
    for fill in ("background", "uniform"):
        assert set(card["aopc"][fill]) == methods
        assert all(len(curve) == steps + 1 and curve[-1] == card["aopc"][fill][name]
                   for name, curve in card["aopc_curves"][fill].items())
    main = card["aopc"]["background"]
    assert min(main[rule] for rule in LRP_RULES) > main["sensitivity"] > main["random"]  # the paper's ordering
    assert min(main[rule] for rule in LRP_RULES) > main["ink"]  # more than "where the ink is"


def test_the_readme_shows_every_figure(card: dict) -> None:
    readme = (WEIGHTS.parent / "README.md").read_text()
    assert f"{100 * card['test_accuracy']:.1f}%" in readme
    for name, value in card["aopc"]["background"].items():
        assert f"| `{name}` | {value:.2f} | {card['aopc']['uniform'][name]:.2f} |" in readme


def test_the_weights_are_found_relative_to_the_package() -> None:
    assert WEIGHTS == Path(__file__).resolve().parents[3] / "models" / "lrp" / "weights" / "lenet5.pt"
