"""The face heat-map demo's entry points: load the three MTCNN networks, find faces in a photo.

`predict` runs the cascade (`detect`) for 1, 2 or 3 stages and writes P-Net's heat-maps:
`scale-<i>.png`, one per pyramid scale at that scale's own map size (pixel (j, i) is the 12x12
window whose top-left corner sits at (2j, 2i) in the resized photo, i.e. a window of
`face_size` px every `step` px of the photo), and `heatmap.png`, their maximum resampled to
the photo's own size (same width and height as the upload, so the page can lay it over the
photo). Both are 8-bit greyscale, 0 = face probability 0, 255 = probability 1; the page
colours them. Boxes and landmarks are in the upload's own pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import torch
from PIL import Image

from models.face_heatmap.config import FaceConfig
from models.face_heatmap.detect import CascadeResult, Detections, detect, image_tensor
from models.face_heatmap.fetch import verify
from models.face_heatmap.net import FaceCascade
from models.face_heatmap.params import read_params
from models.face_heatmap.pyramid import ScaleMap, combined_heatmap


def load(weights: list[Path], device: torch.device) -> FaceCascade:
    """The cascade from [pnet.pt, rnet.pt, onet.pt], each checked against its sha256 first (a
    missing or altered file fails here with the command that restores it)."""
    verify(weights)
    model = FaceCascade()
    for network, path in zip((model.pnet, model.rnet, model.onet), weights, strict=True):
        network.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model.to(device).eval()


def save_probability_png(probability: torch.Tensor, path: Path) -> None:
    """(h, w) probabilities in [0, 1] -> 8-bit greyscale PNG (fast compression: the demo
    answers in real time)."""
    codes = (probability.clamp(0, 1) * 255).round().to(torch.uint8).cpu().numpy()
    Image.fromarray(codes, mode="L").save(path, format="PNG", compress_level=1)


def _round(value: float, digits: int = 1) -> float:
    return round(float(value), digits)


def present_boxes(found: Detections, width: int, height: int) -> list[dict]:
    """Boxes clipped to the photo, best first, as JSON; landmarks only after stage 3."""
    limits = torch.tensor([width, height, width, height], dtype=found.boxes.dtype)
    boxes = torch.minimum(found.boxes.cpu().clamp_min(0), limits)
    presented = []
    for index, (box, score) in enumerate(zip(boxes.tolist(), found.scores.tolist(), strict=True)):
        landmarks = None
        if found.landmarks is not None:
            landmarks = [[_round(x), _round(y)] for x, y in found.landmarks[index].tolist()]
        presented.append({"box": [_round(v) for v in box], "score": round(score, 4), "landmarks": landmarks})
    return presented


def present_scale(index: int, level: ScaleMap, config: FaceConfig) -> dict:
    height, width = level.probability.shape
    sy, sx = level.factors
    return {
        "scale": round(level.scale, 5),
        "face_size": _round(level.face_size(config.window)),  # px of the photo one window spans
        "file": f"scale-{index}.png",
        "width": int(width),
        "height": int(height),
        "step": [_round(config.stride / sx, 3), _round(config.stride / sy, 3)],  # photo px between cells
        # photo px of the first cell's window centre; cell (j, i) is at origin + (j, i) * step
        "origin": [_round(config.window / 2 / sx, 3), _round(config.window / 2 / sy, 3)],
    }


def write_heatmaps(result: CascadeResult, height: int, width: int, out_dir: Path, config: FaceConfig) -> list[dict]:
    scales = []
    for index, level in enumerate(result.levels):
        save_probability_png(level.probability, out_dir / f"scale-{index}.png")
        scales.append(present_scale(index, level, config))
    save_probability_png(combined_heatmap(result.levels, height, width, config), out_dir / "heatmap.png")
    return scales


def predict(model: FaceCascade, params: dict, inputs: dict[str, Path], out_dir: Path,
            progress: Callable[[float], None]) -> dict:
    settings = read_params(params)
    config = FaceConfig()
    with Image.open(inputs["image"]) as upload:  # already PNG, EXIF-normalised, <= 4096 px
        image = image_tensor(upload.convert("RGB"))  # (3, H, W) RGB in [0, 255]
    height, width = image.shape[1:]
    progress(0.05)
    result = detect(model, image, **settings, config=config, progress=lambda f: progress(0.05 + 0.8 * f))
    with torch.inference_mode():
        scales = write_heatmaps(result, height, width, out_dir, config)
    progress(1.0)
    return {
        "width": int(width),
        "height": int(height),
        **settings,
        "boxes": present_boxes(result.detections, width, height),
        "scales": scales,
        "heatmap": {"file": "heatmap.png", "width": int(width), "height": int(height),
                    "encoding": "8-bit grey, face probability * 255, max over scales, photo pixels"},
        "counts": result.counts,  # candidates left after each stage: pnet, rnet, onet
    }
