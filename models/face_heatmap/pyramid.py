"""The image pyramid and P-Net's probability maps over it: the heat-map half of the demo.

DDFD (Farfade, Saberian, Li, ICMR 2015) fine-tunes a classifier on face crops, turns its
fully connected layers into convolutions and runs it over an image pyramid: each scale gives a
map of face probabilities, one per window, and a face shows up as a hot spot at the scale
that brings it to the network's window size. MTCNN's first stage (Zhang et al. 2016) is the
same idea with a 12x12 window: `run_pnet` gives one map per scale, `window_candidates` reads
boxes off a map, `combined_heatmap` brings all maps into the image's coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from models.face_heatmap.config import FaceConfig
from models.face_heatmap.net import PNet


def pyramid_scales(height: int, width: int, *, min_face: float, window: int = 12,
                   step: float = 0.709) -> list[float]:
    """Scales s_k = (window / min_face) * step^k while the image's shorter side, scaled, still
    holds one window. At s_k P-Net finds faces of about window / s_k px."""
    scales: list[float] = []
    scale = window / min_face
    while min(height, width) * scale >= window - 1e-6:  # tolerance: 20 px * (12 / 20) is 12
        scales.append(scale)
        scale *= step
    return scales


@dataclass(frozen=True)
class ScaleMap:
    """P-Net's output at one scale. `size` is the resized image (h, w); `factors` (sy, sx) its
    exact ratios to the original (rounding makes them differ slightly from `scale`)."""

    scale: float
    size: tuple[int, int]
    factors: tuple[float, float]
    probability: torch.Tensor  # (h', w'): window (i, j) covers resized rows 2i .. 2i+11, inside
    offsets: torch.Tensor  # (4, h', w') box corrections, fractions of the window

    def face_size(self, window: int) -> float:
        return window / self.scale


def normalise(image: torch.Tensor, config: FaceConfig) -> torch.Tensor:
    """RGB in [0, 255] -> the released networks' input range, about [-1, 1]."""
    return (image - config.pixel_mean) * config.pixel_scale


def level_size(height: int, width: int, scale: float, config: FaceConfig) -> tuple[int, int]:
    return max(config.window, round(height * scale)), max(config.window, round(width * scale))


