"""Relevance maps for the demo's classifier: LRP (through zennit, `lrp_rules`) and the
baselines of Samek et al. 2016 (IEEE TNNLS): sensitivity analysis (the squared gradient,
Simonyan et al. 2014), gradient x input, and random relevance.

What is explained is one number per image, f(x) = logit[target] - logit[contrast], or
logit[target] alone: "why 3", or "why 3 and not 8". It is a linear function of the last hidden
layer, so the network's logit layer is replaced by a one-output layer holding the difference
of the two weight rows (`readout`), and every rule then treats the contrast as one neuron. (Two
separate output relevances, +logit[target] and -logit[contrast], would give the same map under
LRP-0 and LRP-ε but not under LRP-γ or LRP-αβ, which split each neuron's inputs by sign.) zennit
has no such readout, nor the random and squared-gradient baselines, so they are written here.

With the relevance at the output set to f(x), LRP-0 on this bias-free network hands exactly
f(x) down to the pixels (conservation, Bach et al. 2015); LRP-ε absorbs a little of it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn

from models.lrp.config import RuleConfig
from models.lrp.lrp_rules import composite_for
from models.lrp.params import LRP_RULES, RULES

BASELINES = ("sensitivity", "gradient_input", "random")
NO_CONTRAST = -1


@dataclass
class Explanation:
    relevance: torch.Tensor  # (B, 28, 28), one map per image
    explained: torch.Tensor  # (B,) f(x): the logit of the target, less the contrast's if any
    logits: torch.Tensor  # (B, 10)
    targets: torch.Tensor  # (B,) int64
    contrasts: torch.Tensor  # (B,) int64, NO_CONTRAST for none


def readout(model: nn.Sequential, target: int, contrast: int = NO_CONTRAST) -> nn.Sequential:
    """A copy of `model` whose logit layer is replaced by one output, logit[target] -
    logit[contrast] (or logit[target]). A copy, not hooks on the shared network: zennit
    attaches its rules to modules, and a worker may explain two jobs at once."""
    *body, last = copy.deepcopy(list(model))
    if not isinstance(last, nn.Linear):
        raise TypeError(f"the network must end in a linear layer, not {type(last).__name__}")
    head = nn.Linear(last.in_features, 1, bias=last.bias is not None)
    with torch.no_grad():
        head.weight.copy_(last.weight[target] - (last.weight[contrast] if contrast != NO_CONTRAST else 0))
        if last.bias is not None:
            head.bias.copy_(last.bias[target] - (last.bias[contrast] if contrast != NO_CONTRAST else 0))
    return nn.Sequential(*body, head).eval()


def gradient(head: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """d f / d x for each image: (B, 1, H, W)."""
    images = images.detach().clone().requires_grad_()
    (grad,) = torch.autograd.grad(head(images).sum(), images)
    return grad


def lrp(head: nn.Module, images: torch.Tensor, rule: str, config: RuleConfig) -> torch.Tensor:
    """Relevance (B, 1, H, W) of f(x), starting from R = f(x) at the output."""
    images = images.detach().clone().requires_grad_()
    with composite_for(rule, config).context(head) as modified:
        output = modified(images)  # (B, 1)
        (relevance,) = torch.autograd.grad(output, images, grad_outputs=output.detach())
    return relevance


def attribute(head: nn.Module, images: torch.Tensor, rule: str, *, config: RuleConfig,
              generator: torch.Generator) -> torch.Tensor:
    """One method's map (B, 1, H, W) for a one-output network."""
    if rule in LRP_RULES:
        return lrp(head, images, rule, config)
    if rule == "sensitivity":
        return gradient(head, images) ** 2
    if rule == "gradient_input":
        return gradient(head, images) * images
    if rule == "random":
        return (torch.rand(images.shape, generator=generator) * 2 - 1).to(images.device)  # signed, like LRP
    raise ValueError(f"rule must be one of {', '.join(RULES)}, not {rule!r}")


def explain(model: nn.Sequential, images: torch.Tensor, *, rule: str, targets: torch.Tensor | None = None,
            contrasts: torch.Tensor | None = None, config: RuleConfig | None = None, seed: int = 0) -> Explanation:
    """Maps of `rule` for images (B, 1, 28, 28): of the predicted class where `targets` is
    None, against `contrasts` (NO_CONTRAST for none) where given. Works under inference mode
    too (the worker's default): LRP is a modified backward pass, so autograd is switched on."""
    config = config or RuleConfig()
    generator = torch.Generator().manual_seed(seed)
    with torch.inference_mode(False), torch.enable_grad():
        images = images.detach().clone().float()
        with torch.no_grad():
            logits = model(images)  # (B, 10)
        targets = logits.argmax(dim=1) if targets is None else targets.long().clone()
        contrasts = torch.full_like(targets, NO_CONTRAST) if contrasts is None else contrasts.long().clone()
        rows = torch.arange(len(images), device=images.device)
        explained = logits[rows, targets] - torch.where(contrasts == NO_CONTRAST, 0.0,
                                                        logits[rows, contrasts.clamp(min=0)])
        relevance = torch.zeros_like(images)
        # one readout per (target, contrast) pair: ten for a test set explained at its predictions
        for pair in torch.unique(torch.stack((targets, contrasts), dim=1), dim=0).tolist():
            chosen = (targets == pair[0]) & (contrasts == pair[1])
            head = readout(model, *pair)
            relevance[chosen] = attribute(head, images[chosen], rule, config=config, generator=generator).detach()
    return Explanation(relevance[:, 0], explained, logits, targets, contrasts)
