"""The feed-forward generator (Johnson et al. 2016, narrowed for CPUs) and the small style
classifier the evaluation uses to judge its outputs."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def _conv(c_in: int, c_out: int, kernel: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.ReflectionPad2d(kernel // 2),
        nn.Conv2d(c_in, c_out, kernel, stride=stride),
        nn.InstanceNorm2d(c_out, affine=True),
    )


class Residual(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.a = _conv(channels, channels, 3)
        self.b = _conv(channels, channels, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.b(F.relu(self.a(x)))


class Upsample(nn.Module):
    """Nearest-neighbour x2 then a convolution (no checkerboard of transposed convolutions)."""

    def __init__(self, c_in: int, c_out: int) -> None:
        super().__init__()
        self.conv = _conv(c_in, c_out, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class Generator(nn.Module):
    """Photo (B, 3, H, W) in [0, 1] -> stylised photo, same size, in [0, 1]. Two stride-2
    convolutions down, `blocks` residual blocks at a quarter size, two upsamplings, instance
    normalisation throughout (Ulyanov et al. 2016), plus a skip from the photo to the output (see
    `forward`). H and W must be multiples of 4."""

    def __init__(self, width: int = 16, blocks: int = 3) -> None:
        super().__init__()
        self.width, self.blocks = width, blocks
        self.down = nn.Sequential(
            _conv(3, width, 5), nn.ReLU(),
            _conv(width, 2 * width, 3, stride=2), nn.ReLU(),
            _conv(2 * width, 2 * width, 3, stride=2), nn.ReLU(),
        )
        self.res = nn.Sequential(*(Residual(2 * width) for _ in range(blocks)))
        self.up = nn.Sequential(Upsample(2 * width, 2 * width), nn.ReLU(), Upsample(2 * width, width), nn.ReLU())
        self.out = nn.Sequential(nn.ReflectionPad2d(2), nn.Conv2d(width, 3, 5))
        self.skip = nn.Parameter(torch.ones(1, 3, 1, 1))  # the photo's share of the output logit, per channel

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # A skip from the photo (in logit space, with a learnt gain) to the output: a few minutes
        # of CPU training cannot teach a plain Johnson network to reproduce the content, and
        # the gain lets it still pale or fade the photo where a style asks for it.
        photo = torch.logit(x.clamp(0.01, 0.99))
        return torch.sigmoid(self.skip * photo + self.out(self.up(self.res(self.down(x)))))


class StyleClassifier(nn.Module):
    """Crop (B, 3, 64, 64) -> logits over the styles plus "photo" (the last class)."""

    def __init__(self, classes: int) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in = 3
        for c_out in (16, 32, 48):
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c_out
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(2 * c_in, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.body(x)
        pooled = torch.cat((h.mean(dim=(2, 3)), h.amax(dim=(2, 3))), dim=1)
        return self.head(pooled)
