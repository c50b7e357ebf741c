"""The validation set (whole photos never trained on) and its figures: per photo, on average,
and issue 15's three targets."""

from __future__ import annotations

import pytest
import torch

from models.colorization import bins, validation
from models.colorization.data import training_photos
from models.colorization.net import ECCV16Colorizer, ECCV16Regressor
from models.colorization.turing import turing_photos


def test_the_set_is_the_turing_photos_whole_and_never_trained_on() -> None:
    photos = validation.validation_set()
    assert [photo.id for photo in photos] == [item.id for item in turing_photos()]
    assert len(photos) >= 14  # enough whole photos for stable means
    trained = {photo.path.name for photo in training_photos()}
    assert not trained & {item.photo.path.name for item in turing_photos()}
    for photo in photos:
        assert photo.lab.shape[0] == 3 and max(photo.lab.shape[1:]) == 384  # the whole photo, not a crop
        assert photo.rarity.shape == photo.lab.shape[1:] and bool((photo.rarity > 0).all())


def test_the_independent_set_is_the_sample_photos_of_scikit_learn_and_matplotlib_whole() -> None:
    photos = validation.independent_set()
    assert [photo.id for photo in photos] == ["china", "flower", "grace_hopper"]
    # never trained on: test_data.py checks no training photo comes from either package
    for photo in photos:
        assert photo.lab.shape[0] == 3 and max(photo.lab.shape[1:]) == 384  # the size of the Turing copies
        assert float(photo.lab[1:].abs().mean()) > 2  # colour photos, not grey ones


def test_rare_colours_weigh_more_in_the_rebalanced_auc() -> None:
    photos = validation.validation_set()
    lab = torch.cat([photo.lab[1:].flatten(1) for photo in photos], dim=1)
    rarity = torch.cat([photo.rarity.flatten() for photo in photos])
    chroma = lab.norm(dim=0)
    assert rarity[chroma > 40].mean() > 3 * rarity[chroma < 5].mean()


def test_the_truth_is_perfect_and_grey_has_no_colour() -> None:
    tables = {"grey": validation.per_photo(validation.grey_prediction),
              "ground_truth": validation.per_photo(validation.truth_prediction)}
    assert set(tables["grey"]) == {photo.id for photo in validation.validation_set()} | {"mean"}
    truth, grey = tables["ground_truth"]["mean"], tables["grey"]["mean"]
    assert truth["auc"] == pytest.approx(1.0, abs=1e-4) and truth["rebalanced_auc"] == pytest.approx(1.0, abs=1e-3)
    assert grey["mean_chroma"] == 0 and grey["colourfulness"] < 0.1
    assert 0.5 < grey["rebalanced_auc"] < grey["auc"] < 1  # grey loses more where colours are rare
    per_photo = [row["auc"] for name, row in tables["grey"].items() if name != "mean"]
    assert grey["auc"] == pytest.approx(sum(per_photo) / len(per_photo), abs=1e-4)


def test_report_scores_both_networks_and_leaves_them_as_they_were() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(0)
    centres = bins.gamut_bins()
    classifier = ECCV16Colorizer(num_bins=len(centres), width=0.0625)
    classifier.set_bin_centres(centres)
    regressor = ECCV16Regressor(width=0.0625)
    before = {name: tensor.clone() for name, tensor in classifier.state_dict().items()}
    tables = validation.report(classifier, regressor)
    assert set(tables) == {"classification", "regression", "grey", "ground_truth"}
    assert all(set(table["mean"]) == set(validation.FIGURES) for table in tables.values())
    assert classifier.training and regressor.training
    for name, tensor in classifier.state_dict().items():
        assert torch.equal(tensor, before[name]), name  # no BatchNorm statistics updated
    # a hotter temperature (towards the mean) gives a less colourful result
    bold = validation.report(classifier, temperature=0.05)["classification"]["mean"]
    mild = validation.report(classifier, temperature=1.0)["classification"]["mean"]
    assert bold["mean_chroma"] > mild["mean_chroma"]


def _tables(model: dict, grey: dict, truth: dict) -> dict:
    return {name: {"mean": row} for name, row in (("classification", model), ("grey", grey), ("ground_truth", truth))}


def test_the_targets_are_read_off_the_means() -> None:
    grey = {"auc": 0.84, "rebalanced_auc": 0.77, "colourfulness": 0.0}
    truth = {"auc": 1.0, "rebalanced_auc": 1.0, "colourfulness": 50.0}
    met = validation.targets(_tables({"auc": 0.835, "rebalanced_auc": 0.83, "colourfulness": 40.0}, grey, truth))
    assert all(row["met"] for row in met.values())
    assert met["colourfulness_vs_truth"]["value"] == 0.8
    missed = validation.targets(_tables({"auc": 0.82, "rebalanced_auc": 0.81, "colourfulness": 75.0}, grey, truth))
    assert not any(row["met"] for row in missed.values())
    assert missed["plain_auc_vs_grey"]["value"] == pytest.approx(-0.02)
