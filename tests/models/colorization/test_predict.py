"""The demo's entry points: loading any ECCV16 checkpoint, and colouring one uploaded photo."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from PIL import Image
from skimage import data as skimage_data  # test-only dependency: pip install scikit-image

from models.colorization import predict
from models.colorization.bins import annealed_mean, gamut_bins
from models.colorization.data import load_rgb
from models.colorization.lab import lab_to_rgb, rgb_to_lab
from models.colorization.metrics import mean_chroma
from models.colorization.net import ECCV16Colorizer

SHIPPED = Path(predict.__file__).resolve().parent / "weights" / "eccv16-narrow.pt"
PHOTO_SIZE = (75, 53)  # (width, height): not square, not a multiple of 8


def _narrow_net(*, seed: int = 0) -> ECCV16Colorizer:
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    net = ECCV16Colorizer(num_bins=len(gamut_bins()), width=0.125)
    net.set_bin_centres(gamut_bins())
    return net.eval()


def _fixed_distribution() -> torch.Tensor:
    """(Q,) a vivid bin at 40% against near-grey bins: the annealed mean depends on T."""
    centres = gamut_bins()
    vivid = int(torch.cdist(torch.tensor([[60.0, 60.0]]), centres).argmin())
    greys = torch.cdist(torch.zeros(1, 2), centres)[0].topk(6, largest=False).indices
    probs = torch.full((len(centres),), 1e-9)
    probs[vivid], probs[greys] = 0.4, 0.1
    return probs / probs.sum()


def _constant_net() -> ECCV16Colorizer:
    """A network that predicts `_fixed_distribution` at every pixel of any input."""
    net = _narrow_net()
    with torch.no_grad():
        net.model8[6].weight.zero_()
        net.model8[6].bias.copy_(_fixed_distribution().log())
    return net


def _save(net: torch.nn.Module, path: Path) -> Path:
    torch.save(net.state_dict(), path)
    return path


def _loaded(path: Path) -> ECCV16Colorizer:
    return predict.load([path], torch.device("cpu")).eval()  # eval: as models.loading.ModelCache does


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> dict[str, Path]:
    """A colour and a grey PNG of scikit-image's coffee photo at PHOTO_SIZE."""
    folder = tmp_path_factory.mktemp("photos")
    image = Image.fromarray(skimage_data.coffee()).resize(PHOTO_SIZE, Image.Resampling.LANCZOS)
    image.save(folder / "colour.png")
    image.convert("L").save(folder / "grey.png")
    return {"colour": folder / "colour.png", "grey": folder / "grey.png"}


def _predict(net, photo: Path, out_dir: Path, params: dict | None = None) -> dict:
    out_dir.mkdir()
    steps: list[float] = []
    result = predict.predict(net, params or {}, {"image": photo}, out_dir, steps.append)
    assert steps == sorted(steps) and all(0 <= step <= 1 for step in steps)
    return result


def test_load_reads_width_bins_and_centres_off_our_checkpoint(tmp_path: Path) -> None:
    net = _narrow_net()
    loaded = _loaded(_save(net, tmp_path / "narrow.pt"))
    assert loaded.model1[0].out_channels == 8 and loaded.model4[0].out_channels == 64  # 0.125 x 64, x 512
    assert loaded.model8[6].out_channels == len(gamut_bins())
    assert torch.allclose(loaded.bin_centres, gamut_bins(), atol=1e-4)
    for name, tensor in net.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], tensor), name


