"""The fixed feature network and the losses of style transfer.

No pretrained VGG is available offline, so the features are those of a seeded network of
random convolutions (Ustyuzhaninov et al. 2017, "What does it take to generate natural
textures?"): random filters at several receptive fields with a ReLU capture enough image
statistics for Gram-matrix textures. Four layers, each a random convolution + ReLU, with
strides 1, 2, 2, 2 and kernels 3, 5, 5, 5, see the image at receptive fields of 3, 7, 15 and
31 pixels (at the 256 px working size, up to an eighth of the picture). The weights come from
`torch.Generator().manual_seed(seed)`: the same seed gives the same network on every machine,
so no weights file is needed for it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

FEATURE_SEED = 1508  # arXiv 1508.06576 (Gatys et al.)
# (in channels, out channels, kernel, stride) per layer
LAYERS: tuple[tuple[int, int, int, int], ...] = ((3, 32, 3, 1), (32, 48, 5, 2), (48, 64, 5, 2), (64, 96, 5, 2))
CONTENT_LAYERS = (0, 1, 2)  # the first three layers (receptive fields 3, 7, 15 px): content = their maps
RECEPTIVE_FIELDS = (3, 7, 15, 31)


class RandomFeatures(nn.Module):
    """x (B, 3, H, W) in [0, 1] -> the ReLU maps of every layer. Frozen, seeded, deterministic."""

    def __init__(self, seed: int = FEATURE_SEED) -> None:
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.seed = seed
        self.convs = nn.ModuleList()
        for c_in, c_out, kernel, stride in LAYERS:
            conv = nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, padding_mode="reflect",
                             bias=False)
            weight = torch.randn(conv.weight.shape, generator=generator)
            weight -= weight.mean(dim=(2, 3), keepdim=True)  # zero-mean filters: respond to structure,
            weight += torch.randn(c_out, c_in, 1, 1, generator=generator) / kernel  # plus a little colour
            conv.weight.data = weight * (2.0 / (c_in * kernel * kernel)) ** 0.5  # He scaling keeps the scale
            conv.weight.requires_grad_(False)
            self.convs.append(conv)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        maps, h = [], (x - 0.5) * 2
        for conv in self.convs:
            h = F.relu(conv(h))
            maps.append(h)
        return maps


def gram(features: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) -> (B, C, C): G_ij = sum_k F_ik F_jk / (H W), the mean over positions."""
    b, c, h, w = features.shape
    flat = features.reshape(b, c, h * w)
    return flat @ flat.transpose(1, 2) / (h * w)


def style_targets(net: RandomFeatures, style: torch.Tensor) -> list[torch.Tensor]:
    """(3, H, W) style image -> its Gram matrix per layer, each (1, C, C)."""
    with torch.no_grad():
        return [gram(m) for m in net(style[None])]


def style_loss(maps: list[torch.Tensor], targets: list[torch.Tensor]) -> torch.Tensor:
    """Gram MSE summed over layers, each relative to its target's size (||G - A||² / ||A||²), so
    layers of different scales count equally; averaged over the batch."""
    total = maps[0].new_zeros(())
    for m, target in zip(maps, targets, strict=True):
        g = gram(m)
        total = total + ((g - target) ** 2).sum(dim=(1, 2)).mean() / (target ** 2).sum(dim=(1, 2)).mean()
    return total


def content_loss(maps: list[torch.Tensor], content_maps: list[torch.Tensor]) -> torch.Tensor:
    """MSE of the content layers' maps, each relative to the content's mean square, averaged."""
    total = maps[0].new_zeros(())
    for layer in CONTENT_LAYERS:
        target = content_maps[layer]
        total = total + F.mse_loss(maps[layer], target) / (target ** 2).mean().clamp_min(1e-8)
    return total / len(CONTENT_LAYERS)


def tv_loss(x: torch.Tensor) -> torch.Tensor:
    """Total variation: mean squared difference of neighbouring pixels."""
    return ((x[..., 1:, :] - x[..., :-1, :]) ** 2).mean() + ((x[..., :, 1:] - x[..., :, :-1]) ** 2).mean()
