"""predict writes stylised.png at the upload's own size, fast and by optimisation (previews)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from PIL import Image

from models.style_transfer import predict
from models.style_transfer.data import STYLE_NAMES
from models.style_transfer.net import Generator

SIZE = (75, 53)  # (width, height): not square, not a multiple of 4


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> predict.StyleTransfer:
    """Untrained generators (the shipped ones have their own test)."""
    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("weights")
    paths = []
    for name in STYLE_NAMES:
        paths.append(folder / f"{name}.pt")
        torch.save(Generator(8, 1).state_dict(), paths[-1])
    return predict.load(paths, torch.device("cpu"))


def _photo(path: Path, size=SIZE) -> Path:
    torch.manual_seed(1)
    pixels = (torch.rand(size[1], size[0], 3) * 255).to(torch.uint8).numpy()
    Image.fromarray(pixels).save(path)
    return path


def test_load_reads_the_architecture_off_the_tensors(model) -> None:
    assert set(model.generators) == set(STYLE_NAMES)
    assert model.generators["kay"].width == 8 and model.generators["kay"].blocks == 1


def test_fast_writes_the_result_at_the_upload_size(model, tmp_path) -> None:
    progress = []
    result = predict.predict(model, {"style": "kay"}, {"content": _photo(tmp_path / "in.png")}, tmp_path,
                             progress.append)
    with Image.open(tmp_path / "stylised.png") as image:
        assert image.size == SIZE
    assert result["method"] == "fast" and result["style"] == "kay" and progress[-1] == 1.0
    json.dumps(result)


def test_strength_zero_gives_the_photo_back(model) -> None:
    photo = torch.rand(3, 40, 60)
    assert torch.equal(predict.stylise_fast(model.generators["shell"], photo, 0.0), photo)


def test_an_uploaded_style_forces_optimisation_with_previews(model, tmp_path) -> None:
    torch.set_num_threads(1)
    inputs = {"content": _photo(tmp_path / "in.png"), "style_image": _photo(tmp_path / "style.png", (40, 30))}
    result = predict.predict(model, {"method": "fast", "steps": 30}, inputs, tmp_path, lambda p: None)
    assert result["method"] == "optimise" and result["style"] == "upload"
    assert result["previews"] == ["preview-1.png", "preview-2.png"]  # steps 25 and 30
    with Image.open(tmp_path / "stylised.png") as image:
        assert image.size == SIZE
    assert result["gram_loss"]["stylised"] < result["gram_loss"]["content"]


def test_texture_needs_no_photo(model, tmp_path) -> None:
    torch.set_num_threads(1)
    result = predict.predict(model, {"method": "texture", "style": "kay", "steps": 10}, {}, tmp_path, lambda p: None)
    assert result["method"] == "texture" and result["previews"] == ["preview-1.png"]
    for name in ("texture.png", "stylised.png"):
        with Image.open(tmp_path / name) as image:
            assert image.size == predict.TEXTURE_SIZE
