"""The style-transfer demo's entry points: load every generator and the feature network; stylise
one photo, fast (a generator) or by optimisation (Gatys et al.), with previews.

Fast: the photo is brought to at most 512 px on its longer side (sides multiples of 4), run
through the style's generator, blended with the photo by the strength (params.py says how)
and brought back to the upload's own size. Optimise: the image is optimised at 256 px from
the photo (or, with an uploaded style image, against that image's Gram matrices), writing
`preview-<k>.png` every 25 steps; the result is upsampled to the upload's size.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from models.style_transfer.data import STYLE_NAMES, load_rgb, load_style
from models.style_transfer.features import RandomFeatures, gram, style_loss, style_targets
from models.style_transfer.net import Generator, TextureGenerator
from models.style_transfer.optimise import STYLE_WEIGHT, stylise_by_optimisation, synthesise_texture
from models.style_transfer.params import read_params, strength_fraction
from models.style_transfer.texture import load_texture_generator

FAST_SIZE = 512  # longest side the generators see
OPTIMISE_SIZE = 256  # longest side the optimisation works at
STYLE_UPLOAD_SIZE = 256
PREVIEW_EVERY = 25


class StyleTransfer(nn.Module):
    """Every shipped generator, by style name, and the fixed random feature network."""

    def __init__(self, generators: dict[str, Generator], textures: dict[str, TextureGenerator] | None = None) -> None:
        super().__init__()
        self.generators = nn.ModuleDict(generators)
        self.textures = nn.ModuleDict(textures or {})
        self.features = RandomFeatures()
        self.style_grams = {name: style_targets(self.features, load_style(name)) for name in generators}


def load_generator(path: Path) -> Generator:
    state = torch.load(path, map_location="cpu", weights_only=True)
    width = state["down.0.1.weight"].shape[0]
    blocks = len({key.split(".")[1] for key in state if key.startswith("res.")})
    generator = Generator(width, blocks)
    generator.load_state_dict(state)
    return generator.eval()


def load(weights: list[Path], device: torch.device) -> StyleTransfer:
    """One `<style>.pt` per style and `texture-<style>.pt` per texture network (the file's stem
    names it); other files are ignored."""
    paths = [Path(p) for p in weights]
    generators = {p.stem: load_generator(p) for p in paths if p.stem in STYLE_NAMES}
    textures = {p.stem.removeprefix("texture-"): load_texture_generator(p) for p in paths
                if p.stem.startswith("texture-") and p.stem.removeprefix("texture-") in STYLE_NAMES}
    return StyleTransfer(generators, textures).to(device).eval()


def fitted_size(height: int, width: int, longest: int, multiple: int = 4) -> tuple[int, int]:
    scale = min(1.0, longest / max(height, width))
    return tuple(max(multiple, multiple * round(side * scale / multiple)) for side in (height, width))  # type: ignore[return-value]


def resize(image: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    if tuple(image.shape[1:]) == tuple(size):
        return image
    return F.interpolate(image[None], size=size, mode="bilinear", antialias=True, align_corners=False)[0].clamp(0, 1)


def stylise_fast(generator: Generator, content: torch.Tensor, strength: float = 1.0) -> torch.Tensor:
    """(3, H, W) -> (3, H, W): the generator at <= 512 px, brought to the photo's size and
    blended with it by `strength` (1: the generator's output as trained)."""
    small = resize(content, fitted_size(*content.shape[1:], FAST_SIZE))
    with torch.inference_mode():
        stylised = generator(small[None])[0]
    if strength == 1.0:
        return resize(stylised, tuple(content.shape[1:]))
    # the blend at the photo's own size, so a low strength keeps its full detail (0: the photo itself)
    return (content + strength * (resize(stylised, tuple(content.shape[1:])) - content)).clamp(0, 1)


def save_png(image: torch.Tensor, path: Path) -> None:
    pixels = (image.detach() * 255).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).contiguous().numpy()
    Image.fromarray(pixels).save(path, format="PNG", compress_level=1)


def gram_loss(model: StyleTransfer, image: torch.Tensor, targets: list[torch.Tensor]) -> float:
    """The style loss of `image` (at <= 256 px) against a style's Gram targets."""
    with torch.inference_mode():
        maps = model.features(resize(image, fitted_size(*image.shape[1:], OPTIMISE_SIZE))[None])
        return float(style_loss(maps, targets))


