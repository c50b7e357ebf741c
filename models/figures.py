"""`python -m models.figures`: pictures for the summaries whose papers show pictures, not tables,
made by running our own demos on their sample inputs with stated parameters.

Each figure runs one demo exactly as a job does (the checked parameters, the shipped weights
through the model cache, the demo's own `predict`) and lays its inputs and outputs side by side
in `static/figures/<name>.png`. `static/figures/demo-figures.json` records, for each, the demo,
the parameters, the inputs and the sha256 of the weights that made it; a test checks that those
are still the shipped weights, so a retrained model flags the figures to remake.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from models.loading import ModelCache
from models.registry import DEMOS, find_demo
from models.spec import check_inputs, resolve_entry_point

ROOT = Path(__file__).resolve().parents[1]
FIGURES_DIR = ROOT / "static" / "figures"
MANIFEST = FIGURES_DIR / "demo-figures.json"
PANEL = 256  # each panel's height in pixels
CARD, INK = (251, 249, 244), (36, 33, 29)


@dataclass(frozen=True)
class DemoFigure:
    file: str
    demo: str
    params: dict
    inputs: dict[str, str] = field(default_factory=dict)  # input name -> file under the repo
    # (caption, where the picture comes from): "input:<name>" or "output:<file>"
    panels: tuple[tuple[str, str], ...] = ()
    pixels_from: str = ""  # a JSON sample of LRP digits, turned into the `pixels` parameter


FIGURES = (
    DemoFigure("colorization-coffee.png", "colorization", {"temperature": 0.38},
               {"image": "models/colorization/page/samples/coffee.jpg"},
               (("grey input", "output:grey.png"), ("the model's colours", "output:colorized.png"),
                ("the photo's own colours", "input:image"))),
    DemoFigure("style-transfer-chelsea-kay.png", "style-transfer", {"style": "kay", "method": "fast"},
               {"content": "models/style_transfer/page/samples/chelsea.jpg"},
               (("photo", "input:content"), ("style: kay", "style:kay"), ("one forward pass", "output:stylised.png"))),
    DemoFigure("texture-network-elephants.png", "style-transfer",
               {"style": "elephants", "method": "texture", "seed": 1}, {},
               (("texture sample", "style:elephants"), ("generated from noise, seed 1", "output:texture.png"))),
    DemoFigure("face-heatmap-group.png", "face-heatmap", {},
               {"image": "models/face_heatmap/page/samples/group.jpg"},
               (("photo", "input:image"), ("face probability over all scales", "output:heatmap.png"))),
    DemoFigure("lrp-digit-3.png", "lrp", {"rule": "epsilon"}, {},
               (("digit (held out)", "pixels"), ("relevance, LRP-epsilon", "output:heatmap.png")),
               pixels_from="models/lrp/page/samples.json"),
    DemoFigure("gan-samples.png", "gan", {"operation": "sample", "count": 6, "seed": 4}, {},
               tuple((f"sample {i + 1}", f"output:sample-{i}.png") for i in range(6))),
)


def _digit(path: Path, label: int = 3) -> list[list[float]]:
    sample = json.loads(path.read_text())
    grey = next(d["grey"] for d in sample["digits"] if d["label"] == label)
    return [[round(v / 255, 3) for v in row] for row in grey]


def _panel(image: Image.Image) -> Image.Image:
    image = image.convert("RGB")
    return image.resize((max(1, round(image.width * PANEL / image.height)), PANEL),
                        Image.Resampling.NEAREST if image.height < 64 else Image.Resampling.LANCZOS)


def _compose(panels: list[tuple[str, Image.Image]]) -> Image.Image:
    font = ImageFont.load_default(size=15)
    gap, margin, caption_h = 10, 12, 26
    width = sum(image.width for _, image in panels) + gap * (len(panels) - 1) + 2 * margin
    sheet = Image.new("RGB", (width, PANEL + caption_h + 2 * margin), CARD)
    draw, x = ImageDraw.Draw(sheet), margin
    for caption, image in panels:
        sheet.paste(image, (x, margin))
        draw.text((x, margin + PANEL + 6), caption, fill=INK, font=font)
        x += image.width + gap
    return sheet


def make(figure: DemoFigure, cache: ModelCache, log: Callable[[str], None] = print) -> dict:
    spec = find_demo(figure.demo, DEMOS)
    params = dict(figure.params)
    if figure.pixels_from:
        params["pixels"] = _digit(ROOT / figure.pixels_from)
    checked = check_inputs(spec, params)
    inputs = {name: ROOT / path for name, path in figure.inputs.items()}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        resolve_entry_point(spec.predict)(cache.get(spec), checked, inputs, out, lambda _fraction: None)
        panels = []
        for caption, source in figure.panels:
            kind, _, name = source.partition(":")
            if kind == "output":
                picture = Image.open(out / name)
            elif kind == "input":
                picture = Image.open(inputs[name])
            elif kind == "style":
                picture = Image.open(ROOT / "models" / "style_transfer" / "page" / "styles" / f"{name}.jpg")
            else:  # the LRP digit, ink bright on black as the network saw it
                picture = Image.fromarray((np.array(params["pixels"]) * 255).astype(np.uint8))
            panels.append((caption, _panel(picture)))
    _compose(panels).save(FIGURES_DIR / figure.file, optimize=True)
    log(f"wrote {FIGURES_DIR / figure.file}")
    return {"file": figure.file, "demo": figure.demo, "params": figure.params, "inputs": figure.inputs,
            "weights_sha256": [weights.sha256 for weights in spec.weights]}


def main(argv: list[str]) -> int:
    torch.set_num_threads(2)
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    wanted = set(argv)
    cache = ModelCache(torch.device("cpu"))
    entries = json.loads(MANIFEST.read_text()) if MANIFEST.is_file() else []
    made = {entry["file"]: entry for entry in entries}
    for figure in FIGURES:
        if not wanted or figure.file in wanted or figure.demo in wanted:
            made[figure.file] = make(figure, cache)
    MANIFEST.write_text(json.dumps([made[f.file] for f in FIGURES if f.file in made], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
