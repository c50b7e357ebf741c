"""Region perturbation (MoRF) and AOPC on small cases whose answer is known by hand."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from models.lrp.evaluate import PerturbationPlan, aopc_curve, evaluate, perturbation_scores, region_order, replacement


def test_regions_are_ranked_by_their_summed_relevance() -> None:
    relevance = torch.zeros(1, 4, 4)
    relevance[0, 0, 0] = 1.0  # region 0 (top left) sums to 1
    relevance[0, 3, 2:] = 2.0  # region 3 (bottom right) sums to 4
    relevance[0, 2, 1] = -1.0  # region 2 (bottom left) sums to -1
    assert region_order(relevance, 2).tolist() == [[3, 0, 1, 2]]  # ties keep reading order


def test_aopc_averages_the_falls_over_steps() -> None:
    scores = torch.tensor([[10.0, 6.0, 4.0], [8.0, 8.0, 2.0]])  # falls (0, 4, 6) and (0, 0, 6)
    expected = [0.0, (4 / 2 + 0 / 2) / 2, (10 / 3 + 6 / 3) / 2]
    assert torch.allclose(aopc_curve(scores), torch.tensor(expected))


class PixelSum(nn.Module):
    """A "network" whose class-0 logit is the sum of its pixels, class 1 the negative."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        total = x.flatten(1).sum(dim=1)
        return torch.stack((total, -total), dim=1)


def test_replacing_regions_in_order_lowers_the_logit_step_by_step() -> None:
    images = torch.zeros(1, 1, 4, 4)
    images[0, 0, :2, :2] = 1.0  # 4 units of ink in region 0, 2 in region 3
    images[0, 0, 3, 3] = 2.0
    plan = PerturbationPlan(region=2, steps=2)
    order = torch.tensor([[0, 3, 1, 2]])
    fill = replacement(images, "background", seed=0)
    scores = perturbation_scores(PixelSum(), images, torch.tensor([0]), order, fill, plan)
    assert scores.tolist() == [[6.0, 2.0, 0.0]]
    noise = replacement(images, "uniform", seed=0)
    assert noise.min() >= 0 and noise.max() <= 1 and torch.equal(noise, replacement(images, "uniform", seed=0))
    with pytest.raises(ValueError, match="fill must be one of"):
        replacement(images, "blur", seed=0)


def test_evaluate_reports_every_method_and_fill() -> None:
    generator = torch.Generator().manual_seed(0)
    images = torch.rand(6, 1, 28, 28, generator=generator)
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10, bias=False))
    plan = PerturbationPlan(steps=3, methods=("lrp0", "random", "ink"))
    result = evaluate(net, plan=plan, images=images, labels=torch.zeros(6, dtype=torch.long))
    assert result["digits"] == 6 and 0 <= result["accuracy"] <= 1
    for fill in ("background", "uniform"):
        assert set(result["aopc"][fill]) == {"lrp0", "random", "ink"}
        assert all(len(curve) == 4 and curve[0] == 0 for curve in result["aopc_curves"][fill].values())
        assert all(result["aopc"][fill][m] == result["aopc_curves"][fill][m][-1] for m in plan.methods)
    # a linear network: LRP-0 is exact, so deleting its top regions first is the steepest fall
    assert result["aopc"]["background"]["lrp0"] >= max(result["aopc"]["background"].values()) - 1e-6
