"""The Turing test's pairs: never trained on, made by the shipped weights (a pair regenerated
from its real copy matches the shipped fake), real and fake alike in size and format."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image

from models.colorization.spec import SHIPPED_WEIGHTS
from models.colorization.turing import PAIRS_DIR, colourize_copy, never_trained_on, turing_photos
from models.loading import ModelCache


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((PAIRS_DIR / "pairs.json").read_text())


def test_the_photos_are_never_trained_on_and_all_shipped(manifest) -> None:
    assert never_trained_on()
    assert [p["id"] for p in manifest["pairs"]] == [item.id for item in turing_photos()]
    assert len(manifest["pairs"]) >= 10  # a game is ten rounds of distinct pairs
    for pair in manifest["pairs"]:
        real, fake = (Image.open(PAIRS_DIR / f"{pair['id']}-{kind}.jpg") for kind in ("real", "model"))
        assert real.format == fake.format == "JPEG" and real.size == fake.size and max(real.size) <= 384


def test_the_fakes_are_the_shipped_models(manifest) -> None:
    from models.colorization.spec import SPEC

    assert manifest["weights_sha256"] == SHIPPED_WEIGHTS.sha256
    model = ModelCache(torch.device("cpu")).get(SPEC)
    for pair in manifest["pairs"][:3]:
        again = np.asarray(colourize_copy(model, PAIRS_DIR / f"{pair['id']}-real.jpg"), dtype=float)
        shipped = np.asarray(Image.open(PAIRS_DIR / f"{pair['id']}-model.jpg").convert("RGB"), dtype=float)
        assert np.abs(again - shipped).mean() < 3  # JPEG's loss only
        real = np.asarray(Image.open(PAIRS_DIR / f"{pair['id']}-real.jpg").convert("RGB"), dtype=float)
        assert np.abs(real - shipped).mean() > 3  # and it is not the real photo
