"""The shipped network: its checksum, and the card's figures recomputed here on the held-out
slice shipped beside it (the first 1.5 s of every condition's validation audio, never trained on)."""

import json

import numpy as np
import pytest
import torch

from models.loading import verify_weights
from models.wavenet import generate
from models.wavenet.evaluate import WEIGHTS_DIR, load_all
from models.wavenet.spec import SPEC
from models.wavenet.train import HELDOUT_FILE, nll_table


@pytest.fixture(scope="module")
def card() -> dict:
    return json.loads(SPEC.card_path.read_text())


@pytest.fixture(scope="module")
def nets() -> dict:
    torch.set_num_threads(1)  # a worker's setting; small convolutions gain nothing from more
    return load_all()


def test_the_weights_are_the_promised_ones_and_small() -> None:
    path = verify_weights(SPEC.weights[0])
    assert path.stat().st_size < 2e6


def test_the_shipped_networks_reach_the_cards_likelihood_on_the_held_out_slice(card, nets) -> None:
    with np.load(WEIGHTS_DIR / HELDOUT_FILE) as data:
        heldout = {key: data[key] for key in data.files}
    assert set(heldout) == set(SPEC.inputs["condition"].choices)
    for name, net in nets.items():
        assert nll_table(net, heldout)["all"] == pytest.approx(card["heldout_slice"][name], abs=2e-3), name
    assert card["validation"]["WaveNet (shipped)"]["all"] < 8.0  # far better than a uniform guess


def test_the_card_reports_the_receptive_fields(card, nets) -> None:
    assert card["receptive_field"]["samples"] == nets["main"].receptive_field == 2048
    assert card["receptive_field"]["ms"] == 128.0
    assert card["receptive_field"]["short_rf_samples"] == nets["short_rf"].receptive_field == 22


def test_the_three_generators_agree_on_the_shipped_network() -> None:
    from models.wavenet.predict import load

    packed = load([SPEC.weights[0].location]).packed
    naive = generate.naive(packed, 4, 60, 1.0, seed=2)
    assert (naive == generate.fast(packed, 4, 60, 1.0, seed=2)).all()
    assert (naive == generate.fast_batched(packed, [3, 4], 60, [1.0, 1.0], [2, 2])[1]).all()
