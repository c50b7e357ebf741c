"""Training and validation photos for the colorization demo, and the crops cut from them.

Only colour photos that ship offline: scikit-image's bundled images and the photographs among
the wallpapers of Debian's mate-backgrounds, plasma-workspace-wallpapers and gnome-backgrounds
packages (gnome-backgrounds 43 holds only drawn patterns, so none of it qualifies; its list is
empty on purpose). Whole images are split: no validation crop comes from a training image.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image

from models.colorization.lab import rgb_to_lab

MATE = Path("/usr/share/backgrounds/mate/nature")
PLASMA = Path("/usr/share/wallpapers")


@dataclass(frozen=True)
class Photo:
    name: str  # short label for the model card
    package: str  # "scikit-image" or the Debian package
    path: Path

    def exists(self) -> bool:
        return self.path.is_file()


def _skimage(name: str) -> Photo:
    import skimage  # a test and training dependency, not one of the app's

    return Photo(name, "scikit-image", Path(skimage.__file__).parent / "data" / name)


def _mate(name: str) -> Photo:
    return Photo(name, "mate-backgrounds", MATE / name)


def _plasma(name: str) -> Photo:
    # each Plasma wallpaper ships in several sizes of one picture; use the largest file
    folder = PLASMA / name / "contents" / "images"
    files = sorted(folder.glob("*.jpg"), key=lambda p: p.stat().st_size) if folder.is_dir() else []
    return Photo(name, "plasma-workspace-wallpapers", files[-1] if files else folder / "missing.jpg")


@lru_cache(maxsize=1)
def training_photos() -> tuple[Photo, ...]:
    """Photographs (not drawings or renders) chosen by looking at every wallpaper."""
    return (
        _skimage("astronaut.png"),
        _skimage("rocket.jpg"),
        _skimage("motorcycle_left.png"),
        *(
            _mate(name)
            for name in (
                "Aqua.jpg", "Blinds.jpg", "Dune.jpg", "FreshFlower.jpg", "GreenMeadow.jpg", "LadyBird.jpg",
                "RainDrops.jpg", "Storm.jpg", "TwoWings.jpg", "Wood.jpg", "YellowFlower.jpg",
            )
        ),
        *(
            _plasma(name)
            for name in (
                "Autumn", "BytheWater", "ColdRipple", "DarkestHour", "FallenLeaf", "Kite", "OneStandsOut",
                "Path", "summer_1am",
            )
        ),
    )


@lru_cache(maxsize=1)
def validation_photos() -> tuple[Photo, ...]:
    """Held-out photos; the first two ship with scikit-image, so tests can always use them."""
    return (_skimage("chelsea.png"), _skimage("coffee.png"), _mate("Garden.jpg"), _plasma("EveningGlow"))


def load_rgb(path: Path, *, short_side: int | None = None, enlarge: bool = False) -> torch.Tensor:
    """An image file -> sRGB (3, H, W) float in [0, 1], shrunk (or, with `enlarge`, also grown)
    so its shorter side is `short_side`."""
    with Image.open(path) as image:
        image = image.convert("RGB")
        if short_side is not None and (min(image.size) > short_side or enlarge):
            scale = short_side / min(image.size)
            image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
        data = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8)
        return data.view(image.height, image.width, 3).permute(2, 0, 1).float() / 255


class CropSampler:
    """Random training crops (scale jitter, horizontal flips) as Lab batches, drawn from a
    seeded generator so a run, and a resumed run, sees the same crops."""

    def __init__(self, photos: tuple[Photo, ...], *, crop: int, short_side: int = 512, scales=(0.5, 1.0)) -> None:
        self.images = [load_rgb(photo.path, short_side=short_side) for photo in photos]
        self.crop = crop
        self.scales = scales

    def batch(self, size: int, generator: torch.Generator) -> torch.Tensor:
        """Lab crops (size, 3, crop, crop)."""
        crops = []
        for _ in range(size):
            image = self.images[int(torch.randint(len(self.images), (1,), generator=generator))]
            _, height, width = image.shape
            low, high = self.scales
            scale = low + (high - low) * float(torch.rand(1, generator=generator))
            side = min(height, width, max(self.crop, round(self.crop / scale)))  # source pixels cut
            top = int(torch.randint(height - side + 1, (1,), generator=generator))
            left = int(torch.randint(width - side + 1, (1,), generator=generator))
            patch = image[:, top : top + side, left : left + side].unsqueeze(0)
            patch = F.interpolate(patch, size=(self.crop, self.crop), mode="bilinear", antialias=True,
                                  align_corners=False)
            if float(torch.rand(1, generator=generator)) < 0.5:
                patch = patch.flip(-1)
            crops.append(patch[0].clamp(0, 1))
        return rgb_to_lab(torch.stack(crops))

    def all_pixels_ab(self, *, short_side: int = 128) -> torch.Tensor:
        """ab of every training image at low resolution, (1, 2, 1, P): for the colour prior."""
        columns = []
        for image in self.images:
            scale = short_side / min(image.shape[1:])
            small = F.interpolate(image.unsqueeze(0), scale_factor=scale, mode="area")
            columns.append(rgb_to_lab(small)[0, 1:].reshape(2, -1))
        return torch.cat(columns, dim=1).view(1, 2, 1, -1)


def validation_crops(photos: tuple[Photo, ...] | None = None, *, size: int = 256) -> torch.Tensor:
    """Fixed Lab crops (N, 3, size, size): five per held-out photo (four corners and the centre)
    of the photo shrunk to a shorter side of 1.25 x size."""
    crops = []
    for photo in photos or validation_photos():
        image = load_rgb(photo.path, short_side=round(size * 1.25), enlarge=True)
        _, height, width = image.shape
        for top, left in ((0, 0), (0, width - size), (height - size, 0), (height - size, width - size),
                          ((height - size) // 2, (width - size) // 2)):
            crops.append(image[:, top : top + size, left : left + size])
    return rgb_to_lab(torch.stack(crops))
