"""Settings of the colorization demo (Zhang, Isola, Efros, ECCV 2016), in one dataclass."""

from __future__ import annotations

from dataclasses import dataclass

from models.colorization.params import TEMPERATURE

OFFICIAL_NUM_BINS = 313  # output bins of the released ECCV16 checkpoint (richzhang/colorization)


@dataclass(frozen=True)
class ColorizationConfig:
    grid_size: float = 10.0  # width of an ab cell (paper §3.1)
    sigma: float = 5.0  # Gaussian for soft-encoding and for smoothing the prior
    neighbours: int = 5  # bin centres each ab target is spread over
    rebalance_lambda: float = 0.5  # weight of the uniform distribution in the mix (λ)
    temperature: float = TEMPERATURE.default  # annealed mean: T -> 0 is the mode, T = 1 the mean
    # Input and output normalisation of the official port: (L - 50) / 100 in, ab * 110 out.
    l_centre: float = 50.0
    l_norm: float = 100.0
    ab_norm: float = 110.0
    working_size: int = 256  # the network sees L resized to working_size x working_size
    width: float = 1.0  # channel multiplier; 1.0 matches the official checkpoint
    num_bins: int = OFFICIAL_NUM_BINS  # Q of the network; see bins.gamut_bins for our own count
