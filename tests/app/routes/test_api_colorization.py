"""The colorization demo through the API, with the shipped network (inline queue): the PNG
answer keeps the upload's size and lightness, the job carries the cached distribution, and
bad input is a 4xx that stores nothing."""

import io

import numpy as np
import torch
from PIL import Image

from models.colorization.lab import rgb_to_lab
from tests.queue_fixtures import wait_until


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _photo(width: int = 97, height: int = 61) -> Image.Image:
    """A small non-square colour picture: a blue sky over green ground with a bright sun."""
    pixels = np.zeros((height, width, 3), np.uint8)
    pixels[: height // 2] = (90, 140, 210)
    pixels[height // 2 :] = (60, 130, 50)
    pixels[5:15, 70:80] = (250, 240, 200)
    return Image.fromarray(pixels)


def _lightness(image: Image.Image) -> torch.Tensor:
    rgb = torch.from_numpy(np.array(image.convert("RGB"))).permute(2, 0, 1).float() / 255
    return rgb_to_lab(rgb)[0]


def test_wait_answers_with_a_png_of_the_upload_size(client) -> None:
    photo = _photo()
    response = client.post("/api/v1/demos/colorization?wait=30", files={"image": ("p.png", _png(photo), "image/png")},
                           data={"temperature": "0.2"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    result = Image.open(io.BytesIO(response.content))
    assert result.size == photo.size and result.mode == "RGB"
    # colour is added, lightness kept (8-bit rounding and gamut clipping move L a little)
    assert (_lightness(result) - _lightness(photo)).abs().mean() < 1.5


def test_the_job_carries_the_distribution_for_the_page(client) -> None:
    grey = _photo().convert("L")
    response = client.post("/api/v1/demos/colorization", files={"image": ("g.png", _png(grey), "image/png")})
    assert response.status_code == 202
    job = wait_until(
        lambda: (j := client.get(response.headers["location"]).json())["status"] in ("done", "failed") and j,
        what="the colorization job")
    assert job["status"] == "done", job
    result, files = job["result"], job["files"]
    assert set(files) == {"colorized.png", "grey.png", "distribution.bin"}
    assert result["colour_input"] is False and result["temperature"] == 0.38
    assert (result["width"], result["height"]) == grey.size
    grid = result["distribution"]
    assert len(grid["centres"]) == grid["bins"]
    assert len(client.get(files["distribution.bin"]).content) == grid["rows"] * grid["columns"] * grid["bins"]
    assert Image.open(io.BytesIO(client.get(files["grey.png"]).content)).size == grey.size


def test_bad_temperature_is_a_422_and_stores_nothing(client, settings) -> None:
    for value in ("0", "1.5", "warm", "nan"):
        response = client.post("/api/v1/demos/colorization?wait=5",
                               files={"image": ("p.png", _png(_photo()), "image/png")},
                               data={"temperature": value})
        assert response.status_code == 422 and "temperature" in response.json()["detail"], value
    assert not (settings.data_dir / "jobs").exists() or not any((settings.data_dir / "jobs").iterdir())


def test_missing_or_broken_image_is_refused(client) -> None:
    assert client.post("/api/v1/demos/colorization", data={"temperature": "0.4"}).status_code == 422
    broken = client.post("/api/v1/demos/colorization", files={"image": ("x.png", b"not a png", "image/png")})
    assert broken.status_code == 415 and "not an image" in broken.json()["detail"]
