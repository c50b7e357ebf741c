"""The classifier the demo explains: a LeNet-5-style CNN (LeCun et al. 1998) as in the
heatmapping.org MNIST demo of Bach et al. 2015 (PLOS ONE): conv-pool-conv-pool-dense, ReLU.

It is a plain `nn.Sequential` ending in the logit layer, so an explanation can swap that last
layer for a one-output readout (`explain.readout`) and LRP rules can be attached per layer.
Pooling is average pooling (LeNet's subsampling; the LRP toolbox's sum pooling up to a
constant): LRP redistributes through it in proportion to the inputs. No layer has a bias
(see `LeNetConfig`).
"""

from __future__ import annotations

from collections import OrderedDict

from torch import nn

from models.lrp.config import LeNetConfig


def conv_stage(c_in: int, c_out: int, *, padding: int) -> list[tuple[str, nn.Module]]:
    """5x5 convolution, ReLU, 2x2 average pooling (halves H and W)."""
    return [
        ("conv", nn.Conv2d(c_in, c_out, 5, padding=padding, bias=False)),
        ("relu", nn.ReLU()),
        ("pool", nn.AvgPool2d(2)),
    ]


class LeNet5(nn.Sequential):
    """Pixels (B, 1, 28, 28) in [0, 1], ink bright -> logits (B, 10)."""

    def __init__(self, config: LeNetConfig | None = None) -> None:
        config = config or LeNetConfig()
        c1, c2 = config.conv_channels
        h1, h2 = config.hidden
        side = ((config.image_size // 2) - 4) // 2  # 28 -> pool 14 -> conv 10 -> pool 5
        layers = [
            *((f"{name}1", module) for name, module in conv_stage(1, c1, padding=2)),  # (B, c1, 14, 14)
            *((f"{name}2", module) for name, module in conv_stage(c1, c2, padding=0)),  # (B, c2, 5, 5)
            ("flatten", nn.Flatten()),  # (B, c2 * 25)
            ("fc1", nn.Linear(c2 * side * side, h1, bias=False)),
            ("relu3", nn.ReLU()),
            ("fc2", nn.Linear(h1, h2, bias=False)),
            ("relu4", nn.ReLU()),
            ("logits", nn.Linear(h2, config.classes, bias=False)),  # (B, 10)
        ]
        super().__init__(OrderedDict(layers))
        self.config = config
