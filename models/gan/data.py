"""The training images: the colour emoji of Debian's fonts-noto-color-emoji, rendered with Pillow.

Emoji are colourful, recognisable at 64 px and ship offline (apt package fonts-noto-color-emoji,
SIL Open Font License). Every single-code-point emoji the font draws is rendered once at the
font's only bitmap size (109 px), cropped to its ink, centred on a white square and shrunk; every
tenth one (in code-point order) is held out, so figures about memorisation have real images the
network never saw to compare with. The set is cached under data/gan/ and rebuilt identically
when absent. Augmentation (random shift, scale and mirror) happens per batch in `Augmenter`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
DATA_DIR = Path("data/gan")
# Blocks of single-code-point emoji (Misc symbols, dingbats, pictographs, emoticons, transport,
# supplemental and extended pictographs). Flags and skin-tone sequences are left out.
RANGES = ((0x2600, 0x27C0), (0x1F300, 0x1F650), (0x1F680, 0x1F700), (0x1F900, 0x1FA00), (0x1FA70, 0x1FB00))
HOLD_OUT_EVERY = 10
CANVAS = 72  # rendered side: the emoji fills FILL of it; training crops of `size` are cut from it
FILL = 0.8


def _render_all(canvas: int) -> tuple[np.ndarray, list[int]]:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 109)  # the only size the bitmap font has
    inner = round(canvas * FILL)
    images, codepoints, seen = [], [], set()
    for start, stop in RANGES:
        for codepoint in range(start, stop):
            glyph = Image.new("RGBA", (160, 140), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((4, 4), chr(codepoint), font=font, embedded_color=True)
            box = glyph.getchannel("A").getbbox()
            if box is None:
                continue
            ink = glyph.crop(box)
            digest = hashlib.sha1(ink.tobytes()).hexdigest()
            if digest in seen:  # the font's "missing glyph" box and exact repeats
                continue
            seen.add(digest)
            side = max(ink.size)
            square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
            square.paste(ink, ((side - ink.width) // 2, (side - ink.height) // 2))
            square = square.resize((inner, inner), Image.Resampling.LANCZOS)
            sheet = Image.new("RGBA", (canvas, canvas), (255, 255, 255, 255))
            sheet.alpha_composite(square, ((canvas - inner) // 2, (canvas - inner) // 2))
            images.append(np.asarray(sheet.convert("RGB")))
            codepoints.append(codepoint)
    # The .notdef box is the most repeated ink; drop any glyph identical to it (done by `seen`)
    return np.stack(images), codepoints


def emoji_set(root: Path = DATA_DIR) -> dict:
    """{"train": uint8 (N, 72, 72, 3), "held_out": uint8 (M, 72, 72, 3), "codepoints": {...}},
    rendered once and cached in `root`."""
    path = root / f"emoji-{CANVAS}.npz"
    if not path.exists():
        root.mkdir(parents=True, exist_ok=True)
        images, codepoints = _render_all(CANVAS)
        held = np.arange(len(images)) % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1
        partial = path.with_suffix(".partial.npz")
        np.savez_compressed(partial, train=images[~held], held_out=images[held],
                            train_codepoints=np.array(codepoints)[~held],
                            held_out_codepoints=np.array(codepoints)[held])
        partial.replace(path)
    with np.load(path) as stored:
        return {key: stored[key] for key in stored.files}


def to_tensor(images: np.ndarray, size: int) -> torch.Tensor:
    """uint8 (N, H, W, 3) -> float (N, 3, size, size) in [-1, 1], the emoji centred at full size."""
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 127.5 - 1
    crop = (x.shape[-1] - 64) // 2  # the 64 px view the augmenter centres on
    x = x[..., crop: x.shape[-1] - crop, crop: x.shape[-1] - crop]
    return F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)


class Augmenter:
    """Random crops of a 72 px canvas (shift of up to 4 px, zoom 0.9-1.1), mirrored half the time,
    then brought to `size`: one draw per image, from a seeded generator so a run is repeatable."""

    def __init__(self, images: np.ndarray, size: int, generator: torch.Generator) -> None:
        self.images = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 127.5 - 1  # (N, 3, 72, 72)
        self.size, self.generator = size, generator

    def batch(self, count: int) -> torch.Tensor:
        g = self.generator
        index = torch.randint(len(self.images), (count,), generator=g)
        x = self.images[index]
        scale = (0.9 + 0.2 * torch.rand(count, generator=g)) * 64 / x.shape[-1]
        shift = (torch.rand(count, 2, generator=g) * 2 - 1) * 4 / (x.shape[-1] / 2)
        flip = torch.where(torch.rand(count, generator=g) < 0.5, -1.0, 1.0)
        theta = torch.zeros(count, 2, 3)
        theta[:, 0, 0] = scale * flip
        theta[:, 1, 1] = scale
        theta[:, :, 2] = shift
        # sample at 2x then pool: cheap antialiasing
        grid = F.affine_grid(theta, (count, 3, self.size * 2, self.size * 2), align_corners=False)
        out = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
        return F.avg_pool2d(out, 2)
