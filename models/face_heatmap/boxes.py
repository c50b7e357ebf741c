"""Box arithmetic of the MTCNN cascade (Zhang et al. 2016), vectorised in torch.

Boxes are (N, 4) float tensors [x1, y1, x2, y2] in continuous pixel coordinates of the
image: pixel (x, y) covers [x, x+1) x [y, y+1), so a box's width is x2 - x1 (no +1).
Non-maximum suppression, the box corrections the networks predict, squaring, and cropping
every candidate out of the image in one `grid_sample` call (torchvision is not a dependency).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def areas(boxes: torch.Tensor) -> torch.Tensor:
    """(N, 4) -> (N,), zero for empty boxes."""
    return (boxes[:, 2] - boxes[:, 0]).clamp_min(0) * (boxes[:, 3] - boxes[:, 1]).clamp_min(0)


def intersections(first: torch.Tensor, second: torch.Tensor) -> torch.Tensor:
    """(N, 4), (M, 4) -> (N, M) areas of pairwise intersection."""
    top_left = torch.maximum(first[:, None, :2], second[None, :, :2])  # (N, M, 2)
    bottom_right = torch.minimum(first[:, None, 2:], second[None, :, 2:])
    sides = (bottom_right - top_left).clamp_min(0)
    return sides[..., 0] * sides[..., 1]


def overlaps(first: torch.Tensor, second: torch.Tensor, *, mode: str = "iou") -> torch.Tensor:
    """(N, M) overlap: intersection over union ("iou"), or over the smaller box ("min"), which
    the authors use after O-Net to drop a box lying inside a bigger one."""
    inter = intersections(first, second)
    area_first, area_second = areas(first)[:, None], areas(second)[None, :]
    if mode == "iou":
        denominator = area_first + area_second - inter
    elif mode == "min":
        denominator = torch.minimum(area_first, area_second)
    else:
        raise ValueError(f"unknown overlap mode {mode!r}")
    return inter / denominator.clamp_min(1e-9)


def nms(boxes: torch.Tensor, scores: torch.Tensor, threshold: float, *, mode: str = "iou") -> torch.Tensor:
    """Greedy non-maximum suppression: indices of the kept boxes, best score first.

    Greedy NMS keeps box j iff no *kept* box ranked above it overlaps it by more than
    `threshold`. Rather than a Python loop over boxes, iterate that rule on the whole vector
    at once: after t rounds the t best-ranked decisions are final (each depends only on
    higher-ranked ones), so it reaches the greedy answer, in practice in a few rounds."""
    if boxes.shape[0] == 0:
        return torch.zeros(0, dtype=torch.long, device=boxes.device)
    order = scores.argsort(descending=True, stable=True)
    ranked = boxes[order]
    suppresses = (overlaps(ranked, ranked, mode=mode) > threshold).triu(diagonal=1)  # (N, N): i above j
    keep = torch.ones(len(order), dtype=torch.bool, device=boxes.device)
    for _ in range(len(order)):
        updated = ~(suppresses & keep[:, None]).any(dim=0)  # (N,): not hit by a kept, better box
        if torch.equal(updated, keep):
            break
        keep = updated
    return order[keep]


def apply_offsets(boxes: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
    """The networks' box correction: (N, 4) offsets (dx1, dy1, dx2, dy2) are fractions of the
    box's width and height added to its corners."""
    sides = (boxes[:, 2:] - boxes[:, :2]).repeat(1, 2)  # (N, 4): w, h, w, h
    return boxes + offsets * sides


def squared(boxes: torch.Tensor) -> torch.Tensor:
    """Each box widened to a square around its centre (side = the longer side), since R-Net
    and O-Net see square crops and a stretched face would look unlike their training data."""
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2  # (N, 2)
    half = (boxes[:, 2:] - boxes[:, :2]).max(dim=1, keepdim=True).values / 2  # (N, 1)
    return torch.cat((centres - half, centres + half), dim=1)


def _sample_boxes(image: torch.Tensor, boxes: torch.Tensor, samples: int) -> torch.Tensor:
    """(3, H, W), (N, 4) -> (N, 3, samples, samples), bilinear, zeros outside the image."""
    height, width = image.shape[1:]
    steps = (torch.arange(samples, dtype=image.dtype, device=image.device) + 0.5) / samples  # (s,)
    xs = boxes[:, 0:1] + steps * (boxes[:, 2:3] - boxes[:, 0:1])  # (N, s) pixel coordinates
    ys = boxes[:, 1:2] + steps * (boxes[:, 3:4] - boxes[:, 1:2])
    grid_x = (2 * xs / width - 1)[:, None, :].expand(-1, samples, -1)  # (N, s, s); align_corners=False
    grid_y = (2 * ys / height - 1)[:, :, None].expand(-1, -1, samples)
    # One grid_sample for all boxes: their grids stacked into one tall grid over one image.
    grid = torch.stack((grid_x, grid_y), dim=-1).reshape(1, -1, samples, 2)  # (1, N*s, s, 2)
    out = F.grid_sample(image[None], grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return out.reshape(3, -1, samples, samples).transpose(0, 1)  # (N, 3, s, s)


def crop_boxes(image: torch.Tensor, boxes: torch.Tensor, size: int, *, supersample: int = 96,
               chunk: int = 256) -> torch.Tensor:
    """Every box cut out of `image` (3, H, W) and resized to (N, 3, size, size).

    Boxes are sampled at a multiple of `size` (up to `supersample` points a side) and then
    averaged down, so a 200 px face shrunk to 24 px is anti-aliased much as the authors'
    area resize did; parts outside the image are black, as in their zero padding."""
    factor = max(1, supersample // size)
    crops = [F.avg_pool2d(_sample_boxes(image, part, size * factor), factor) if factor > 1
             else _sample_boxes(image, part, size) for part in boxes.split(chunk)]
    return torch.cat(crops) if crops else image.new_zeros((0, 3, size, size))
