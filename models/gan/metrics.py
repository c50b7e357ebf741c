"""Quality figures of a generator, computed the same way for every checkpoint.

Feature space. Distances between images are measured in two spaces:

- pixels at 32 x 32 (root mean square difference on the [-1, 1] scale): a copy of a training
  image is near zero here, so this is the honest test for memorisation;
- a fixed, randomly initialised convolutional network (seeded; never trained): three 3x3
  convolution + ReLU + 2x2 average-pool stages, widths 32, 64, 128, whose pooled responses at
  every stage are concatenated and L2-normalised. Random convolutional features respond to
  colour, edges and local texture at three scales, which is what tells one emoji from another,
  and they owe nothing to either side of the comparison. The discriminator's features would be
  biased: they were trained to separate these very generated images from the real ones, and
  an ImageNet network is neither shipped offline here nor made for 64 px cartoons.

Nearest-neighbour distance: for each generated image, the distance to its nearest training
image. Compared with the same figure for held-out real emoji (which the generator never saw), a
generator that memorised would sit far below it; one that makes blurry averages far above it.

Precision and recall proxy: the k-nearest-neighbour manifold estimate of Kynkäänniemi et al.
(2019). Each real feature vector gets a ball reaching its k-th nearest real neighbour; precision
is the share of generated images inside some real ball (realism), recall the share of real
images inside some ball around the generated ones (coverage).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

FEATURE_SEED = 2016
K = 3


class RandomFeatures(nn.Module):
    def __init__(self, seed: int = FEATURE_SEED) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.weights = nn.ParameterList()
        cin = 3
        for cout in (32, 64, 128):
            fan_in = cin * 9
            self.weights.append(nn.Parameter(torch.randn(cout, cin, 3, 3, generator=g) * (2 / fan_in) ** 0.5,
                                             requires_grad=False))
            cin = cout

    @torch.no_grad()
    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """(B, 3, s, s) in [-1, 1] -> (B, 32 * 16 + 64 * 4 + 128 * 4) unit vectors."""
        x = F.interpolate(images, size=(64, 64), mode="bilinear", antialias=True, align_corners=False)
        parts = []
        for weight, grid in zip(self.weights, (4, 2, 2), strict=True):
            x = F.avg_pool2d(F.relu(F.conv2d(x, weight, padding=1)), 2)
            parts.append(F.adaptive_avg_pool2d(x, grid).flatten(1))
        return F.normalize(torch.cat(parts, 1), dim=1)


def pixel_features(images: torch.Tensor) -> torch.Tensor:
    """(B, 3, s, s) -> (B, 3 * 32 * 32), scaled so Euclidean distance is the RMS pixel difference."""
    small = F.interpolate(images, size=(32, 32), mode="bilinear", antialias=True, align_corners=False)
    return small.flatten(1) / (small[0].numel() ** 0.5)


def embed(images: torch.Tensor, space: str, features: RandomFeatures | None = None, chunk: int = 256) -> torch.Tensor:
    if space == "pixels":
        return pixel_features(images)
    features = features or RandomFeatures()
    return torch.cat([features(part) for part in images.split(chunk)])


def nearest_distance(queries: torch.Tensor, references: torch.Tensor, *, skip_self: bool = False) -> torch.Tensor:
    """(Q,) distance from each query to its nearest reference (skipping a zero self-match)."""
    distances = torch.cdist(queries, references)
    if skip_self:
        distances.fill_diagonal_(float("inf"))
    return distances.min(1).values


def _radii(points: torch.Tensor, k: int) -> torch.Tensor:
    distances = torch.cdist(points, points)
    return distances.kthvalue(k + 1, dim=1).values  # the 0 to itself is the first


def precision_recall(real: torch.Tensor, fake: torch.Tensor, k: int = K) -> dict[str, float]:
    """Kynkäänniemi et al.'s improved precision and recall of feature sets (N, d), (M, d)."""
    real_radii, fake_radii = _radii(real, k), _radii(fake, k)
    inside_real = (torch.cdist(fake, real) <= real_radii.unsqueeze(0)).any(1)
    inside_fake = (torch.cdist(real, fake) <= fake_radii.unsqueeze(0)).any(1)
    return {"precision": inside_real.float().mean().item(), "recall": inside_fake.float().mean().item()}


def quality(images: torch.Tensor, train: torch.Tensor, features: RandomFeatures | None = None) -> dict[str, float]:
    """The card's figures for one set of images against the training images (both (N, 3, s, s))."""
    features = features or RandomFeatures()
    f_images, f_train = embed(images, "features", features), embed(train, "features", features)
    pr = precision_recall(f_train, f_images)
    return {
        "precision": round(pr["precision"], 3),
        "recall": round(pr["recall"], 3),
        "nn_pixels": round(nearest_distance(embed(images, "pixels"), embed(train, "pixels")).median().item(), 4),
        "nn_features": round(nearest_distance(f_images, f_train).median().item(), 4),
    }
