"""Settings of the face heat-map demo (MTCNN, Zhang et al. 2016; DDFD, Farfade et al. 2015),
in one dataclass. What a user may change per request (threshold, min_face, stages) is in
`params`; these are the fixed parts of the cascade."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaceConfig:
    window: int = 12  # P-Net's input: the smallest face a scale finds is window / scale px
    stride: int = 2  # P-Net's map step in the resized image (its one 2x2 max-pool)
    scale_step: float = 0.709  # ~1/sqrt(2): each pyramid level has half the pixels of the last
    pixel_mean: float = 127.5  # the released nets take (rgb - 127.5) / 128
    pixel_scale: float = 1 / 128
    # Stage 1 (P-Net): windows above the user's threshold, NMS within a scale, then across.
    nms_per_scale: float = 0.5
    nms_across_scales: float = 0.7
    mosaic_area: int = 1_000_000  # px: pyramid levels up to this share one P-Net pass
    heatmap_pixels: int = 1_000_000  # px: bigger photos combine the maps on a coarser grid
    max_per_scale: int = 2000  # best windows kept per scale before its NMS (bounds the IoU matrix)
    # Stage 2 (R-Net, 24x24 crops) and 3 (O-Net, 48x48 crops): the authors' thresholds.
    rnet_size: int = 24
    rnet_threshold: float = 0.7
    rnet_nms: float = 0.7
    onet_size: int = 48
    onet_threshold: float = 0.7
    onet_nms: float = 0.7  # over the smaller box's area ("min" overlap), as the authors' code
    crop_supersample: int = 96  # crops are sampled at this size, then averaged down (anti-alias)
