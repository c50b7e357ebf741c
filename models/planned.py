"""Demos announced but not built yet: `/demos` and the paper pages say what is coming.

When a demo's package arrives, its line moves from `PLANNED` to `DEMOS` in models/registry.py
and becomes `<package>.spec.SPEC`.
"""

from models.spec import DemoSpec


def planned(name: str, title: str, blurb: str, paper: str) -> DemoSpec:
    return DemoSpec(name, title, paper, blurb=blurb, status="planned", thumbnail=f"/static/demos/{name}.svg")

