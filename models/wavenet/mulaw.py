"""Mu-law companding and 256-level quantisation (WaveNet §2.2), in numpy: no torch.

f(x) = sign(x) ln(1 + mu |x|) / ln(1 + mu) squeezes [-1, 1] so that quiet samples get more of
the 256 levels than loud ones; the network predicts a softmax over those levels.
"""

from __future__ import annotations

import numpy as np

MU = 255
LEVELS = MU + 1
SILENCE = LEVELS // 2  # what 0.0 encodes to (256 levels have no exact zero: it decodes to 8.6e-5)


def compress(audio: np.ndarray, mu: int = MU) -> np.ndarray:
    """f(x) for x in [-1, 1] (values beyond are clipped), as float64 in [-1, 1]."""
    x = np.clip(np.asarray(audio, dtype=np.float64), -1.0, 1.0)
    return np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)


def expand(companded: np.ndarray, mu: int = MU) -> np.ndarray:
    """The inverse of `compress`."""
    y = np.asarray(companded, dtype=np.float64)
    return np.sign(y) * np.expm1(np.abs(y) * np.log1p(mu)) / mu


def encode(audio: np.ndarray, mu: int = MU) -> np.ndarray:
    """Audio in [-1, 1] -> levels 0..mu (uint8 for mu = 255): compress, then round to the grid."""
    y = compress(audio, mu)
    return np.clip(np.rint((y + 1.0) / 2.0 * mu), 0, mu).astype(np.uint8 if mu < 256 else np.int32)


def decode(levels: np.ndarray, mu: int = MU) -> np.ndarray:
    """Levels 0..mu -> audio in [-1, 1] (float32): the centre of each level, expanded."""
    y = 2.0 * np.asarray(levels, dtype=np.float64) / mu - 1.0
    return expand(y, mu).astype(np.float32)


def max_round_trip_error(mu: int = MU) -> float:
    """The largest |decode(encode(x)) - x| over [-1, 1]: at full scale, from the top level down to
    the point half a step below it in the companded domain (expand is convex there)."""
    return float(expand(1.0, mu) - expand(1.0 - 1.0 / mu, mu))
