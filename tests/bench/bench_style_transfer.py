"""`make bench`, style transfer: the paper's trade-off in one run on one photo. A trained
generator (Johnson et al.; Ulyanov et al.) repaints a 512x512 photo in one pass; Gatys et al.'s
optimisation reaches the same kind of result by moving the pixels for many steps. Printed side
by side: the time of each and the style (Gram) loss each reaches, for every shipped style.
Target: the feed-forward pass under 0.5 s at 512 px on these 2 cores.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from models.style_transfer.data import load_style  # noqa: E402
from models.style_transfer.optimise import STYLE_WEIGHT, stylise_by_optimisation  # noqa: E402
from models.style_transfer.predict import OPTIMISE_SIZE, fitted_size, gram_loss, load, resize, stylise_fast  # noqa: E402
from models.style_transfer.spec import SPEC  # noqa: E402

TARGET_S = 0.5
STEPS = 150
TEXTURE_SIDE = 256


def photo(side: int = 512) -> torch.Tensor:
    """scikit-image's coffee cup (CC0), square, as (3, side, side) in [0, 1]."""
    import skimage.data
    import torch.nn.functional as F

    image = torch.from_numpy(skimage.data.coffee()).permute(2, 0, 1).float() / 255
    return F.interpolate(image[None], size=(side, side), mode="bilinear", antialias=True)[0].clamp(0, 1)


def main() -> None:
    torch.set_num_threads(2)
    model = load([weights.location for weights in SPEC.weights], torch.device("cpu"))
    content = photo()
    print(f"one 512x512 photo, {torch.get_num_threads()} threads; optimisation: {STEPS} steps at {OPTIMISE_SIZE} px")
    print(f"{'style':<12} {'fast s':>8} {'optimise s':>11} {'speed-up':>9} "
          f"{'Gram loss: photo':>17} {'fast':>9} {'optimise':>9}")
    for style, generator in model.generators.items():
        stylise_fast(generator, content)  # warm-up
        times = []
        for _ in range(5):
            started = time.perf_counter()
            fast = stylise_fast(generator, content)
            times.append(time.perf_counter() - started)
        fast_s = statistics.median(times)
        small = resize(content, fitted_size(512, 512, OPTIMISE_SIZE, multiple=1))
        started = time.perf_counter()
        with torch.enable_grad():
            slow, _ = stylise_by_optimisation(model.features, small, load_style(style), steps=STEPS,
                                              style_weight=STYLE_WEIGHT)
        slow_s = time.perf_counter() - started
        targets = model.style_grams[style]
        losses = [gram_loss(model, image, targets) for image in (content, fast, slow)]
        print(f"{style:<12} {fast_s:8.3f} {slow_s:11.2f} {slow_s / fast_s:8.0f}x {losses[0]:17.4f} {losses[1]:9.4f} "
              f"{losses[2]:9.4f}")
    print(f"target: fast under {TARGET_S} s at 512 px")
    texture_trade_off(model)


def texture_trade_off(model) -> None:
    """Texture Networks' own comparison: the trained noise -> texture network against growing
    the texture by optimisation, same sample, same size, same run."""
    from models.style_transfer.optimise import synthesise_texture

    for name, network in model.textures.items():
        network.sample(TEXTURE_SIDE, TEXTURE_SIDE, seed=0)  # warm-up
        times = []
        for seed in range(5):
            started = time.perf_counter()
            texture = network.sample(TEXTURE_SIDE, TEXTURE_SIDE, seed=seed)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        with torch.enable_grad():
            grown, _ = synthesise_texture(model.features, load_style(name), (TEXTURE_SIDE, TEXTURE_SIDE), steps=STEPS)
        slow_s = time.perf_counter() - started
        fast_s = statistics.median(times)
        targets = model.style_grams[name]
        print(f"texture {name} at {TEXTURE_SIDE} px: network {fast_s:.3f} s (Gram loss "
              f"{gram_loss(model, texture, targets):.4f}), optimisation {STEPS} steps {slow_s:.2f} s (Gram loss "
              f"{gram_loss(model, grown, targets):.4f}), speed-up {slow_s / fast_s:.0f}x")


if __name__ == "__main__":
    main()
