"""The demo registry: one line per demo, nothing else.

A demo is a package `models/<demo>/` whose `spec.py` declares its `SPEC` (models/spec.py holds
the contract; docs/architecture.md says how to add one). `DEMOS` are the demos a server runs;
`PLANNED` are announced on /demos before their model exists.
"""

from __future__ import annotations

from models.colorization.spec import SPEC as COLORIZATION
from models.face_heatmap.spec import SPEC as FACE_HEATMAP
from models.gan.spec import SPEC as GAN
from models.lrp.spec import SPEC as LRP
from models.spec import DemoSpec, resolve_entry_point
from models.style_transfer.spec import SPEC as STYLE_TRANSFER
from models.wavenet.spec import SPEC as WAVENET

DEMOS: tuple[DemoSpec, ...] = (
    COLORIZATION,
    FACE_HEATMAP,
    GAN,
    LRP,
    STYLE_TRANSFER,
    WAVENET,
)

PLANNED: tuple[DemoSpec, ...] = ()


class UnknownDemo(KeyError):
    pass


def find_demo(name: str, demos: tuple[DemoSpec, ...] = DEMOS) -> DemoSpec:
    for spec in demos:
        if spec.name == name:
            return spec
    raise UnknownDemo(name)


def load_specs(dotted: str) -> tuple[DemoSpec, ...]:
    """The specs named by a setting such as "models.registry:DEMOS" (tests name their own)."""
    return tuple(resolve_entry_point(dotted))


def known_names() -> frozenset[str]:
    """Every demo a summary may link to: running or planned."""
    return frozenset(spec.name for spec in (*DEMOS, *PLANNED))
