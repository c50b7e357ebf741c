"""The artworks, the content photos and the crops cut from them. Everything ships offline.

Styles: four wallpapers of Debian packages (GPL-2+), shipped as <= 256 px copies in
`page/styles/` with credit (README in the weights folder). They are the style targets: the Gram
matrices of the random features are taken of these copies, at this size.

Content: photographs among the Debian wallpapers and scikit-image's data (the list the
colorization demo uses), except scikit-image's astronaut, coffee and chelsea, which are held
out for the evaluation and never used in training.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image

STYLES_DIR = Path(__file__).resolve().parent / "page" / "styles"  # served to the widget too
MATE = Path("/usr/share/backgrounds/mate")
PLASMA = Path("/usr/share/wallpapers")
STYLE_SIZE = 256  # longest side of the shipped style copies


@dataclass(frozen=True)
class Artwork:
    name: str  # the style's name in the demo
    title: str
    package: str
    source: str  # the file in the package
    copyright: str
    licence: str

    @property
    def path(self) -> Path:
        return STYLES_DIR / f"{self.name}.jpg"


STYLES: tuple[Artwork, ...] = (
    Artwork("elephants", "Elephants", "mate-backgrounds", "/usr/share/backgrounds/mate/abstract/Elephants.jpg",
            "2020 Wyng Stancikaite", "GPL-2+"),
    Artwork("kay", "Kay", "plasma-workspace-wallpapers", "/usr/share/wallpapers/Kay/contents/images/5120x2880.png",
            "2014- KDE Visual Design Group", "GPL-2+"),
    Artwork("hexagons", "Flow", "plasma-workspace-wallpapers",
            "/usr/share/wallpapers/Flow/contents/images/5120x2880.jpg", "2014- KDE Visual Design Group", "GPL-2+"),
    Artwork("shell", "Shell", "plasma-workspace-wallpapers",
            "/usr/share/wallpapers/Shell/contents/images/5120x2880.jpg", "2014- KDE Visual Design Group", "GPL-2+"),
)
STYLE_NAMES = tuple(a.name for a in STYLES)


def find_style(name: str) -> Artwork:
    for artwork in STYLES:
        if artwork.name == name:
            return artwork
    raise KeyError(name)


def load_rgb(path: Path, longest: int | None = None) -> torch.Tensor:
    """An image file -> sRGB (3, H, W) in [0, 1]; with `longest`, shrunk (antialiased) so its
    longer side is at most that."""
    with Image.open(path) as image:
        image = image.convert("RGB")
        if longest and max(image.size) > longest:
            scale = longest / max(image.size)
            image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                                 Image.Resampling.LANCZOS)
        data = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8)
        return data.view(image.height, image.width, 3).permute(2, 0, 1).float() / 255


def load_style(name: str) -> torch.Tensor:
    return load_rgb(find_style(name).path)


def make_style_copies() -> None:
    """Write the shipped `page/styles/<name>.jpg` from the packages (run once, by hand)."""
    STYLES_DIR.mkdir(exist_ok=True)
    for artwork in STYLES:
        with Image.open(artwork.source) as image:
            image = image.convert("RGB")
            image.thumbnail((STYLE_SIZE, STYLE_SIZE), Image.Resampling.LANCZOS)
            image.save(artwork.path, quality=92)


def _skimage_path(name: str) -> Path:
    import skimage  # a training and test dependency, not one of the app's

    return Path(skimage.__file__).parent / "data" / name


def _plasma(name: str) -> Path:
    folder = PLASMA / name / "contents" / "images"
    files = sorted(folder.glob("*.jpg"), key=lambda p: p.stat().st_size) if folder.is_dir() else []
    return files[-1] if files else folder / "missing.jpg"


def training_photo_paths() -> tuple[Path, ...]:
    nature = ("Aqua.jpg", "Blinds.jpg", "Dune.jpg", "FreshFlower.jpg", "GreenMeadow.jpg", "LadyBird.jpg",
              "RainDrops.jpg", "Storm.jpg", "TwoWings.jpg", "Wood.jpg", "YellowFlower.jpg", "Garden.jpg")
    plasma = ("Autumn", "BytheWater", "ColdRipple", "DarkestHour", "FallenLeaf", "Kite", "OneStandsOut", "Path",
              "summer_1am", "EveningGlow")
    paths = (
        *(_skimage_path(n) for n in ("rocket.jpg", "motorcycle_left.png")),
        *(MATE / "nature" / n for n in nature),
        *(_plasma(n) for n in plasma),
    )
    return tuple(p for p in paths if p.is_file())


HELD_OUT = ("astronaut.png", "coffee.png", "chelsea.png")


def held_out_photos(size: int = 256) -> list[tuple[str, torch.Tensor]]:
    """The evaluation's photos, longer side `size`, sides multiples of 4."""
    photos = []
    for name in HELD_OUT:
        rgb = load_rgb(_skimage_path(name), longest=size)
        h, w = (rgb.shape[1] // 4) * 4, (rgb.shape[2] // 4) * 4
        photos.append((name, rgb[:, :h, :w]))
    return photos


@lru_cache(maxsize=1)
def training_photos(shorter: int = 320) -> tuple[torch.Tensor, ...]:
    """The content photos, shrunk to a `shorter`-px shorter side (crops then cover a good part
    of the picture, as the generator will see whole photos)."""
    photos = []
    for path in training_photo_paths():
        rgb = load_rgb(path, longest=4096)
        scale = shorter / min(rgb.shape[1:])
        size = (round(rgb.shape[1] * scale), round(rgb.shape[2] * scale))
        photos.append(F.interpolate(rgb[None], size=size, mode="bilinear", antialias=True,
                                    align_corners=False)[0].clamp(0, 1))
    return tuple(photos)


def random_crops(images: tuple[torch.Tensor, ...] | list[torch.Tensor], count: int, size: int,
                 generator: torch.Generator) -> torch.Tensor:
    """`count` random size x size crops (random image, position, horizontal flip)."""
    crops = []
    for _ in range(count):
        image = images[int(torch.randint(len(images), (1,), generator=generator))]
        top = int(torch.randint(image.shape[1] - size + 1, (1,), generator=generator))
        left = int(torch.randint(image.shape[2] - size + 1, (1,), generator=generator))
        crop = image[:, top:top + size, left:left + size]
        if torch.rand((), generator=generator) < 0.5:
            crop = crop.flip(2)
        crops.append(crop)
    return torch.stack(crops)
