"""LRP rules and baselines: zennit's rules as wired here agree with LRP written out by hand on
a tiny network; relevance is conserved; contrastive explanations explain the difference."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from models.lrp.config import RuleConfig
from models.lrp.explain import NO_CONTRAST, explain, readout
from models.lrp.params import RULES

CONFIG = RuleConfig()


@pytest.fixture
def tiny() -> nn.Sequential:
    """Two dense layers with biases, 4 inputs (2 x 2 pixels) -> 3 hidden -> 3 classes."""
    torch.manual_seed(3)
    net = nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 3))
    with torch.no_grad():
        net[1].weight.copy_(torch.tensor([[1.0, -0.5, 0.8, 0.3], [-0.7, 0.9, 0.4, -0.2], [0.5, 0.6, -0.9, 0.7]]))
        net[1].bias.copy_(torch.tensor([0.1, -0.2, 0.05]))
        net[3].weight.copy_(torch.tensor([[0.9, -0.4, 0.6], [-0.3, 1.1, 0.2], [0.4, 0.5, -0.8]]))
        net[3].bias.copy_(torch.tensor([0.2, -0.1, 0.0]))
    return net.eval()


PIXELS = torch.tensor([[[[0.9, 0.2], [0.7, 0.4]]], [[[0.1, 0.8], [0.6, 0.3]]]])  # (2, 1, 2, 2) in [0, 1]


def _stabilised(z: torch.Tensor, epsilon: float) -> torch.Tensor:
    return z + epsilon * torch.where(z >= 0, 1.0, -1.0)  # zennit's sign convention: 0 counts as +


def _by_hand(net: nn.Sequential, x: torch.Tensor, top: torch.Tensor, top_bias: torch.Tensor, *,
             upper: str, lower: str) -> torch.Tensor:
    """LRP of f = top . a + top_bias for one flat input x (4,), written out with tensor maths:
    `upper` rule in the readout layer, `lower` in the first layer."""
    w1, b1 = net[1].weight, net[1].bias
    a = torch.relu(w1 @ x + b1)  # (3,)
    f = top @ a + top_bias
    if upper == "lrp0":  # R_j = a_j w_j / z * f
        r_hidden = a * top / _stabilised(top @ a + top_bias, CONFIG.lrp0_stabilizer) * f
    elif upper == "epsilon":
        r_hidden = a * top / _stabilised(top @ a + top_bias, CONFIG.epsilon) * f
    elif upper == "gamma":  # for positive inputs and f > 0: weights w + gamma w+
        w = top + CONFIG.gamma * top.clamp(min=0)
        r_hidden = a * w / (a @ w + top_bias + CONFIG.gamma * top_bias.clamp(min=0)) * f
    z = w1 @ x + b1  # (3,) pre-activations
    if lower == "lrp0":  # R_i = sum_j x_i w_ji / z_j R_j
        contributions = x[None, :] * w1 / _stabilised(z, CONFIG.lrp0_stabilizer)[:, None]
    elif lower == "epsilon":
        contributions = x[None, :] * w1 / _stabilised(z, CONFIG.epsilon)[:, None]
    elif lower == "gamma":
        w = w1 + CONFIG.gamma * w1.clamp(min=0)
        contributions = x[None, :] * w / (w @ x + b1 + CONFIG.gamma * b1.clamp(min=0))[:, None]
    elif lower == "box":  # z^B with l = 0, h = 1: (x_i w_ji - l w+_ji - h w-_ji) / sum_i (...)
        terms = x[None, :] * w1 - CONFIG.low * w1.clamp(min=0) - CONFIG.high * w1.clamp(max=0)
        contributions = terms / terms.sum(dim=1, keepdim=True)
    return (contributions * r_hidden[:, None]).sum(dim=0)  # (4,)


@pytest.mark.parametrize(("rule", "upper", "lower"), [
    ("lrp0", "lrp0", "lrp0"), ("epsilon", "epsilon", "epsilon"), ("gamma", "gamma", "gamma"),
    ("composite", "epsilon", "box"),  # dense layers get epsilon, the input layer z^B
])
def test_zennit_agrees_with_lrp_written_out_by_hand(tiny: nn.Sequential, rule: str, upper: str, lower: str) -> None:
    targets = torch.tensor([0, 1])
    result = explain(tiny, PIXELS, rule=rule, targets=targets)
    for image, target, relevance in zip(PIXELS, targets, result.relevance, strict=True):
        with torch.no_grad():
            expected = _by_hand(tiny, image.flatten(), tiny[3].weight[target], tiny[3].bias[target],
                                upper=upper, lower=lower)
        assert torch.allclose(relevance.flatten(), expected, atol=1e-5), (rule, relevance, expected)


def test_a_contrast_is_explained_as_one_neuron_of_the_weight_difference(tiny: nn.Sequential) -> None:
    result = explain(tiny, PIXELS, rule="gamma", targets=torch.tensor([0, 1]), contrasts=torch.tensor([2, 0]))
    for image, (target, contrast), relevance in zip(PIXELS, [(0, 2), (1, 0)], result.relevance, strict=True):
        top = tiny[3].weight[target] - tiny[3].weight[contrast]
        bias = tiny[3].bias[target] - tiny[3].bias[contrast]
        with torch.no_grad():
            # the gamma formula's case
            assert top @ torch.relu(tiny[1].weight @ image.flatten() + tiny[1].bias) + bias > 0
            expected = _by_hand(tiny, image.flatten(), top, bias, upper="gamma", lower="gamma")
        assert torch.allclose(relevance.flatten(), expected, atol=1e-5)
    logits = tiny(PIXELS)
    assert torch.allclose(result.explained, torch.stack((logits[0, 0] - logits[0, 2], logits[1, 1] - logits[1, 0])))


def test_the_readout_computes_the_logit_difference_and_leaves_the_network_alone(tiny: nn.Sequential) -> None:
    before = {name: tensor.clone() for name, tensor in tiny.state_dict().items()}
    logits = tiny(PIXELS)
    assert torch.allclose(readout(tiny, 1, 2)(PIXELS)[:, 0], logits[:, 1] - logits[:, 2])
    assert torch.allclose(readout(tiny, 2)(PIXELS)[:, 0], logits[:, 2])
    explain(tiny, PIXELS, rule="composite", contrasts=torch.tensor([NO_CONTRAST, 0]))
    assert all(torch.equal(tensor, before[name]) for name, tensor in tiny.state_dict().items())
    assert not any(module._forward_hooks or module._forward_pre_hooks for module in tiny.modules())


@pytest.mark.parametrize("rule", ["lrp0", "epsilon", "composite"])
def test_relevance_sums_to_the_explained_logit(shipped, digits, rule: str) -> None:
    images, _ = digits
    result = explain(shipped, images, rule=rule)
    with torch.no_grad():
        assert torch.equal(result.explained, shipped(images).max(dim=1).values)  # the predicted class by default
    sums = result.relevance.sum(dim=(1, 2))
    if rule == "lrp0":  # no bias to absorb anything: exact up to float error
        assert torch.allclose(sums, result.explained, rtol=1e-4, atol=1e-4)
    else:  # epsilon absorbs a little, never adds
        assert ((sums / result.explained) > 0.95).all() and ((sums / result.explained) <= 1 + 1e-4).all()


def test_a_contrastive_explanation_sums_to_the_logit_difference(shipped, digits) -> None:
    images, labels = digits
    contrasts = (labels + 3) % 10
    result = explain(shipped, images, rule="lrp0", targets=labels, contrasts=contrasts)
    with torch.no_grad():
        logits = shipped(images)
    rows = torch.arange(len(images))
    difference = logits[rows, labels] - logits[rows, contrasts]
    assert torch.allclose(result.explained, difference, atol=1e-5)
    assert torch.allclose(result.relevance.sum(dim=(1, 2)), difference, rtol=1e-4, atol=1e-4)


def test_baselines_are_the_gradient_maps(shipped, digits) -> None:
    images, labels = digits
    x = images.clone().requires_grad_()
    (gradient,) = torch.autograd.grad(shipped(x)[torch.arange(len(x)), labels].sum(), x)
    sensitivity = explain(shipped, images, rule="sensitivity", targets=labels).relevance
    assert torch.allclose(sensitivity, gradient[:, 0] ** 2, atol=1e-6)
    gradient_input = explain(shipped, images, rule="gradient_input", targets=labels).relevance
    assert torch.allclose(gradient_input, (gradient * images)[:, 0], atol=1e-5)
    # a bias-free ReLU network: LRP-0 is gradient x input (Montavon et al. 2019, §10.1)
    lrp0 = explain(shipped, images, rule="lrp0", targets=labels).relevance  # equal but for the stabilisers
    assert torch.allclose(lrp0, gradient_input, atol=1e-3 * float(gradient_input.abs().max()))


def test_random_relevance_is_reproducible_and_unrelated_to_the_digit(digits) -> None:
    images, _ = digits
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    first = explain(net, images, rule="random", seed=1).relevance
    assert torch.equal(first, explain(net, images, rule="random", seed=1).relevance)
    assert not torch.equal(first, explain(net, images, rule="random", seed=2).relevance)
    assert first.min() < -0.9 and first.max() > 0.9


def test_every_rule_runs_under_inference_mode_as_a_worker_calls_it(shipped, digits) -> None:
    images, _ = digits
    with torch.inference_mode():
        frozen = images[:3].clone()
        for rule in RULES:
            relevance = explain(shipped, frozen, rule=rule).relevance
            assert relevance.shape == (3, 28, 28) and torch.isfinite(relevance).all(), rule
            assert relevance.abs().sum() > 0, rule


def test_an_unknown_rule_is_refused(tiny: nn.Sequential) -> None:
    with pytest.raises(ValueError, match="rule must be one of"):
        explain(tiny, PIXELS, rule="deconvnet")
