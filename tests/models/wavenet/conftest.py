"""A small random WaveNet for the maths and generator tests (fast to run naively)."""

from __future__ import annotations

import pytest
import torch

from models.wavenet import generate
from models.wavenet.config import WaveNetConfig
from models.wavenet.net import WaveNet

TINY = WaveNetConfig(residual=8, skip=8, head=16, stacks=2, layers_per_stack=4, conditions=3)


def random_net(config: WaveNetConfig = TINY, seed: int = 0) -> WaveNet:
    torch.manual_seed(seed)
    net = WaveNet(config).eval()
    with torch.no_grad():
        for parameter in net.parameters():
            parameter.normal_(0, 0.3)  # larger than the initialisation: every unit matters
    return net


@pytest.fixture(scope="session")
def tiny_net() -> WaveNet:
    return random_net()


@pytest.fixture(scope="session")
def tiny_packed(tiny_net) -> generate.Packed:
    return generate.pack(tiny_net.state_dict(), TINY)
