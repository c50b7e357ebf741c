"""The ECCV16 colorization network of Colorful Image Colorization (Zhang, Isola, Efros, ECCV 2016).

Eight blocks of 2-3 convolutions (§3, Fig. 2): no pooling; blocks 1-3 halve the resolution with
a stride-2 last conv, blocks 5-6 widen the receptive field with dilation 2, block 8 opens with a
stride-2 transposed conv, so the Q-way softmax comes out at a quarter of the input size. At
width 1.0 the state_dict keys and shapes equal the official PyTorch port's (richzhang/colorization,
colorizers/eccv16.py), so its released checkpoint loads with `load_state_dict`.
"""

from __future__ import annotations

import torch
from torch import nn

from models.colorization.bins import annealed_mean
from models.colorization.config import ColorizationConfig


def conv_block(channels: list[int], *, last_stride: int = 1, dilation: int = 1, norm: bool = True) -> nn.Sequential:
    """[conv 3x3, ReLU] per channel step, the last one with `last_stride`, then BatchNorm.
    Layer order (conv at 0, 2, 4; norm last) keeps the official key names (model1.0, model1.4...)."""
    layers: list[nn.Module] = []
    steps = list(zip(channels[:-1], channels[1:], strict=True))
    for i, (c_in, c_out) in enumerate(steps):
        stride = last_stride if i == len(steps) - 1 else 1
        layers += [nn.Conv2d(c_in, c_out, 3, stride=stride, padding=dilation, dilation=dilation), nn.ReLU(True)]
    if norm:
        layers.append(nn.BatchNorm2d(channels[-1]))
    return nn.Sequential(*layers)


def up_block(c_in: int, c_mid: int, num_bins: int) -> nn.Sequential:
    """Block 8: transposed conv 4x4 stride 2 (doubles H, W), two 3x3 convs, 1x1 conv to Q bins."""
    return nn.Sequential(
        nn.ConvTranspose2d(c_in, c_mid, 4, stride=2, padding=1),
        nn.ReLU(True),
        nn.Conv2d(c_mid, c_mid, 3, padding=1),
        nn.ReLU(True),
        nn.Conv2d(c_mid, c_mid, 3, padding=1),
        nn.ReLU(True),
        nn.Conv2d(c_mid, num_bins, 1),  # logits over the Q ab bins
    )


class ECCV16Colorizer(nn.Module):
    """L (B, 1, H, W) in [0, 100] -> bin probabilities Z (B, Q, H/4, W/4); H, W multiples of 8.

    `num_bins` is Q: 313 for the official checkpoint, len(bins.gamut_bins()) for a network
    trained on our own gamut. `model_out` is the port's 1x1 conv Q -> 2 without bias whose
    weight holds the bin centres / ab_norm (its T = 1 mean readout); we keep it so that a loaded
    checkpoint brings its own centres (`bin_centres`), and read out with the annealed mean."""

    def __init__(self, *, num_bins: int = 313, width: float = 1.0, config: ColorizationConfig | None = None,
                 channels: tuple[int, int, int, int] | None = None) -> None:
        super().__init__()
        self.config = config or ColorizationConfig()
        # `channels` (blocks 1, 2, 3, 4-7) overrides `width`: a checkpoint's own shapes say them
        c64, c128, c256, c512 = channels or tuple(max(1, round(c * width)) for c in (64, 128, 256, 512))
        self.model1 = conv_block([1, c64, c64], last_stride=2)  # (B, c64, H/2, W/2)
        self.model2 = conv_block([c64, c128, c128], last_stride=2)  # (B, c128, H/4, W/4)
        self.model3 = conv_block([c128, c256, c256, c256], last_stride=2)  # (B, c256, H/8, W/8)
        self.model4 = conv_block([c256, c512, c512, c512])  # (B, c512, H/8, W/8)
        self.model5 = conv_block([c512, c512, c512, c512], dilation=2)  # same size, wider view
        self.model6 = conv_block([c512, c512, c512, c512], dilation=2)
        self.model7 = conv_block([c512, c512, c512, c512])
        self.model8 = up_block(c512, c256, num_bins)  # (B, Q, H/4, W/4)
        self.softmax = nn.Softmax(dim=1)
        self.model_out = nn.Conv2d(num_bins, 2, 1, bias=False)  # (B, Q, h, w) -> (B, 2, h, w)
        nn.init.zeros_(self.model_out.weight)  # set by `set_bin_centres` or a checkpoint
        self.upsample4 = nn.Upsample(scale_factor=4, mode="bilinear")

    def logits(self, light: torch.Tensor) -> torch.Tensor:
        x = (light - self.config.l_centre) / self.config.l_norm  # (B, 1, H, W), about [-0.5, 0.5]
        for block in (self.model1, self.model2, self.model3, self.model4, self.model5, self.model6, self.model7):
            x = block(x)  # (B, c512, H/8, W/8) after block 7
        return self.model8(x)  # (B, Q, H/4, W/4)

    def forward(self, light: torch.Tensor) -> torch.Tensor:
        return self.softmax(self.logits(light))  # (B, Q, H/4, W/4), sums to 1 over Q

    @property
    def bin_centres(self) -> torch.Tensor:
        return self.model_out.weight[:, :, 0, 0].t() * self.config.ab_norm  # (Q, 2)

    @torch.no_grad()
    def set_bin_centres(self, centres: torch.Tensor) -> None:
        self.model_out.weight.copy_((centres.t() / self.config.ab_norm).view_as(self.model_out.weight))

    def colorize_ab(self, light: torch.Tensor, *, temperature: float | None = None) -> torch.Tensor:
        """L (B, 1, H, W) -> ab (B, 2, H, W): annealed mean at quarter size, then upsampled x4."""
        temperature = self.config.temperature if temperature is None else temperature
        ab = annealed_mean(self(light), self.bin_centres, temperature=temperature)  # (B, 2, H/4, W/4)
        return self.upsample4(ab)


class ECCV16Regressor(ECCV16Colorizer):
    """The paper's baseline: the same network with block 8 ending in 2 channels, trained with an
    L2 loss on ab / ab_norm. It predicts one ab per pixel, so it has no distribution to anneal."""

    def __init__(self, *, width: float = 1.0, config: ColorizationConfig | None = None) -> None:
        super().__init__(num_bins=2, width=width, config=config)

    def regress(self, light: torch.Tensor) -> torch.Tensor:
        return self.logits(light)  # (B, 2, H/4, W/4), ab / ab_norm

    def colorize_ab(self, light: torch.Tensor, *, temperature: float | None = None) -> torch.Tensor:
        return self.upsample4(self.regress(light) * self.config.ab_norm)  # (B, 2, H, W)