def test_load_takes_the_official_full_width_checkpoint(tmp_path: Path) -> None:
    torch.set_num_threads(1)
    official = ECCV16Colorizer(num_bins=313, width=1.0)
    # stored in half precision, as a converted download may be: load brings it back to float
    state = {k: v.half() if v.is_floating_point() else v for k, v in official.state_dict().items()}
    torch.save(state, tmp_path / "official.pt")
    loaded = predict.load([tmp_path / "official.pt"], torch.device("cpu"))
    assert loaded.model1[0].out_channels == 64 and loaded.model7[0].out_channels == 512
    assert loaded.model8[6].out_channels == 313 and loaded.bin_centres.shape == (313, 2)
    assert loaded.model1[0].weight.dtype == torch.float32
    assert torch.allclose(loaded.model8[6].weight, official.model8[6].weight, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize(
    ("height", "width", "expected"),
    [(53, 75, (184, 256)), (75, 53, (256, 184)), (256, 256, (256, 256)), (3000, 4000, (192, 256)),
     (100, 3000, (16, 256))],  # a sliver keeps the network's smallest input
)
def test_network_size_keeps_aspect_at_the_working_size(height: int, width: int, expected: tuple[int, int]) -> None:
    size = predict.network_size(height, width, 256)
    assert size == expected
    assert max(size) == 256 and all(side % 8 == 0 for side in size)
    if min(size) > 16:
        assert abs(size[0] / size[1] - height / width) < 8 / max(size)  # within one step of 8


def test_quantized_codes_lie_pixel_by_pixel() -> None:
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(262, 5, 7, generator=generator) * 3  # (Q, h, w)
    winners = torch.randint(262, (5, 7), generator=generator)
    logits.scatter_add_(0, winners[None], torch.full((1, 5, 7), 15.0))  # one clear mode per pixel
    codes = predict.quantize_log_probs(torch.softmax(logits, dim=0))
    assert codes.dtype == torch.uint8 and codes.shape == (5, 7, 262)  # a pixel's bins side by side
    assert torch.equal(codes.argmax(dim=2), winners)
    assert predict.quantize_log_probs(torch.ones(1, 1, 1)).item() == 255  # p = 1: the top code


def test_quantized_log_probabilities_round_trip() -> None:
    generator = torch.Generator().manual_seed(1)
    probs = torch.softmax(torch.randn(262, 5, 7, generator=generator) * 4, dim=0)  # p spans many decades
    codes = predict.quantize_log_probs(probs)
    back = predict.dequantize_log_probs(codes)
    assert back.shape == probs.shape and torch.allclose(back.sum(dim=0), torch.ones(5, 7))
    kept = probs > math.exp(predict.LOG_FLOOR)
    assert kept.float().mean() > 0.25 and not kept.all()  # both sides of the floor occur
    # half a step of 12/255 in log p is 2.4% each way; renormalising adds at most as much again
    assert ((back - probs).abs() / probs)[kept].max() < 0.05
    assert (codes[~kept.permute(1, 2, 0)] == 0).all()  # at or below the floor: code 0


def test_predict_writes_the_files_its_answer_describes(tmp_path: Path, photos) -> None:
    net = _narrow_net()
    result = _predict(net, photos["colour"], tmp_path / "job", {"temperature": "0.5"})
    width, height = PHOTO_SIZE
    assert (result["width"], result["height"], result["temperature"]) == (width, height, 0.5)
    with Image.open(tmp_path / "job" / "colorized.png") as image:
        assert image.size == PHOTO_SIZE and image.mode == "RGB"
    with Image.open(tmp_path / "job" / "grey.png") as image:
        assert image.size == PHOTO_SIZE
    grey = load_rgb(tmp_path / "job" / "grey.png")
    assert torch.equal(grey[0], grey[1]) and torch.equal(grey[1], grey[2])
    layout = result["distribution"]
    assert (layout["rows"], layout["columns"], layout["bins"]) == (184 // 4, 256 // 4, len(gamut_bins()))
    written = (tmp_path / "job" / layout["file"]).read_bytes()
    assert len(written) == layout["rows"] * layout["columns"] * layout["bins"]
    assert torch.allclose(torch.tensor(layout["centres"]), gamut_bins(), atol=1e-3)
    assert result["colour_input"] is True


def test_a_grey_upload_is_recognised(tmp_path: Path, photos) -> None:
    result = _predict(_narrow_net(), photos["grey"], tmp_path / "job")
    assert result["colour_input"] is False and result["temperature"] == 0.38


def test_a_bad_temperature_fails_before_any_file_is_written(tmp_path: Path, photos) -> None:
    with pytest.raises(ValueError, match="temperature"):
        _predict(_narrow_net(), photos["colour"], tmp_path / "job", {"temperature": "1.5"})
    assert list((tmp_path / "job").iterdir()) == []


def test_the_result_keeps_the_uploads_lightness(tmp_path: Path, photos) -> None:
    net = _narrow_net()  # random weights: muted colours, so most pixels stay inside sRGB
    _predict(net, photos["colour"], tmp_path / "job")
    light = rgb_to_lab(load_rgb(photos["colour"]))[0]  # (H, W)
    grey = load_rgb(tmp_path / "job" / "grey.png")
    assert (rgb_to_lab(grey)[0] - light).abs().max() < 0.5  # 8-bit rounding only
    shown = load_rgb(tmp_path / "job" / "colorized.png")
    # where no channel was clipped to the sRGB cube, only 8-bit rounding moves L
    unclipped = ((shown > 0) & (shown < 1)).all(dim=0)
    assert unclipped.float().mean() > 0.5
    assert (rgb_to_lab(shown)[0] - light).abs()[unclipped].max() < 1.0


def test_predict_stores_and_reads_out_the_networks_distribution(tmp_path: Path, photos) -> None:
    net = _constant_net()
    result = _predict(net, photos["colour"], tmp_path / "job", {"temperature": 0.38})
    layout = result["distribution"]
    codes = torch.frombuffer(bytearray((tmp_path / "job" / "distribution.bin").read_bytes()), dtype=torch.uint8)
    stored = predict.dequantize_log_probs(codes.view(layout["rows"], layout["columns"], layout["bins"]))
    expected = _fixed_distribution().view(-1, 1, 1).expand_as(stored)
    assert (stored - expected).abs().max() < 0.02
    ab = annealed_mean(expected[:, :1, :1][None], gamut_bins(), temperature=0.38)
    assert result["mean_chroma"] == pytest.approx(float(ab.norm()), abs=0.05)


def test_a_lower_temperature_gives_more_vivid_results(tmp_path: Path, photos) -> None:
    net = _constant_net()
    chroma = {t: _predict(net, photos["colour"], tmp_path / f"t{t}", {"temperature": t})["mean_chroma"]
              for t in (0.2, 1.0)}
    assert chroma[0.2] > 1.5 * chroma[1.0]
    shown = {t: rgb_to_lab(load_rgb(tmp_path / f"t{t}" / "colorized.png"))[None] for t in (0.2, 1.0)}
    assert mean_chroma(shown[0.2]) > mean_chroma(shown[1.0])


def test_the_shipped_network_is_not_uniform_so_temperature_matters(tmp_path: Path, photos) -> None:
    assert SHIPPED.is_file(), f"{SHIPPED} is missing; make it with `marginalia train colorization`"
    net = _loaded(SHIPPED)
    rgb = load_rgb(photos["colour"])
    outputs = {t: predict.colorize(net, rgb, temperature=t) for t in (0.1, 1.0)}
    assert torch.equal(outputs[0.1]["probs"], outputs[1.0]["probs"])
    chroma = {t: float(out["ab"].norm(dim=0).mean()) for t, out in outputs.items()}
    assert chroma[0.1] > chroma[1.0]
    # the result is the photo's own L joined with the predicted ab, at the photo's size
    light = rgb_to_lab(rgb)[:1]
    assert outputs[1.0]["ab"].shape == (2, *rgb.shape[1:])
    expected = lab_to_rgb(torch.cat((light, outputs[1.0]["ab"])))
    assert (outputs[1.0]["result"] - expected).abs().max() < 1e-3
