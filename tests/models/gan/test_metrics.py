"""The quality measures behave as their definitions say on sets whose answer is known."""

import torch

from models.gan import metrics


def test_precision_and_recall_of_identical_and_of_far_apart_sets() -> None:
    g = torch.Generator().manual_seed(0)
    real = torch.randn(200, 8, generator=g)
    assert metrics.precision_recall(real, real.clone()) == {"precision": 1.0, "recall": 1.0}
    far = metrics.precision_recall(real, real + 100)
    assert far == {"precision": 0.0, "recall": 0.0}
    # a generator that makes only one mode of the data: realistic, not diverse
    collapsed = real[:10].repeat(20, 1) + 0.001 * torch.randn(200, 8, generator=g)
    figures = metrics.precision_recall(real, collapsed)
    assert figures["precision"] > 0.9 and figures["recall"] < 0.3


def test_nearest_distance_finds_copies() -> None:
    g = torch.Generator().manual_seed(1)
    train = torch.randn(50, 4, generator=g)
    assert torch.all(metrics.nearest_distance(train[:5], train) == 0)
    assert torch.all(metrics.nearest_distance(train, train, skip_self=True) > 0)


def test_random_features_are_fixed_unit_vectors() -> None:
    images = torch.rand(3, 3, 64, 64) * 2 - 1
    a, b = metrics.RandomFeatures()(images), metrics.RandomFeatures()(images)
    assert torch.equal(a, b)  # seeded: every run measures in the same space
    assert torch.allclose(a.norm(dim=1), torch.ones(3))
    assert metrics.pixel_features(images).shape == (3, 3 * 32 * 32)
    # the pixel distance is the RMS difference
    d = metrics.nearest_distance(metrics.pixel_features(images[:1]), metrics.pixel_features(-images[:1]))
    small = torch.nn.functional.interpolate(images[:1], size=(32, 32), mode="bilinear", antialias=True)
    assert torch.allclose(d, (2 * small).pow(2).mean().sqrt().unsqueeze(0), atol=1e-5)
