"""A tiny network registered by the tests in place of a real demo (no demo is a stub)."""

import torch

LOADS = []  # how many times the entry point ran, to prove loading happens once


def load(weights, device):  # noqa: ANN001 - the DemoSpec entry-point contract
    LOADS.append(device)
    model = torch.nn.Linear(3, 2)
    model.load_state_dict(torch.load(weights[0], map_location=device, weights_only=True))
    return model.to(device)
