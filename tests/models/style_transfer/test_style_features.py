"""The random feature network, the Gram matrix and the losses of both optimisation methods."""

from __future__ import annotations

import torch

from models.style_transfer.features import (
    LAYERS,
    RandomFeatures,
    content_loss,
    gram,
    style_loss,
    style_targets,
    tv_loss,
)
from models.style_transfer.optimise import stylise_by_optimisation, synthesise_texture


def test_gram_matches_a_hand_computation() -> None:
    # two channels over a 1 x 3 map: F = [[1, 2, 3], [0, 1, -1]]
    features = torch.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]]).reshape(1, 2, 1, 3)
    # G_ij = sum_k F_ik F_jk / 3: [[1+4+9, 0+2-3], [., 0+1+1]] / 3
    expected = torch.tensor([[[14.0, -1.0], [-1.0, 2.0]]]) / 3
    assert torch.allclose(gram(features), expected)


def test_features_are_fixed_by_the_seed() -> None:
    a, b, c = RandomFeatures(7), RandomFeatures(7), RandomFeatures(8)
    assert all(torch.equal(x.weight, y.weight) for x, y in zip(a.convs, b.convs, strict=True))
    assert not torch.equal(a.convs[0].weight, c.convs[0].weight)
    assert all(not p.requires_grad for p in a.parameters())
    maps = a(torch.rand(1, 3, 64, 64))
    assert [m.shape[1] for m in maps] == [layer[1] for layer in LAYERS]
    assert [m.shape[-1] for m in maps] == [64, 32, 16, 8]


def test_losses_vanish_at_the_target_and_not_elsewhere() -> None:
    torch.manual_seed(0)
    net = RandomFeatures()
    image, other = torch.rand(1, 3, 48, 48), torch.rand(1, 3, 48, 48) * 0.5
    maps = net(image)
    assert float(style_loss(maps, style_targets(net, image[0]))) < 1e-10
    assert float(content_loss(maps, maps)) == 0.0
    assert float(style_loss(net(other), style_targets(net, image[0]))) > 0.01
    assert float(tv_loss(torch.ones(1, 3, 8, 8))) == 0.0


def test_optimisation_lowers_the_losses_and_reports_progress() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(0)
    net = RandomFeatures()
    content = torch.rand(3, 32, 32) * 0.3 + 0.35
    style = torch.zeros(3, 32, 32)
    style[0, ::4] = 1.0  # red stripes on black
    calls = []
    image, losses = stylise_by_optimisation(net, content, style, steps=30, preview_every=10,
                                            on_step=lambda step, steps, img, t: calls.append((step, t["style"])))
    assert [step for step, _ in calls] == [10, 20, 30]
    assert image.shape == content.shape and float(image.min()) >= 0 and float(image.max()) <= 1
    with torch.no_grad():
        start = float(style_loss(net(content[None]), style_targets(net, style)))
    assert losses["style"] < 0.8 * start  # the content term holds it back; the style term still falls
    assert calls[-1][1] < calls[0][1]


def test_texture_synthesis_from_noise_matches_the_sample() -> None:
    torch.set_num_threads(1)
    net = RandomFeatures()
    sample = torch.zeros(3, 32, 32)
    sample[2, :, ::3] = 1.0
    seen = []
    texture, losses = synthesise_texture(net, sample, (24, 24), steps=40, preview_every=20,
                                         on_step=lambda step, steps, img, terms: seen.append(terms["style"]))
    assert texture.shape == (3, 24, 24)
    assert len(seen) == 2 and seen[-1] < seen[0]
