"""The MTCNN cascade (Zhang, Zhang, Li, Qiao, IEEE SPL 2016, arXiv:1604.02878), stage by stage.

Stage 1 is P-Net over the pyramid (`pyramid`): windows above the user's threshold, NMS within
each scale, then across scales, then P-Net's own box correction. Stopping here gives the
single-network, DDFD-style result (Farfade et al. 2015): one classifier swept over scales.
Stage 2 crops each candidate (squared) at 24x24 and lets R-Net re-score and correct it;
stage 3 does the same at 48x48 with O-Net, which also places five landmarks. Every stage
keeps its candidates as one tensor: no per-box Python loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from models.face_heatmap import boxes as box_ops
from models.face_heatmap.config import FaceConfig
from models.face_heatmap.net import FaceCascade
from models.face_heatmap.pyramid import ScaleMap, normalise, pyramid_scales, run_pnet, window_candidates


@dataclass(frozen=True)
class Detections:
    boxes: torch.Tensor  # (N, 4) x1, y1, x2, y2 in image pixels, best score first
    scores: torch.Tensor  # (N,) the last stage's face probability
    landmarks: torch.Tensor | None  # (N, 5, 2) x, y: eyes, nose, mouth corners; stage 3 only


@dataclass(frozen=True)
class CascadeResult:
    levels: list[ScaleMap]  # P-Net's map per scale
    detections: Detections  # the last stage's
    by_stage: dict[int, Detections]  # 1, 2, 3: what stopping after that stage would give

    @property
    def counts(self) -> dict[str, int]:
        """Faces left after each stage run: {"pnet": .., "rnet": .., "onet": ..}."""
        names = {1: "pnet", 2: "rnet", 3: "onet"}
        return {names[stage]: len(found.scores) for stage, found in self.by_stage.items()}


def _empty() -> Detections:
    return Detections(torch.zeros(0, 4), torch.zeros(0), None)


def propose(levels: list[ScaleMap], threshold: float, config: FaceConfig) -> Detections:
    """Stage 1: the windows of every scale above `threshold`, de-duplicated, corrected."""
    found = []
    for level in levels:
        windows, scores, offsets = window_candidates(level, threshold, config)
        keep = box_ops.nms(windows, scores, config.nms_per_scale)
        found.append((windows[keep], scores[keep], offsets[keep]))
    if not found:
        return _empty()
    windows, scores, offsets = (torch.cat(parts) for parts in zip(*found, strict=True))
    keep = box_ops.nms(windows, scores, config.nms_across_scales)
    return Detections(box_ops.apply_offsets(windows[keep], offsets[keep]), scores[keep], None)


def _run_in_chunks(network, crops: torch.Tensor, chunk: int = 512) -> tuple[torch.Tensor, ...]:
    outputs = [network(part) for part in crops.split(chunk)]
    return tuple(torch.cat(parts) for parts in zip(*outputs, strict=True))


def refine(model: FaceCascade, image: torch.Tensor, previous: Detections, config: FaceConfig) -> Detections:
    """Stage 2: R-Net on 24x24 crops of the squared stage-1 boxes."""
    windows = box_ops.squared(previous.boxes)
    crops = box_ops.crop_boxes(image, windows, config.rnet_size, supersample=config.crop_supersample)
    scores, offsets = _run_in_chunks(model.rnet, normalise(crops, config))  # (N,), (N, 4)
    passed = scores > config.rnet_threshold
    windows, scores, offsets = windows[passed], scores[passed], offsets[passed]
    keep = box_ops.nms(windows, scores, config.rnet_nms)
    return Detections(box_ops.apply_offsets(windows[keep], offsets[keep]), scores[keep], None)


def finish(model: FaceCascade, image: torch.Tensor, previous: Detections, config: FaceConfig) -> Detections:
    """Stage 3: O-Net on 48x48 crops of the squared stage-2 boxes; boxes and landmarks."""
    windows = box_ops.squared(previous.boxes)
    crops = box_ops.crop_boxes(image, windows, config.onet_size, supersample=config.crop_supersample)
    scores, offsets, points = _run_in_chunks(model.onet, normalise(crops, config))  # (N,), (N, 4), (N, 10)
    passed = scores > config.onet_threshold
    windows, scores, offsets, points = windows[passed], scores[passed], offsets[passed], points[passed]
    sides = (windows[:, 2:] - windows[:, :2])[:, None, :]  # (N, 1, 2): w, h
    # points: 5 x fractions then 5 y fractions of the crop -> (N, 5, 2) image pixels
    landmarks = windows[:, None, :2] + torch.stack((points[:, :5], points[:, 5:]), dim=2) * sides
    corrected = box_ops.apply_offsets(windows, offsets)
    keep = box_ops.nms(corrected, scores, config.onet_nms, mode="min")
    return Detections(corrected[keep], scores[keep], landmarks[keep])


def image_tensor(rgb) -> torch.Tensor:
    """HxWx3 uint8 array (PIL or numpy) -> (3, H, W) float32 RGB in [0, 255]."""
    return torch.from_numpy(np.asarray(rgb, dtype=np.uint8).copy()).permute(2, 0, 1).float()


@torch.inference_mode()
def detect(model: FaceCascade, image: torch.Tensor, *, threshold: float, min_face: float, stages: int,
           config: FaceConfig | None = None, progress: Callable[[float], None] | None = None) -> CascadeResult:
    """Faces in `image` (3, H, W), RGB in [0, 255], after `stages` (1, 2 or 3) stages.
    `progress` gets fractions of the work in [0, 1] (the pyramid is most of it)."""
    config = config or FaceConfig()
    device = next(model.parameters()).device
    image = image.to(device)
    report = progress or (lambda _fraction: None)
    scales = pyramid_scales(*image.shape[1:], min_face=min_face, window=config.window, step=config.scale_step)
    levels = run_pnet(model.pnet, image, scales, config, progress=lambda f: report(0.7 * f))
    by_stage = {1: propose(levels, threshold, config)}
    if stages >= 2:
        by_stage[2] = refine(model, image, by_stage[1], config) if len(by_stage[1].scores) else _empty()
        report(0.85)
    if stages >= 3:
        by_stage[3] = finish(model, image, by_stage[2], config) if len(by_stage[2].scores) else _empty()
    report(1.0)
    return CascadeResult(levels, by_stage[max(by_stage)], by_stage)
