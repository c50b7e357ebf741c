"""Training and validation photos, and the crops cut from them."""

from __future__ import annotations

import torch

from models.colorization.data import (
    MATE,
    CropSampler,
    load_rgb,
    training_photos,
    validation_crops,
    validation_photos,
)
from models.colorization.lab import rgb_to_lab

WALLPAPERS = "apt-get install mate-backgrounds plasma-workspace-wallpapers"


def _bundled_photos():
    """The held-out photos that ship with scikit-image (chelsea, coffee): always present."""
    photos = validation_photos()[:2]
    assert {photo.package for photo in photos} == {"scikit-image"}
    return photos


def test_every_listed_photo_exists() -> None:
    missing = [str(photo.path) for photo in training_photos() + validation_photos() if not photo.exists()]
    assert not missing, f"missing photos (is {MATE} there? `{WALLPAPERS}`): {missing}"


def test_no_validation_photo_is_used_for_training() -> None:
    training, validation = training_photos(), validation_photos()
    assert {p.path for p in training}.isdisjoint(p.path for p in validation)
    assert {p.name for p in training}.isdisjoint(p.name for p in validation)
    assert len(training) == len({p.path for p in training})  # no photo counted twice


def test_crops_are_lab_of_the_requested_shape() -> None:
    sampler = CropSampler(_bundled_photos(), crop=32, short_side=96)
    lab = sampler.batch(6, torch.Generator().manual_seed(0))
    assert lab.shape == (6, 3, 32, 32) and lab.dtype == torch.float32
    assert lab[:, 0].min() >= -1e-3 and lab[:, 0].max() <= 100 + 1e-3
    assert lab[:, 1:].abs().max() < 128
    assert lab[:, 1:].norm(dim=1).mean() > 2  # colour photos, not grey


def test_the_same_seed_gives_the_same_batch() -> None:
    sampler = CropSampler(_bundled_photos(), crop=32, short_side=96)
    first = sampler.batch(4, torch.Generator().manual_seed(7))
    assert torch.equal(first, sampler.batch(4, torch.Generator().manual_seed(7)))
    assert not torch.equal(first, sampler.batch(4, torch.Generator().manual_seed(8)))
    # one generator drawn twice moves on: a run does not see its first batch again
    generator = torch.Generator().manual_seed(7)
    sampler.batch(4, generator)
    assert not torch.equal(first, sampler.batch(4, generator))


def test_validation_crops_are_five_fixed_crops_per_photo() -> None:
    photos = _bundled_photos()
    crops = validation_crops(photos)
    assert crops.shape == (5 * len(photos), 3, 256, 256)
    assert torch.equal(crops, validation_crops(photos))  # no randomness: comparable across runs
    # coffee (400 x 600) is shrunk to a shorter side of 1.25 x 256; its crops follow chelsea's five
    shrunk = load_rgb(photos[1].path, short_side=320)
    assert shrunk.shape[1:] == (320, 480)
    assert torch.allclose(crops[5], rgb_to_lab(shrunk[:, :256, :256]))  # top left
    assert torch.allclose(crops[8], rgb_to_lab(shrunk[:, -256:, -256:]))  # bottom right
    assert torch.allclose(crops[9], rgb_to_lab(shrunk[:, 32:288, 112:368]))  # centre
    small = validation_crops(photos, size=64)
    assert small.shape == (10, 3, 64, 64)


def test_the_default_validation_set_is_every_held_out_photo() -> None:
    assert len(validation_crops(size=16)) == 5 * len(validation_photos())
