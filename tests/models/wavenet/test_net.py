import numpy as np
import pytest
import torch

from models.wavenet.config import WaveNetConfig, macs_per_sample, receptive_field
from tests.models.wavenet.conftest import TINY, random_net


def test_receptive_field_arithmetic() -> None:
    assert receptive_field([1, 2, 4, 8]) == 1 + 1 + 15  # input conv of width 2, then each dilation
    shipped = WaveNetConfig()
    assert shipped.dilations == tuple(2**i for i in range(10)) * 2
    assert shipped.receptive_field == 2 + 2 * 1023 == 2048  # 128 ms at 16 kHz
    assert WaveNetConfig(dilate=False).receptive_field == 22
    assert TINY.receptive_field == 2 + 2 * 15
    assert 100_000 < macs_per_sample(shipped) < 200_000


@pytest.mark.parametrize("config", [TINY, WaveNetConfig(residual=8, skip=8, head=16, layers_per_stack=3,
                                                         stacks=3, conditions=0)])
def test_each_output_sees_exactly_its_receptive_field(config) -> None:
    """Perturb one input sample: the outputs that change are the rf that can see it, no more."""
    net = random_net(config)
    rf, length = config.receptive_field, 3 * config.receptive_field
    x = torch.from_numpy(np.random.default_rng(0).integers(0, 256, (1, length)))
    cond = torch.tensor([1]) if config.conditions else None
    with torch.no_grad():
        base = net(x, cond)[0]  # output i predicts x[i + rf]
        t = length // 2
        changed = x.clone()
        changed[0, t] = (changed[0, t] + 100) % 256
        moved = (net(changed, cond)[0] - base).abs().amax(dim=0) > 0
    positions = torch.nonzero(moved).flatten() + rf  # the samples whose predictions moved
    assert positions.min().item() == t + 1  # causality: nothing up to t (incl. t itself) moves
    assert positions.max().item() == t + rf  # the farthest prediction that still sees x[t]
    assert moved.sum().item() == rf


def test_conditioning_enters_every_gate(tiny_net) -> None:
    x = torch.from_numpy(np.random.default_rng(1).integers(0, 256, (1, 200)))
    with torch.no_grad():
        outputs = [tiny_net(x, torch.tensor([c]))[0] for c in range(TINY.conditions)]
    assert all((outputs[0] - other).abs().max() > 1e-3 for other in outputs[1:])
    assert len(tiny_net.condition) == len(TINY.dilations)
    with pytest.raises(ValueError, match="conditioned"):
        tiny_net(x)


def test_nll_of_a_uniform_prediction_is_eight_bits() -> None:
    net = random_net(TINY)
    with torch.no_grad():
        net.head2.weight.zero_()
        net.head2.bias.zero_()
        x = torch.from_numpy(np.random.default_rng(2).integers(0, 256, (2, 100)))
        assert net.nll_bits(x, torch.tensor([0, 2])).item() == pytest.approx(8.0, abs=1e-5)
