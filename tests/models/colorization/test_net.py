"""The ECCV16 network: official key names and shapes at width 1.0, a narrow variant that runs."""

from __future__ import annotations

import torch

from models.colorization.bins import gamut_bins
from models.colorization.net import ECCV16Colorizer

# Read from richzhang/colorization colorizers/eccv16.py (ECCVGenerator): convolutions as
# (key, weight shape, has bias), BatchNorm layers as (prefix, channels).
OFFICIAL_CONVS = [
    ("model1.0", (64, 1, 3, 3), True), ("model1.2", (64, 64, 3, 3), True),
    ("model2.0", (128, 64, 3, 3), True), ("model2.2", (128, 128, 3, 3), True),
    ("model3.0", (256, 128, 3, 3), True), ("model3.2", (256, 256, 3, 3), True), ("model3.4", (256, 256, 3, 3), True),
    ("model4.0", (512, 256, 3, 3), True), ("model4.2", (512, 512, 3, 3), True), ("model4.4", (512, 512, 3, 3), True),
    ("model5.0", (512, 512, 3, 3), True), ("model5.2", (512, 512, 3, 3), True), ("model5.4", (512, 512, 3, 3), True),
    ("model6.0", (512, 512, 3, 3), True), ("model6.2", (512, 512, 3, 3), True), ("model6.4", (512, 512, 3, 3), True),
    ("model7.0", (512, 512, 3, 3), True), ("model7.2", (512, 512, 3, 3), True), ("model7.4", (512, 512, 3, 3), True),
    ("model8.0", (512, 256, 4, 4), True),  # ConvTranspose2d(512, 256): weight is (in, out, k, k)
    ("model8.2", (256, 256, 3, 3), True), ("model8.4", (256, 256, 3, 3), True),
    ("model8.6", (313, 256, 1, 1), True),
    ("model_out", (2, 313, 1, 1), False),  # 1x1 conv 313 -> 2, bias=False
]
OFFICIAL_NORMS = [("model1.4", 64), ("model2.4", 128), ("model3.6", 256), ("model4.6", 512),
                  ("model5.6", 512), ("model6.6", 512), ("model7.6", 512)]


def official_shapes() -> dict[str, tuple[int, ...]]:
    shapes: dict[str, tuple[int, ...]] = {}
    for key, shape, bias in OFFICIAL_CONVS:
        shapes[f"{key}.weight"] = shape
        if bias:
            shapes[f"{key}.bias"] = (shape[1] if key == "model8.0" else shape[0],)
    for key, channels in OFFICIAL_NORMS:
        for name in ("weight", "bias", "running_mean", "running_var"):
            shapes[f"{key}.{name}"] = (channels,)
        shapes[f"{key}.num_batches_tracked"] = ()
    return shapes


def test_full_width_state_dict_equals_the_official_port() -> None:
    net = ECCV16Colorizer(num_bins=313, width=1.0)
    actual = {key: tuple(value.shape) for key, value in net.state_dict().items()}
    assert actual == official_shapes()
    # a checkpoint with exactly these keys loads strictly, bin centres included
    checkpoint = {key: torch.randn(shape) if shape else torch.tensor(0) for key, shape in official_shapes().items()}
    net.load_state_dict(checkpoint, strict=True)
    assert torch.allclose(net.bin_centres, checkpoint["model_out.weight"][:, :, 0, 0].t() * 110)


def test_dilation_and_strides_follow_the_port() -> None:
    net = ECCV16Colorizer()
    assert [net.model1[2].stride, net.model2[2].stride, net.model3[4].stride] == [(2, 2)] * 3
    for block in (net.model5, net.model6):
        assert all(block[i].dilation == (2, 2) and block[i].padding == (2, 2) for i in (0, 2, 4))
    assert net.model8[0].stride == (2, 2) and isinstance(net.model8[0], torch.nn.ConvTranspose2d)


def test_narrow_variant_gives_quarter_resolution_probabilities_over_our_bins() -> None:
    centres = gamut_bins()
    torch.manual_seed(0)
    net = ECCV16Colorizer(num_bins=len(centres), width=0.125).eval()
    net.set_bin_centres(centres)
    assert torch.allclose(net.bin_centres, centres, atol=1e-4)
    light = torch.rand(1, 1, 64, 64) * 100
    with torch.inference_mode():
        probs = net(light)
        ab = net.colorize_ab(light)
    assert probs.shape == (1, len(centres), 16, 16)  # strides /8, transposed conv x2: H/4, W/4
    assert (probs >= 0).all() and torch.allclose(probs.sum(dim=1), torch.ones(1, 16, 16))
    assert ab.shape == (1, 2, 64, 64) and torch.isfinite(ab).all()
    assert ab.abs().max() <= centres.abs().max() + 1e-3  # a mean of bin centres stays in range


def test_narrow_variant_trains_one_step() -> None:
    torch.manual_seed(0)
    net = ECCV16Colorizer(num_bins=20, width=0.125)
    loss = -torch.log(net(torch.rand(2, 1, 32, 32) * 100)[:, 3] + 1e-8).mean()
    loss.backward()
    assert net.model1[0].weight.grad is not None and torch.isfinite(net.model1[0].weight.grad).all()
