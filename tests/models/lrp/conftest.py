"""Shared fixtures of the LRP demo's tests: the shipped network and a few test digits."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from models.lrp import data
from models.lrp.predict import load

WEIGHTS = Path(__file__).resolve().parents[3] / "models" / "lrp" / "weights" / "lenet5.pt"


@pytest.fixture(scope="session")
def shipped() -> torch.nn.Module:
    assert WEIGHTS.is_file(), f"{WEIGHTS} is missing; make it with `python -m models.lrp.train`"
    # one thread: these are small batches, and two OpenMP threads on a busy 2-core machine wait
    # on each other for whole scheduler slices (a 20x slowdown seen when other jobs ran)
    torch.set_num_threads(1)
    return load([WEIGHTS], torch.device("cpu"))


@pytest.fixture(scope="session")
def digits() -> tuple[torch.Tensor, torch.Tensor]:
    """Every 50th test digit: 20 digits, two of each class (the file is sorted by class)."""
    images, labels = data.test_digits()  # called through the module: pytest collects test_* names
    return images[::50], labels[::50]
