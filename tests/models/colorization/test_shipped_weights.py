"""The shipped colorization weights: they load through the registry (checksum verified), and
their validation figures are recomputed here, not read back: the classifier beats grey on the
AuC of ab error and colours far more than grey, and the model card's figures are reproduced."""

import json
from pathlib import Path

import pytest
import torch

from models.colorization import metrics
from models.colorization.data import validation_crops, validation_photos
from models.loading import ModelCache
from models.registry import DEMOS, find_demo

CARD = Path(__file__).resolve().parents[3] / "models" / "colorization" / "weights" / "card.json"


@pytest.fixture(scope="module")
def classifier():
    torch.set_num_threads(2)
    return ModelCache(torch.device("cpu")).get(find_demo("colorization", DEMOS))


@pytest.fixture(scope="module")
def card() -> dict:
    return json.loads(CARD.read_text())


def _colorize(classifier, crops: torch.Tensor) -> torch.Tensor:
    with torch.inference_mode():
        ab = torch.cat([classifier.colorize_ab(chunk) for chunk in crops[:, :1].split(5)])
    return torch.cat((crops[:, :1], ab), dim=1)


def test_beats_grey_on_held_out_scikit_image_photos(classifier) -> None:
    crops = validation_crops(validation_photos()[:2])  # the cat and the coffee cup: 10 crops
    predicted = _colorize(classifier, crops)
    assert metrics.ab_error_auc(predicted, crops) > metrics.ab_error_auc(metrics.grey(crops), crops)
    assert metrics.mean_chroma(predicted) > 10  # grey is 0; the photos themselves are ~30
    assert metrics.colourfulness(predicted) > 15


def test_the_model_card_figures_are_reproduced(classifier, card) -> None:
    assert all(photo.exists() for photo in validation_photos()), "install the wallpaper packages (make system-packages)"
    crops = validation_crops()
    figures = metrics.report(_colorize(classifier, crops), crops)
    for name, value in card["validation"]["classification"].items():
        assert figures[name] == pytest.approx(value, abs=1e-3 if name == "auc" else 0.1), name


def test_the_card_shows_the_papers_claims(card) -> None:
    figures = card["validation"]
    assert figures["classification"]["auc"] > figures["grey"]["auc"]
    assert figures["classification"]["colourfulness"] > figures["regression"]["colourfulness"]
    assert card["size_mb"] <= 15 and card["wall_time_minutes"] <= 90
