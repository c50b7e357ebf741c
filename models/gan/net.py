"""DCGAN generator and discriminator (Radford, Metz, Chintala 2015) and the iGAN encoder.

The generator maps z, uniform in [-1, 1]^nz as in the DCGAN and iGAN papers, through fractionally
strided convolutions with batch normalisation and ReLU to a tanh image in [-1, 1]. The
discriminator mirrors it with strided convolutions and leaky ReLU. The encoder (iGAN's "P") has
the discriminator's body and ends in nz tanh outputs, so its guess always lies in the latent box.
"""

from __future__ import annotations

import torch
from torch import nn


def _levels(size: int) -> int:
    levels = {32: 3, 64: 4}.get(size)
    if levels is None:
        raise ValueError(f"image size must be 32 or 64, not {size}")
    return levels


class Generator(nn.Module):
    def __init__(self, nz: int = 100, width: int = 64, size: int = 64) -> None:
        super().__init__()
        self.nz, self.width, self.size = nz, width, size
        levels = _levels(size)
        channels = [width * 2 ** (levels - 1 - i) for i in range(levels)]  # e.g. 512, 256, 128, 64
        layers: list[nn.Module] = [
            nn.ConvTranspose2d(nz, channels[0], 4, 1, 0, bias=False), nn.BatchNorm2d(channels[0]), nn.ReLU(True)]
        for cin, cout in zip(channels, channels[1:], strict=False):
            layers += [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True)]
        layers += [nn.ConvTranspose2d(channels[-1], 3, 4, 2, 1), nn.Tanh()]
        self.main = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """(B, nz) -> (B, 3, size, size) in [-1, 1]."""
        return self.main(z.view(z.shape[0], self.nz, 1, 1))


class _Body(nn.Module):
    """Strided 4x4 convolutions, image -> (B, width * 2^(levels-1), 4, 4)."""

    def __init__(self, width: int, size: int) -> None:
        super().__init__()
        levels = _levels(size)
        channels = [width * 2 ** i for i in range(levels)]
        layers: list[nn.Module] = [nn.Conv2d(3, channels[0], 4, 2, 1), nn.LeakyReLU(0.2, True)]
        for cin, cout in zip(channels, channels[1:], strict=False):
            layers += [nn.Conv2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2, True)]
        self.main = nn.Sequential(*layers)
        self.out_channels = channels[-1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x)


class Discriminator(nn.Module):
    def __init__(self, width: int = 64, size: int = 64) -> None:
        super().__init__()
        self.width, self.size = width, size
        self.body = _Body(width, size)
        self.head = nn.Conv2d(self.body.out_channels, 1, 4, 1, 0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 3, size, size) -> (B,) logits, high for images that look like the training set."""
        return self.head(self.body(x)).flatten()


class Encoder(nn.Module):
    def __init__(self, nz: int = 100, width: int = 64, size: int = 64) -> None:
        super().__init__()
        self.nz, self.width, self.size = nz, width, size
        self.body = _Body(width, size)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(self.body.out_channels * 16, nz), nn.Tanh())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 3, size, size) -> (B, nz) in (-1, 1)."""
        return self.head(self.body(x))


def init_weights(module: nn.Module) -> None:
    """DCGAN's initialisation: convolutions N(0, 0.02), batch-norm scales N(1, 0.02)."""
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
