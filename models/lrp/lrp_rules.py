"""The LRP rules of the demo, as zennit composites (zennit 0.5.1; Anders et al. 2021).

The rules themselves are zennit's: LRP-0 and LRP-ε (Bach et al. 2015), LRP-γ, LRP-αβ and the
z^B box rule (Montavon et al. 2017, 2019). What this module adds is the mapping from a rule
name to a rule per layer: the first layer (the one that sees pixels), the other convolutions,
the dense layers; ReLUs pass relevance through, average pooling redistributes it in proportion
to its inputs. zennit's own composites find "the first layer" only among convolutions, so the
mapping is written here: it also serves the all-dense networks of the tests.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Callable

from torch import nn

from models.lrp.config import RuleConfig


def _import_zennit() -> types.ModuleType:
    """zennit's package __init__ imports zennit.torchvision (canonizers for torchvision's
    ResNet and VGG), and so torchvision, whose PyPI wheels are built against CUDA torch and
    fail to load with the CPU torch this project pins. We need none of it: register the package
    without running its __init__, then import the submodules we use, which need torch only."""
    if "zennit" not in sys.modules:
        spec = importlib.util.find_spec("zennit")
        if spec is None:
            raise ModuleNotFoundError(
                "zennit is missing; install it with `.venv/bin/pip install --no-deps zennit==0.5.1`")
        package = importlib.util.module_from_spec(spec)  # a module object; its code is not run
        sys.modules["zennit"] = package
    import zennit.core
    import zennit.rules

    return zennit.rules


rules = _import_zennit()
from zennit.core import Composite, Hook  # noqa: E402  (after the shim above)

LayerRules = tuple[Callable[[], Hook] | None, Callable[[], Hook], Callable[[], Hook]]  # input, conv, dense


def layer_rules(name: str, config: RuleConfig) -> LayerRules:
    """(input layer, other convolutions, dense layers) rule factories for an LRP rule name;
    None for the input means "as the layer's kind"."""
    lrp0 = lambda: rules.Epsilon(epsilon=config.lrp0_stabilizer)  # noqa: E731
    epsilon = lambda: rules.Epsilon(epsilon=config.epsilon)  # noqa: E731
    gamma = lambda: rules.Gamma(gamma=config.gamma)  # noqa: E731
    box = lambda: rules.ZBox(low=config.low, high=config.high)  # noqa: E731
    table: dict[str, LayerRules] = {
        "lrp0": (None, lrp0, lrp0),
        "epsilon": (None, epsilon, epsilon),
        "gamma": (None, gamma, gamma),
        "alpha2beta1": (None, lambda: rules.AlphaBeta(alpha=2.0, beta=1.0),
                        lambda: rules.AlphaBeta(alpha=2.0, beta=1.0)),
        "alpha1beta0": (None, lambda: rules.AlphaBeta(alpha=1.0, beta=0.0),
                        lambda: rules.AlphaBeta(alpha=1.0, beta=0.0)),
        "composite": (box, gamma, epsilon),  # Montavon et al. 2019, §10.3
        "composite_plus": (box, rules.ZPlus, epsilon),
    }
    if name not in table:
        raise ValueError(f"{name!r} is not an LRP rule; use one of {', '.join(table)}")
    return table[name]


def composite_for(name: str, config: RuleConfig | None = None) -> Composite:
    """A zennit Composite that attaches the rule `name` to every layer of a network."""
    first, conv, dense = layer_rules(name, config or RuleConfig())

    def module_map(ctx: dict, _: str, module: nn.Module) -> Hook | None:
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            is_first = not ctx.get("seen_first")
            ctx["seen_first"] = True
            if is_first and first is not None:
                return first()
            return conv() if isinstance(module, nn.Conv2d) else dense()
        if isinstance(module, nn.ReLU):
            return rules.Pass()  # a ReLU neuron hands on what its pre-activation received
        if isinstance(module, nn.AvgPool2d):
            return rules.Norm()  # in proportion to the inputs: conserving
        return None  # Flatten: a reshape, the gradient is already right

    return Composite(module_map=module_map)
