"""The generator keeps the photo's size and stays in [0, 1]; the classifier answers per class."""

from __future__ import annotations

import torch

from models.style_transfer.net import Generator, StyleClassifier, TextureGenerator
from models.style_transfer.train import TrainingPlan


def test_generator_output_shape_and_range() -> None:
    torch.manual_seed(0)
    plan = TrainingPlan()
    generator = Generator(plan.width, plan.blocks).eval()
    with torch.inference_mode():
        out = generator(torch.rand(2, 3, 36, 52))
    assert out.shape == (2, 3, 36, 52)
    assert float(out.min()) >= 0 and float(out.max()) <= 1
    size_mb = sum(p.numel() for p in generator.parameters()) * 4 / 2**20
    assert size_mb < 15


def test_classifier_answers_five_classes() -> None:
    assert StyleClassifier(5).eval()(torch.rand(3, 3, 64, 64)).shape == (3, 5)


def test_texture_generator_makes_any_size_and_the_seed_decides() -> None:
    torch.manual_seed(0)
    generator = TextureGenerator(width=4, scales=3).eval()
    texture = generator.sample(40, 64, seed=3)
    assert texture.shape == (3, 40, 64)
    assert float(texture.min()) >= 0 and float(texture.max()) <= 1
    assert torch.equal(texture, generator.sample(40, 64, seed=3))
    assert not torch.equal(texture, generator.sample(40, 64, seed=4))
