"""The pyramid: its scales, the map size per scale, the mosaic pass, and maps in image pixels."""

from dataclasses import replace

import pytest
import torch

from models.face_heatmap.config import FaceConfig
from models.face_heatmap.net import PNet
from models.face_heatmap.pyramid import (
    ScaleMap,
    combined_heatmap,
    level_in_image,
    map_size,
    pack,
    pyramid_scales,
    run_pnet,
    window_boxes,
)

CONFIG = FaceConfig()


def test_scales_start_at_the_smallest_face_and_step_by_0709() -> None:
    scales = pyramid_scales(480, 640, min_face=20)
    assert scales[0] == pytest.approx(12 / 20)
    ratios = [b / a for a, b in zip(scales, scales[1:], strict=False)]
    assert ratios == pytest.approx([0.709] * len(ratios))
    # down to the last scale at which the shorter side still holds one 12 px window
    assert 480 * scales[-1] >= 12 > 480 * scales[-1] * 0.709
    assert len(scales) == 10


def test_the_smallest_face_sets_the_first_scale_and_the_count() -> None:
    assert pyramid_scales(480, 640, min_face=40)[0] == pytest.approx(0.3)
    assert len(pyramid_scales(480, 640, min_face=40)) == len(pyramid_scales(480, 640, min_face=20)) - 2
    assert pyramid_scales(20, 300, min_face=20) == pytest.approx([0.6])  # exactly one window tall
    assert pyramid_scales(19, 300, min_face=20) == []  # smaller than the smallest face: nothing to find
    assert pyramid_scales(100, 100, min_face=12)[0] == 1.0


def test_map_size_counts_the_windows_inside_each_level() -> None:
    pnet = PNet().eval()
    for height, width in ((12, 12), (13, 30), (24, 25), (101, 64)):
        probability, offsets = pnet(torch.zeros(1, 3, height, width))
        rows, columns = map_size((height, width), CONFIG)
        assert rows == (height - 12) // 2 + 1 and columns == (width - 12) // 2 + 1
        # P-Net's own map has these cells, plus one half-outside cell on an odd side
        assert probability.shape[1] - rows in (0, 1) and probability.shape[2] - columns in (0, 1)
        assert offsets.shape[1] == 4 and offsets.shape[2:] == probability.shape[1:]


def test_heatmap_shape_per_scale(cascade) -> None:
    image = torch.rand(3, 300, 400) * 255
    scales = pyramid_scales(300, 400, min_face=20)
    with torch.inference_mode():
        levels = run_pnet(cascade.pnet, image, scales, CONFIG)
    assert len(levels) == len(scales)
    for level, scale in zip(levels, scales, strict=True):
        assert level.size == (round(300 * scale), round(400 * scale))
        assert tuple(level.probability.shape) == map_size(level.size, CONFIG)
        assert tuple(level.offsets.shape) == (4, *level.probability.shape)
        assert 0 <= float(level.probability.min()) and float(level.probability.max()) <= 1


def test_the_mosaic_pass_equals_one_pass_per_scale(cascade) -> None:
    generator = torch.Generator().manual_seed(0)
    image = torch.rand(3, 240, 320, generator=generator) * 255
    scales = pyramid_scales(240, 320, min_face=14)
    with torch.inference_mode():
        tiled = run_pnet(cascade.pnet, image, scales, CONFIG)
        alone = run_pnet(cascade.pnet, image, scales, replace(CONFIG, mosaic_area=0))
    for a, b in zip(tiled, alone, strict=True):
        assert torch.allclose(a.probability, b.probability, atol=1e-5)
        assert torch.allclose(a.offsets, b.offsets, atol=1e-5)


def test_packing_keeps_tiles_apart_on_even_corners() -> None:
    sizes = [(288, 384), (204, 272), (145, 193), (103, 137), (73, 97), (52, 69), (37, 49), (26, 35), (19, 25)]
    (height, width), places = pack(sizes)
    rectangles = [(y, x, y + h, x + w) for (h, w), (y, x) in zip(sizes, places, strict=True)]
    for y1, x1, y2, x2 in rectangles:
        assert y1 % 2 == 0 and x1 % 2 == 0 and y2 <= height and x2 <= width
    for i, a in enumerate(rectangles):
        for b in rectangles[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    assert height * width < 1.5 * sum(h * w for h, w in sizes)  # not wasteful


def one_hot_level(row: int, column: int, *, scale: float = 0.5, size: tuple[int, int] = (100, 200)) -> ScaleMap:
    probability = torch.zeros(map_size(size, CONFIG))
    probability[row, column] = 1.0
    return ScaleMap(scale, size, (scale, scale), probability, torch.zeros(4, *probability.shape))


def test_a_cell_maps_to_its_window_in_image_pixels() -> None:
    level = one_hot_level(10, 30)  # at scale 0.5 the window is 24 px, every 4 px
    box = window_boxes(level, torch.tensor([10]), torch.tensor([30]), CONFIG)
    assert box.tolist() == [[120.0, 40.0, 144.0, 64.0]]
    heat = level_in_image(level, 200, 400, CONFIG)
    assert heat.shape == (200, 400)
    peak = divmod(int(heat.argmax()), 400)
    assert peak in ((51, 131), (51, 132), (52, 131), (52, 132))  # the window's centre, (132, 52)
    assert float(heat[52, 132]) > 0.7 and float(heat[52, 150]) == 0


def test_combined_heatmap_is_the_maximum_over_scales_at_the_image_size() -> None:
    first, second = one_hot_level(10, 30), one_hot_level(5, 5, scale=0.25, size=(50, 100))
    second.probability[5, 5] = 0.5
    combined = combined_heatmap([first, second], 200, 400, CONFIG)
    assert combined.shape == (200, 400)
    assert torch.equal(combined, torch.maximum(level_in_image(first, 200, 400, CONFIG),
                                               level_in_image(second, 200, 400, CONFIG)))
    assert combined_heatmap([], 20, 30, CONFIG).shape == (20, 30)


def test_a_big_photo_combines_on_a_coarser_grid_then_enlarges() -> None:
    levels = [one_hot_level(10, 30), one_hot_level(5, 5, scale=0.25, size=(50, 100))]
    levels[1].probability[5, 5] = 0.5
    exact = combined_heatmap(levels, 200, 400, CONFIG)
    coarse = combined_heatmap(levels, 200, 400, replace(CONFIG, heatmap_pixels=200 * 400 // 4))
    assert coarse.shape == (200, 400)
    assert float((coarse - exact).abs().mean()) < 0.01
    assert divmod(int(coarse.argmax()), 400) in [(r, c) for r in range(49, 56) for c in range(129, 136)]


def test_each_level_is_shrunk_from_a_level_twice_its_size() -> None:
    from models.face_heatmap.pyramid import shrink_all

    image = torch.rand(3, 400, 600) * 255
    sizes = [(240, 360), (170, 255), (120, 180), (85, 128), (60, 90)]
    levels = shrink_all(image, sizes)
    assert [tuple(level.shape[1:]) for level in levels] == sizes
    direct = torch.nn.functional.interpolate(image[None], size=sizes[-1], mode="area")[0]
    assert float((levels[-1] - direct).abs().mean()) < 8  # of 255: nearly the same picture
