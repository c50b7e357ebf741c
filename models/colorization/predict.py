"""The colorization demo's entry points: load the network, colour one photo.

The network sees the photo's L channel with its longer side brought to the working size (256,
the paper's input size; aspect kept, sides multiples of 8) and predicts a distribution over ab
bins on a grid a quarter of that size. The annealed mean of that distribution is upsampled to
the photo's own size and joined with its full-resolution L, so the result keeps the upload's
size and detail. Beside the PNG, the job writes the distribution itself (`distribution.bin`)
so the page can re-decode it at another temperature, or chart one pixel's, without a rerun.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image

from models.colorization.bins import annealed_mean
from models.colorization.config import ColorizationConfig
from models.colorization.data import load_rgb
from models.colorization.lab import lab_to_rgb, lightness_to_grey, rgb_to_lab, rgb_to_lightness
from models.colorization.net import ECCV16Colorizer
from models.colorization.params import read_params

LOG_FLOOR = -12.0  # log-probabilities below this are stored as the floor (e^-12 ≈ 6e-6)
COLOUR_CHROMA = 4.0  # an upload counts as a colour photo when 1% of its pixels are this vivid


def load(weights: list[Path], device: torch.device) -> ECCV16Colorizer:
    """Any ECCV16 checkpoint: ours (narrow, our own bins) or the official full-width one. The
    width and bin count are read off the tensors, and the bin centres sit in `model_out`."""
    state = torch.load(weights[0], map_location="cpu", weights_only=True)
    channels = tuple(state[f"model{block}.0.weight"].shape[0] for block in (1, 2, 3, 4))
    model = ECCV16Colorizer(num_bins=state["model8.6.weight"].shape[0], channels=channels)
    model.load_state_dict({name: tensor.float() for name, tensor in state.items()})
    return model.to(device).eval()


def network_size(height: int, width: int, working_size: int) -> tuple[int, int]:
    """(h, w) the network sees: longer side `working_size`, aspect kept, multiples of 8."""
    scale = working_size / max(height, width)
    return tuple(max(16, 8 * round(side * scale / 8)) for side in (height, width))  # type: ignore[return-value]


def quantize_log_probs(probs: torch.Tensor) -> torch.Tensor:
    """(Q, h, w) probabilities -> uint8 (h, w, Q): log p mapped linearly from [LOG_FLOOR, 0]
    to [0, 255]; a pixel's Q values lie side by side for the page's chart and re-decoding."""
    logs = probs.clamp_min(1e-30).log().clamp(LOG_FLOOR, 0)
    return ((logs - LOG_FLOOR) / -LOG_FLOOR * 255).round().to(torch.uint8).permute(1, 2, 0).contiguous()


def dequantize_log_probs(codes: torch.Tensor) -> torch.Tensor:
    """Inverse of `quantize_log_probs`: uint8 (h, w, Q) -> probabilities (Q, h, w), renormalised."""
    probs = (codes.float() / 255 * -LOG_FLOOR + LOG_FLOOR).exp().permute(2, 0, 1)
    return probs / probs.sum(dim=0, keepdim=True)


def save_png(image: torch.Tensor, path: Path) -> None:
    """sRGB (3, H, W) or grey (1, H, W) in [0, 1] -> 8-bit PNG (fast compression: the demo
    answers in real time)."""
    pixels = (image * 255).round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).contiguous().numpy()
    Image.fromarray(pixels[:, :, 0] if image.shape[0] == 1 else pixels).save(path, format="PNG", compress_level=1)


def colorize(model: ECCV16Colorizer, rgb: torch.Tensor, *, temperature: float) -> dict[str, torch.Tensor]:
    """sRGB (3, H, W) -> the full-resolution L (1, H, W), the Lab image at the network's size,
    the distribution (Q, h, w), the upsampled ab (2, H, W) and the result (3, H, W)."""
    config: ColorizationConfig = model.config
    device = next(model.parameters()).device
    rgb = rgb.to(device)
    height, width = rgb.shape[1:]
    # Full Lab only at the network's size; at full size L alone (the costly part of big photos).
    small = F.interpolate(rgb[None], size=network_size(height, width, config.working_size), mode="bilinear",
                          antialias=True, align_corners=False)
    small_lab = rgb_to_lab(small.clamp(0, 1))[0]  # (3, h, w)
    light = rgb_to_lightness(rgb)  # (1, H, W)
    with torch.inference_mode():
        probs = model(small_lab[None, :1])[0]  # (Q, h/4, w/4)
        ab = annealed_mean(probs[None], model.bin_centres, temperature=temperature)  # (1, 2, h/4, w/4)
        ab = F.interpolate(ab, size=(height, width), mode="bilinear", align_corners=False)[0]
        result = lab_to_rgb(torch.cat((light, ab)))
    return {"light": light, "small_lab": small_lab, "probs": probs, "ab": ab, "result": result}


def is_colour(lab: torch.Tensor) -> bool:
    """Whether a Lab image (3, h, w) is a colour photo: 1% of its pixels have some chroma."""
    return bool((lab[1:].norm(dim=0) > COLOUR_CHROMA).float().mean() > 0.01)


def predict(model: ECCV16Colorizer, params: dict, inputs: dict[str, Path], out_dir: Path,
            progress: Callable[[float], None]) -> dict:
    temperature = read_params(params)["temperature"]
    rgb = load_rgb(inputs["image"])  # (3, H, W): the upload, already normalised to PNG
    progress(0.1)
    output = colorize(model, rgb, temperature=temperature)
    progress(0.8)
    light, probs = output["light"], output["probs"]
    save_png(output["result"].cpu(), out_dir / "colorized.png")
    save_png(lightness_to_grey(light).cpu(), out_dir / "grey.png")
    (out_dir / "distribution.bin").write_bytes(quantize_log_probs(probs.cpu()).numpy().tobytes())
    centres = model.bin_centres.detach().cpu()
    return {
        "width": int(light.shape[2]),
        "height": int(light.shape[1]),
        "temperature": temperature,
        "colour_input": is_colour(output["small_lab"]),
        "distribution": {
            "file": "distribution.bin",
            "layout": "uint8 [row][column][bin]; log p = LOG_FLOOR * (1 - code / 255)",
            "rows": int(probs.shape[1]),
            "columns": int(probs.shape[2]),
            "bins": int(probs.shape[0]),
            "log_floor": LOG_FLOOR,
            "centres": [[round(float(a), 3), round(float(b), 3)] for a, b in centres],
        },
        "mean_chroma": round(float(output["ab"].norm(dim=0).mean()), 2),  # of the predicted ab
    }
