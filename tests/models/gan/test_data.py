"""The rendered emoji set and its augmentation."""

import numpy as np
import torch

from models.gan.data import Augmenter, emoji_set, to_tensor


def test_the_emoji_set_is_colourful_split_and_cached() -> None:
    data = emoji_set()
    assert data["train"].shape[1:] == (72, 72, 3) and data["train"].dtype == np.uint8
    assert len(data["train"]) > 1000 and len(data["held_out"]) > 100
    assert not set(data["train_codepoints"]) & set(data["held_out_codepoints"])
    x = to_tensor(data["train"][:64], 64)
    assert x.shape == (64, 3, 64, 64) and -1 <= x.min() and x.max() <= 1
    assert (x[:, :, 0, 0] > 0.95).all()  # white corners: the emoji sit on white
    saturation = x.max(1).values - x.min(1).values
    assert saturation.mean() > 0.3  # colourful, not line art


def test_augmentation_is_seeded_and_in_range() -> None:
    images = emoji_set()["train"][:16]
    a = Augmenter(images, 64, torch.Generator().manual_seed(3)).batch(8)
    b = Augmenter(images, 64, torch.Generator().manual_seed(3)).batch(8)
    c = Augmenter(images, 32, torch.Generator().manual_seed(4)).batch(8)
    assert a.shape == (8, 3, 64, 64) and c.shape == (8, 3, 32, 32)
    assert torch.equal(a, b)
    assert a.min() >= -1 and a.max() <= 1
