"""Box arithmetic: overlaps, NMS against a plain greedy reference, corrections, crops."""

import pytest
import torch

from models.face_heatmap import boxes as box_ops


def random_boxes(count: int, generator: torch.Generator, *, spread: float = 100.0) -> torch.Tensor:
    corners = torch.rand(count, 2, generator=generator) * spread
    sides = 5 + torch.rand(count, 2, generator=generator) * 40
    return torch.cat((corners, corners + sides), dim=1)


def overlap_reference(a: list[float], b: list[float], mode: str) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    area_a, area_b = (a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])
    return inter / (area_a + area_b - inter) if mode == "iou" else inter / min(area_a, area_b)


def nms_reference(boxes: torch.Tensor, scores: torch.Tensor, threshold: float, mode: str) -> list[int]:
    """Textbook greedy NMS, one box at a time in plain Python."""
    order = sorted(range(len(scores)), key=lambda i: -float(scores[i]))
    kept: list[int] = []
    for i in order:
        if all(overlap_reference(boxes[i].tolist(), boxes[k].tolist(), mode) <= threshold for k in kept):
            kept.append(i)
    return kept


@pytest.mark.parametrize("mode", ["iou", "min"])
@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7])
def test_nms_matches_brute_force_on_random_boxes(mode: str, threshold: float) -> None:
    generator = torch.Generator().manual_seed(int(threshold * 10) + (mode == "min"))
    for trial in range(5):
        count = (30, 120, 300, 1, 2)[trial]
        boxes = random_boxes(count, generator, spread=60.0 if trial == 2 else 100.0)
        scores = torch.rand(count, generator=generator)
        kept = box_ops.nms(boxes, scores, threshold, mode=mode)
        assert kept.tolist() == nms_reference(boxes, scores, threshold, mode)


def test_nms_of_nothing_and_of_a_chain() -> None:
    assert box_ops.nms(torch.zeros(0, 4), torch.zeros(0), 0.5).tolist() == []
    # each box overlaps the next by IoU 0.6: keep, drop, keep, drop... (greedy, not "drop all but one")
    boxes = torch.tensor([[float(4 * i), 0.0, 4 * i + 16.0, 10.0] for i in range(8)])
    scores = torch.linspace(1, 0.3, 8)
    assert box_ops.nms(boxes, scores, 0.5).tolist() == nms_reference(boxes, scores, 0.5, "iou") == [0, 2, 4, 6]


def test_overlaps_by_hand() -> None:
    a = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    b = torch.tensor([[5.0, 0.0, 15.0, 10.0], [20.0, 20.0, 30.0, 30.0], [2.0, 2.0, 4.0, 4.0]])
    assert box_ops.overlaps(a, b)[0].tolist() == pytest.approx([50 / 150, 0.0, 4 / 100])
    assert box_ops.overlaps(a, b, mode="min")[0].tolist() == pytest.approx([0.5, 0.0, 1.0])


def test_offsets_are_fractions_of_the_box_and_squares_keep_the_centre() -> None:
    box = torch.tensor([[10.0, 20.0, 30.0, 60.0]])  # 20 wide, 40 tall
    moved = box_ops.apply_offsets(box, torch.tensor([[0.1, -0.25, 0.5, 0.0]]))
    assert moved.tolist() == [[12.0, 10.0, 40.0, 60.0]]
    square = box_ops.squared(box)
    assert square.tolist() == [[0.0, 20.0, 40.0, 60.0]]


def test_crops_sample_the_box_and_pad_with_black() -> None:
    # An image whose value is the column index: a crop's mean column tells where it was cut.
    image = torch.arange(64.0).repeat(3, 48, 1)  # (3, 48, 64)
    crops = box_ops.crop_boxes(image, torch.tensor([[16.0, 8.0, 40.0, 32.0], [-24.0, 0.0, 24.0, 48.0]]), 24)
    assert crops.shape == (2, 3, 24, 24)
    # first box: columns 16..39 sampled at pixel centres -> each output column is one input column
    assert crops[0, 0, 0].tolist() == pytest.approx([16.0 + k for k in range(24)], abs=1e-4)
    # second box: its left half lies outside the image, which reads as black (0)
    assert crops[1, :, :, :11].abs().max() < 1e-4
    assert crops[1, 0, 5, 12:].min() > 0