def map_size(size: tuple[int, int], config: FaceConfig) -> tuple[int, int]:
    """P-Net cells whose 12x12 window lies wholly inside a (h, w) image."""
    return tuple((side - config.window) // config.stride + 1 for side in size)  # type: ignore[return-value]


def pack(sizes: list[tuple[int, int]]) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """Shelf-pack (h, w) rectangles, tallest first as the pyramid gives them, into one canvas:
    its (h, w) and each rectangle's (y, x), both even so P-Net's stride-2 grid lines up."""
    even = lambda value: value + value % 2  # noqa: E731
    canvas_width = even(sizes[0][1]) + (even(sizes[1][1]) if len(sizes) > 1 else 0)
    places, x, y, shelf = [], 0, 0, 0
    for height, width in sizes:
        if x + width > canvas_width:  # start a new shelf below the tallest of this one
            x, y, shelf = 0, y + even(shelf), 0
        places.append((y, x))
        x, shelf = x + even(width), max(shelf, height)
    return (y + even(shelf), canvas_width), places


def shrink_all(image: torch.Tensor, sizes: list[tuple[int, int]]) -> list[torch.Tensor]:
    """`image` (3, H, W) area-averaged to each (h, w), as the authors' resize did (it
    anti-aliases). Each level is shrunk from the smallest one already made that is at least
    twice its size, not from the photo: on a 4096 px photo that is ~8x less to read, for
    nearly the same pixels."""
    made: list[torch.Tensor] = []
    for size in sizes:
        source = next((level for level in reversed(made)
                       if level.shape[1] >= 2 * size[0] and level.shape[2] >= 2 * size[1]), image)
        made.append(F.interpolate(source[None], size=size, mode="area")[0])
    return made


def _pnet_on_mosaic(pnet: PNet, parts: list[torch.Tensor], config: FaceConfig
                    ) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """P-Net once over several normalised images (3, h, w) tiled into one canvas; per image
    its probability (h', w') and offsets (4, h', w'). A P-Net cell sees exactly its 12x12
    window, so cells inside a tile equal a separate run's; cells across tiles are dropped."""
    (canvas_h, canvas_w), places = pack([tuple(part.shape[1:]) for part in parts])
    canvas = parts[0].new_zeros(3, canvas_h, canvas_w)
    for part, (y, x) in zip(parts, places, strict=True):
        canvas[:, y:y + part.shape[1], x:x + part.shape[2]] = part
    probability, offsets = pnet(canvas[None])  # (1, H', W'), (1, 4, H', W')
    maps = []
    for part, (y, x) in zip(parts, places, strict=True):
        rows, columns = map_size(tuple(part.shape[1:]), config)
        top, left = y // config.stride, x // config.stride
        maps.append((probability[0, top:top + rows, left:left + columns],
                     offsets[0, :, top:top + rows, left:left + columns]))
    return maps


def run_pnet(pnet: PNet, image: torch.Tensor, scales: list[float], config: FaceConfig,
             progress=None) -> list[ScaleMap]:
    """P-Net over each level of the pyramid of `image` (3, H, W), RGB in [0, 255].

    Levels up to `mosaic_area` px share one P-Net pass, tiled into a mosaic: one call instead
    of one per scale, which is most of the time on a small photo. Larger levels run alone,
    to bound memory."""
    height, width = image.shape[1:]
    sizes = [level_size(height, width, scale, config) for scale in scales]
    parts = [normalise(level, config) for level in shrink_all(image, sizes)]
    alone = [h * w > config.mosaic_area for h, w in sizes]
    maps: list[tuple[torch.Tensor, torch.Tensor] | None] = [None] * len(parts)
    for index in (i for i, single in enumerate(alone) if single):
        rows, columns = map_size(sizes[index], config)
        probability, offsets = pnet(parts[index][None])
        maps[index] = (probability[0, :rows, :columns], offsets[0, :, :rows, :columns])
        if progress is not None:
            progress((index + 1) / len(parts))
    tiled = [i for i, single in enumerate(alone) if not single]
    if tiled:
        for index, result in zip(tiled, _pnet_on_mosaic(pnet, [parts[i] for i in tiled], config), strict=True):
            maps[index] = result
    if progress is not None:
        progress(1.0)
    return [ScaleMap(scale, size, (size[0] / height, size[1] / width), *found)  # type: ignore[misc]
            for scale, size, found in zip(scales, sizes, maps, strict=True)]


def window_boxes(level: ScaleMap, rows: torch.Tensor, columns: torch.Tensor, config: FaceConfig) -> torch.Tensor:
    """Map cells (N,) rows and columns -> the (N, 4) boxes of their windows in image pixels."""
    sy, sx = level.factors
    x1 = columns.to(torch.float32) * config.stride / sx
    y1 = rows.to(torch.float32) * config.stride / sy
    return torch.stack((x1, y1, x1 + config.window / sx, y1 + config.window / sy), dim=1)


def window_candidates(level: ScaleMap, threshold: float, config: FaceConfig
                      ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Windows at or above `threshold`, at most `max_per_scale` best: boxes (N, 4) in image
    pixels, scores (N,), offsets (N, 4)."""
    rows, columns = torch.nonzero(level.probability >= threshold, as_tuple=True)
    scores = level.probability[rows, columns]
    if len(scores) > config.max_per_scale:
        best = scores.topk(config.max_per_scale).indices
        rows, columns, scores = rows[best], columns[best], scores[best]
    offsets = level.offsets[:, rows, columns].T  # (N, 4)
    return window_boxes(level, rows, columns, config), scores, offsets


def _resample_axis(values: torch.Tensor, dim: int, positions: torch.Tensor) -> torch.Tensor:
    """Linear interpolation of `values` along `dim` at fractional cell indices `positions`.
    A position more than half a cell beyond the first or last cell gets 0: no window of that
    scale is centred there (a coarse scale's few cells must not flood the photo's edges)."""
    last = values.shape[dim] - 1
    inside = ((positions >= -0.5) & (positions <= last + 0.5)).to(values.dtype)
    positions = positions.clamp(0, last)
    low = positions.floor().long()
    high = (low + 1).clamp_max(last)
    shape = [1] * values.dim()
    shape[dim] = -1
    weight = (positions - low).to(values.dtype).reshape(shape)
    below, above = values.index_select(dim, low), values.index_select(dim, high)
    return (below + (above - below) * weight) * inside.reshape(shape)


def level_in_image(level: ScaleMap, height: int, width: int, config: FaceConfig,
                   grid: tuple[int, int] | None = None) -> torch.Tensor:
    """One scale's map (h', w') resampled to the image (H, W), or to a coarser `grid` (h, w)
    laid over it: each pixel gets the probability of the window of that scale centred on it
    (interpolated between windows)."""
    sy, sx = level.factors
    rows_out, columns_out = grid or (height, width)
    # Output pixel centre i + 0.5 sits at (i + 0.5) * H / h in the photo, at that times sy in
    # the resized image, where window j is centred at stride * j + window / 2.
    ys = (torch.arange(rows_out, dtype=torch.float32) + 0.5) * (height / rows_out) * sy
    xs = (torch.arange(columns_out, dtype=torch.float32) + 0.5) * (width / columns_out) * sx
    ys, xs = ((values - config.window / 2) / config.stride for values in (ys, xs))
    rows = _resample_axis(level.probability, 0, ys.to(level.probability.device))  # (h, w')
    return _resample_axis(rows, 1, xs.to(level.probability.device))  # (h, w)


def combined_heatmap(levels: list[ScaleMap], height: int, width: int, config: FaceConfig) -> torch.Tensor:
    """(H, W) face probability in the image's own pixels: the maximum over scales, i.e. how
    face-like the most face-like window centred on each pixel is, whatever its size.

    Past `heatmap_pixels` the maximum is taken on a coarser grid and enlarged bilinearly: the
    finest map has a cell every 2 / scale >= 2 px anyway, and a 4096 px photo then costs
    ~15 resamplings of 1 Mpx instead of 16 Mpx."""
    device = levels[0].probability.device if levels else "cpu"
    shrink = max(1.0, (height * width / config.heatmap_pixels) ** 0.5)
    grid = (max(1, round(height / shrink)), max(1, round(width / shrink)))
    combined = torch.zeros(grid, device=device)
    for level in levels:
        combined = torch.maximum(combined, level_in_image(level, height, width, config, grid))
    if grid == (height, width):
        return combined
    return F.interpolate(combined[None, None], size=(height, width), mode="bilinear", align_corners=False)[0, 0]
