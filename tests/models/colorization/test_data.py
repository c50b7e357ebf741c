"""Training photos and the crops cut from them (the validation photos: test_validation.py)."""

from __future__ import annotations

import pytest
import torch

from models.colorization import bins
from models.colorization.data import MATE, PHOTO_SETS, CropSampler, training_photos
from models.colorization.turing import turing_photos

PACKAGES = "apt-get install mate-backgrounds plasma-workspace-wallpapers lomiri-wallpapers-16.04 opencv-doc"
FETCH = "python -m models.colorization.fetch"  # the photos of packages we do not install


def _bundled_photos():
    """The training photos that ship with scikit-image (astronaut, rocket): always present."""
    photos = training_photos()[:2]
    assert {photo.package for photo in photos} == {"scikit-image"}
    return photos


def test_every_listed_photo_exists() -> None:
    missing = [str(photo.path) for photo in training_photos() if not photo.exists()]
    assert not missing, f"missing photos (is {MATE} there? `{PACKAGES}`, then `{FETCH}`): {missing}"


def test_no_validation_photo_is_used_for_training() -> None:
    training, validation = training_photos(), [item.photo for item in turing_photos()]
    assert {p.path for p in training}.isdisjoint(p.path for p in validation)
    assert {p.name for p in training}.isdisjoint(p.name for p in validation)
    assert len(training) == len({p.path for p in training})  # no photo counted twice


def test_the_independent_check_photos_are_never_trained_on() -> None:
    # scikit-learn's and matplotlib's sample photos are kept for an independent check (issue 15)
    assert not {p.package for p in training_photos()} & {"scikit-learn", "matplotlib"}
    assert not any("sklearn" in str(p.path) or "matplotlib" in str(p.path) for p in training_photos())


def test_exposure_jitter_changes_lightness_but_keeps_the_crop() -> None:
    plain = CropSampler(_bundled_photos(), crop=32, short_side=96)
    jittered = CropSampler(_bundled_photos(), crop=32, short_side=96, gamma=1.5)
    a, b = (sampler.batch(8, torch.Generator().manual_seed(3)) for sampler in (plain, jittered))
    assert a.shape == b.shape and not torch.allclose(a[:, 0], b[:, 0], atol=0.5)
    # the same crops, only brighter or darker: L moves together, far from independent noise
    assert torch.corrcoef(torch.stack((a[:, 0].flatten(), b[:, 0].flatten())))[0, 1] > 0.9


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


def test_weighted_sampling_draws_each_photo_by_its_weight() -> None:
    photos = _bundled_photos()
    only_first = CropSampler(photos, crop=16, short_side=48, weights=[1.0, 0.0])
    generator = torch.Generator().manual_seed(5)
    assert all(only_first._photo_index(generator) == 0 for _ in range(200))
    mixed = CropSampler(photos, crop=16, short_side=48, weights=[3.0, 1.0])
    draws = [mixed._photo_index(generator) for _ in range(4000)]
    assert abs(draws.count(0) / len(draws) - 0.75) < 0.03
    with pytest.raises(ValueError, match="one non-negative weight per photo"):
        CropSampler(photos, crop=16, short_side=48, weights=[1.0])


def test_the_colour_prior_follows_the_sampling_weights() -> None:
    photos = _bundled_photos()
    centres = bins.gamut_bins()
    uniform = CropSampler(photos, crop=16, short_side=48)
    # unweighted: every pixel of every photo alike, as before weights existed
    assert torch.equal(uniform.colour_prior(centres), bins.empirical_prior(uniform.all_pixels_ab(), centres))
    singles = [CropSampler((photo,), crop=16, short_side=48).colour_prior(centres) for photo in photos]
    weighted = CropSampler(photos, crop=16, short_side=48, weights=[3.0, 1.0]).colour_prior(centres)
    assert torch.allclose(weighted, 0.75 * singles[0] + 0.25 * singles[1], atol=1e-6)
    assert weighted.sum() == pytest.approx(1.0, abs=1e-6)


def test_the_curated_set_is_a_part_of_all_the_training_photos() -> None:
    curated, everything = PHOTO_SETS["curated"](), PHOTO_SETS["all"]()
    assert everything[: len(curated)] == curated and len(everything) > 4 * len(curated)
    assert {photo.package for photo in everything[len(curated):]}.isdisjoint(photo.package for photo in curated)
