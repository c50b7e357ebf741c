"""The Turing test's pairs: never trained on, made by the shipped weights (a pair regenerated
from its real copy matches the shipped fake), real and fake alike in size and format."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch
from PIL import Image

from models.colorization.spec import SHIPPED_WEIGHTS
from models.colorization.turing import PAIRS_DIR, colourize_copy, never_trained_on, turing_photos, write_pairs
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


def test_regenerating_the_pairs_keeps_the_real_copies(tmp_path) -> None:
    # the real copies are the validation set, and some originals are in packages we do not install
    from models.colorization.spec import SPEC

    for item in turing_photos():
        shutil.copy(PAIRS_DIR / f"{item.id}-real.jpg", tmp_path)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    manifest = write_pairs(ModelCache(torch.device("cpu")).get(SPEC), "f" * 64, tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert json.loads((tmp_path / "pairs.json").read_text()) == manifest and manifest["weights_sha256"] == "f" * 64
    for item in turing_photos():
        fake, real = (Image.open(tmp_path / f"{item.id}-{kind}.jpg") for kind in ("model", "real"))
        assert fake.size == real.size