def predict(model: StyleTransfer, params: dict, inputs: dict[str, Path], out_dir: Path,
            progress: Callable[[float], None]) -> dict:
    checked = read_params(params)
    style, method = str(checked["style"]), str(checked["method"])
    strength = strength_fraction(float(checked["style_weight"]))  # type: ignore[arg-type]
    style_image = inputs.get("style_image")
    if method == "texture":
        return _texture(model, checked, style, style_image, out_dir, progress)
    content = load_rgb(inputs["content"])
    height, width = content.shape[1:]
    if style_image is not None:
        method, style = "optimise", "upload"
        style_pixels = load_rgb(style_image, longest=STYLE_UPLOAD_SIZE)
        targets = style_targets(model.features, style_pixels)
    else:
        targets = model.style_grams[style]
        style_pixels = load_style(style)
    progress(0.05)
    started = time.perf_counter()
    previews: list[str] = []
    result: dict = {"method": method, "style": style, "width": int(width), "height": int(height),
                    "style_weight": float(checked["style_weight"])}  # type: ignore[arg-type]
    if method == "fast":
        stylised = stylise_fast(model.generators[style], content, strength)
        result["seconds"] = {"stylise": round(time.perf_counter() - started, 3)}
    else:
        steps = int(checked["steps"])  # type: ignore[call-overload]
        small = resize(content, fitted_size(height, width, OPTIMISE_SIZE, multiple=1))

        def on_step(step: int, total: int, image: torch.Tensor, losses: dict[str, float]) -> None:
            name = f"preview-{len(previews) + 1}.png"
            save_png(image, out_dir / name)
            previews.append(name)
            progress(0.05 + 0.9 * step / total)

        with torch.inference_mode(False), torch.enable_grad():  # whatever mode the caller runs in
            image, losses = stylise_by_optimisation(model.features, small, style_pixels, steps=steps,
                                                    style_weight=STYLE_WEIGHT * strength,
                                                    preview_every=PREVIEW_EVERY, on_step=on_step)
        stylised = resize(image, (height, width))
        result["seconds"] = {"optimise": round(time.perf_counter() - started, 3)}
        result["steps"] = steps
        result["final_losses"] = {k: round(v, 5) for k, v in losses.items()}
        result["previews"] = previews
    save_png(stylised, out_dir / "stylised.png")
    result["gram_loss"] = {"content": round(gram_loss(model, content, targets), 5),
                           "stylised": round(gram_loss(model, stylised, targets), 5)}
    progress(1.0)
    return result


TEXTURE_SIZE = (256, 256)


def _texture(model: StyleTransfer, checked: dict, style: str, style_image: Path | None, out_dir: Path,
             progress: Callable[[float], None]) -> dict:
    """Texture synthesis (Ulyanov et al.'s first half): noise -> an image with the sample's Gram
    matrices. A shipped artwork with a texture network gets one pass of it (instant); an
    uploaded sample, or an artwork without one, is synthesised by optimisation with previews."""
    seed, started = int(checked["seed"]), time.perf_counter()
    if style_image is None and style in model.textures:
        texture = model.textures[style].sample(*TEXTURE_SIZE, seed=seed)
        save_png(texture, out_dir / "texture.png")
        save_png(texture, out_dir / "stylised.png")  # the spec's result file, so `?wait=` answers with it
        progress(1.0)
        return {"method": "texture", "generator": True, "style": style, "seed": seed, "width": TEXTURE_SIZE[1],
                "height": TEXTURE_SIZE[0], "seconds": {"synthesise": round(time.perf_counter() - started, 3)},
                "gram_loss": {"texture": round(gram_loss(model, texture, model.style_grams[style]), 5)}}
    sample = load_rgb(style_image, longest=STYLE_UPLOAD_SIZE) if style_image is not None else load_style(style)
    previews: list[str] = []
    steps = int(checked["steps"])

    def on_step(step: int, total: int, image: torch.Tensor, losses: dict[str, float]) -> None:
        name = f"preview-{len(previews) + 1}.png"
        save_png(image, out_dir / name)
        previews.append(name)
        progress(0.05 + 0.9 * step / total)

    with torch.inference_mode(False), torch.enable_grad():
        texture, losses = synthesise_texture(model.features, sample, TEXTURE_SIZE, steps=steps, seed=seed,
                                             preview_every=PREVIEW_EVERY, on_step=on_step)
    save_png(texture, out_dir / "texture.png")
    save_png(texture, out_dir / "stylised.png")  # the spec's result file, so `?wait=` answers with it
    progress(1.0)
    return {"method": "texture", "generator": False, "style": "upload" if style_image is not None else style,
            "seed": seed,
            "width": TEXTURE_SIZE[1], "height": TEXTURE_SIZE[0], "steps": steps,
            "seconds": {"synthesise": round(time.perf_counter() - started, 3)},
            "final_losses": {k: round(v, 5) for k, v in losses.items()}, "previews": previews}


__all__ = ["StyleTransfer", "gram", "load", "predict", "stylise_fast"]
