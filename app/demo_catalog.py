"""The demos the design plans, by name: what the paper pages and /demos show about each.

Each demo's model arrives in its own issue; until the server registers it (models/registry.py),
its page explains what it will do and links to its papers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoInfo:
    name: str
    title: str
    blurb: str
    # A demo with its own in-page interface: the template (shown on its page and, compact, in
    # its papers' margins) and the script module that drives it; others use the generic form.
    widget: str = ""
    script: str = ""


DEMOS: tuple[DemoInfo, ...] = (
    DemoInfo("colorization", "Colorization", "Upload a photo; get a plausible colour version.",
             widget="demos/colorization.html", script="/static/js/colorizer.js"),
    DemoInfo("style-transfer", "Style transfer", "Repaint a photo in the style of an artwork."),
    DemoInfo("wavenet", "WaveNet audio", "Generate audio sample by sample."),
    DemoInfo("face-heatmap", "Face heat maps", "Find faces at any angle with a dense detector."),
    DemoInfo("lrp", "LRP relevance", "Draw a digit; see which pixels the classifier used."),
    DemoInfo("gan", "GAN editing", "Sample, project and edit images on a GAN's manifold."),
)

DEMOS_BY_NAME = {demo.name: demo for demo in DEMOS}
