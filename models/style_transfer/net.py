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


def _texture_block(c_in: int, c_out: int) -> nn.Sequential:
    """Ulyanov et al.'s block: 3x3, 3x3, 1x1 convolutions, each normalised, LeakyReLU."""
    layers: list[nn.Module] = []
    for kernel in (3, 3, 1):
        layers += [nn.ReflectionPad2d(kernel // 2), nn.Conv2d(c_in, c_out, kernel),
                   nn.InstanceNorm2d(c_out, affine=True), nn.LeakyReLU(0.1)]
        c_in = c_out
    return nn.Sequential(*layers)


class TextureGenerator(nn.Module):
    """Noise -> texture, the multi-scale generator of Texture Networks (Ulyanov et al. 2016,
    fig. 2), narrowed: noise at `scales` resolutions (1/1 ... 1/2^(scales-1)); from the coarsest
    up, each scale's noise goes through a block, is upsampled x2 and joined (channel concat)
    with the next finer scale's block; a 1x1 convolution makes RGB. Fully convolutional, so one
    trained network makes textures of any size (sides multiples of 2^(scales-1))."""

    NOISE_CHANNELS = 3

    def __init__(self, width: int = 8, scales: int = 4) -> None:
        super().__init__()
        self.width, self.scales = width, scales
        self.noise_blocks = nn.ModuleList(_texture_block(self.NOISE_CHANNELS, width) for _ in range(scales))
        # join k (k = 1 .. scales-1): the running stack (k * width channels) + the new scale's width
        self.join_blocks = nn.ModuleList(_texture_block((k + 1) * width, (k + 1) * width) for k in range(1, scales))
        self.out = nn.Conv2d(scales * width, 3, 1)

    def noise(self, count: int, height: int, width: int,
              generator: torch.Generator | None = None) -> list[torch.Tensor]:
        """Uniform noise at every scale, finest first: [(count, 3, H / 2^k, W / 2^k)]."""
        return [torch.rand(count, self.NOISE_CHANNELS, height >> k, width >> k, generator=generator)
                for k in range(self.scales)]

    def forward(self, noise: list[torch.Tensor]) -> torch.Tensor:
        h = self.noise_blocks[-1](noise[-1])  # coarsest
        for k in range(self.scales - 2, -1, -1):
            h = F.interpolate(h, scale_factor=2, mode="nearest")
            h = self.join_blocks[self.scales - 2 - k](torch.cat((h, self.noise_blocks[k](noise[k])), dim=1))
        return torch.sigmoid(self.out(h))

    def sample(self, height: int, width: int, seed: int) -> torch.Tensor:
        """One (3, H, W) texture in [0, 1], the same for the same seed."""
        generator = torch.Generator().manual_seed(seed)
        with torch.inference_mode():
            return self(self.noise(1, height, width, generator))[0]
