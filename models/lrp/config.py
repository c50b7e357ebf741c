"""Settings of the LRP demo's classifier and explanations, in one dataclass."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LeNetConfig:
    """LeNet-5-style widths (LeCun et al. 1998; the heatmapping.org MNIST demo): two 5x5
    convolutions with 2x2 pooling, three dense layers. No biases anywhere: a bias-free ReLU
    network maps a blank image to 0, so LRP-0 relevance sums exactly to the explained logit
    (nothing is absorbed by biases) and the box rule's reference point is well defined."""

    conv_channels: tuple[int, int] = (16, 32)
    hidden: tuple[int, int] = (120, 84)
    classes: int = 10
    image_size: int = 28


@dataclass(frozen=True)
class RuleConfig:
    """Parameters of the LRP rules (Montavon et al. 2019, §10.2)."""

    epsilon: float = 0.01  # absolute: absorbs about 1% of a logit of ~15 here (LRP-ε everywhere)
    gamma: float = 0.25  # favour positive contributions by this share
    low: float = 0.0  # z^B box: the darkest and brightest pixel the input can hold
    high: float = 1.0
    lrp0_stabilizer: float = 1e-9  # only keeps 0 / 0 of dead neurons from becoming nan
