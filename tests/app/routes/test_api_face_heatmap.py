"""The face heat-map demo through the API, with the shipped networks (inline queue): boxes come
back in the upload's own pixels (also for an EXIF-rotated JPEG: the displayed frame), the heat
maps are served, one stage gives P-Net's many raw windows, and bad input is a 4xx that stores
nothing. Also: the sample photos the page offers are the ones models/face_heatmap/samples.py makes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageOps
from sqlalchemy import func, select

from app.db.models import Job
from models.face_heatmap import data, samples

FACE = data.ASTRONAUT_FACE  # the astronaut's face box in skimage's astronaut, by eye
URL = "/api/v1/demos/face-heatmap?wait=30"


def _encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _iou(a, b) -> float:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _shifted(box, dx: float, dy: float) -> tuple[float, ...]:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def _astronaut_at(offset: tuple[int, int], size: tuple[int, int]) -> Image.Image:
    """The astronaut pasted at `offset` on a plain grey canvas of `size`."""
    canvas = Image.new("RGB", size, (118, 118, 118))
    canvas.paste(samples.astronaut(), offset)
    return canvas


def _detect(client, body: bytes, name: str, mime: str, **params) -> dict:
    response = client.post(URL, files={"image": (name, body, mime)}, data={k: str(v) for k, v in params.items()})
    assert response.status_code == 200, response.text
    job = response.json()
    assert job["status"] == "done", job
    return job


def _nothing_stored(client, settings) -> bool:
    with client.app.state.sessions() as db:
        rows = db.scalar(select(func.count()).select_from(Job))
    jobs = settings.data_dir / "jobs"
    return rows == 0 and (not jobs.exists() or not any(jobs.iterdir()))


def test_boxes_are_in_the_uploads_own_pixels_and_the_heat_maps_are_served(client) -> None:
    offset, size = (430, 260), (1200, 900)
    job = _detect(client, _encoded(_astronaut_at(offset, size)), "big.png", "image/png")
    result, files = job["result"], job["files"]
    assert (result["width"], result["height"]) == size
    assert (result["threshold"], result["min_face"], result["stages"]) == (0.6, 20, 3)  # the declared defaults
    assert len(result["boxes"]) >= 1
    best = result["boxes"][0]
    assert _iou(best["box"], _shifted(FACE, *offset)) > 0.5, best
    assert best["score"] > 0.9
    x1, y1, x2, y2 = best["box"]
    assert len(best["landmarks"]) == 5 and all(x1 <= x <= x2 and y1 <= y <= y2 for x, y in best["landmarks"])

    assert set(files) == {"heatmap.png", *(level["file"] for level in result["scales"])}
    heat = Image.open(io.BytesIO(client.get(files["heatmap.png"]).content))
    assert heat.mode == "L" and heat.size == size
    codes = np.asarray(heat)
    x1, y1, x2, y2 = (round(v) for v in _shifted(FACE, *offset))
    face = codes[y1:y2, x1:x2]
    assert face.max() > 0.9 * 255 and codes[:200, :200].max() < 0.5 * 255  # hot on the face, cold on plain grey
    for level in result["scales"]:
        response = client.get(files[level["file"]])
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(response.content)).size == (level["width"], level["height"])
    sizes = [level["face_size"] for level in result["scales"]]
    assert sizes[0] == 20 and sizes == sorted(sizes)  # the pyramid starts at the smallest face


def test_an_exif_rotated_jpeg_gives_boxes_in_the_displayed_frame(client) -> None:
    offset, displayed = (250, 40), _astronaut_at((250, 40), (800, 600))
    # stored turned a quarter counter-clockwise, with EXIF orientation 6: "turn clockwise to show"
    stored = displayed.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    body = _encoded(stored, "JPEG", quality=92, exif=exif)
    assert ImageOps.exif_transpose(Image.open(io.BytesIO(body))).size == displayed.size  # what a viewer shows
    result = _detect(client, body, "phone.jpg", "image/jpeg")["result"]
    assert (result["width"], result["height"]) == (800, 600)
    assert _iou(result["boxes"][0]["box"], _shifted(FACE, *offset)) > 0.5, result["boxes"][0]


def test_one_stage_gives_more_boxes_and_no_landmarks(client) -> None:
    body = _encoded(samples.astronaut())
    one = _detect(client, body, "a.png", "image/png", stages=1)["result"]
    three = _detect(client, body, "a.png", "image/png", stages=3)["result"]
    assert len(one["boxes"]) > len(three["boxes"]) >= 1
    assert all(box["landmarks"] is None for box in one["boxes"])
    assert all(len(box["landmarks"]) == 5 for box in three["boxes"])
    assert set(one["counts"]) == {"pnet"} and set(three["counts"]) == {"pnet", "rnet", "onet"}
    assert one["counts"]["pnet"] == len(one["boxes"]) and three["counts"]["onet"] == len(three["boxes"])
    # a higher threshold keeps fewer of P-Net's windows
    strict = _detect(client, body, "a.png", "image/png", stages=1, threshold=0.95)["result"]
    assert len(strict["boxes"]) < len(one["boxes"])


def test_the_group_sample_finds_its_pasted_faces(client) -> None:
    group = samples.group_photo()
    body = (samples.SAMPLES_DIR / "group.jpg").read_bytes()
    result = _detect(client, body, "group.jpg", "image/jpeg")["result"]
    found = [box["box"] for box in result["boxes"]]
    # a pasted box is the whole LFW crop, a little larger than MTCNN's own framing: IoU 0.4
    for truth in group.boxes:
        assert max((_iou(truth, box) for box in found), default=0) > 0.4, truth
    assert len(found) <= len(group.boxes) + 1  # and (nearly) nothing else


@pytest.mark.parametrize(("field", "value"), [
    ("threshold", "2"), ("threshold", "0.01"), ("threshold", "high"), ("threshold", "nan"),
    ("min_face", "5"), ("min_face", "20.5"), ("min_face", "big"),
    ("stages", "4"), ("stages", "0"), ("stages", "2.5"), ("stages", "all"),
])
def test_a_bad_value_is_a_422_before_anything_is_queued(client, settings, field: str, value: str) -> None:
    response = client.post(URL, files={"image": ("a.png", _encoded(Image.new("RGB", (40, 30))), "image/png")},
                           data={field: value})
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]
    assert _nothing_stored(client, settings)


def test_a_missing_or_non_image_upload_is_refused_before_anything_is_queued(client, settings) -> None:
    missing = client.post(URL, data={"threshold": "0.5"})
    assert missing.status_code == 422 and "image" in missing.json()["detail"]
    text = client.post(URL, files={"image": ("notes.txt", b"hello, not a photo", "text/plain")})
    assert text.status_code == 415 and "not an image" in text.json()["detail"]
    damaged = client.post(URL, files={"image": ("photo.jpg", b"\xff\xd8\xff\xe0 broken", "image/jpeg")})
    assert damaged.status_code == 422 and "damaged" in damaged.json()["detail"]
    assert _nothing_stored(client, settings)


def test_the_page_samples_are_what_samples_py_makes() -> None:
    """`python -m models.face_heatmap.samples` rewrites page/samples/: the committed JPEGs decode
    to (nearly: JPEG coders may round differently) the pixels it makes, each is small, and the
    widget offers each with the caption (source and licence) samples.py gives it."""
    widget = (samples.SAMPLES_DIR.parent / "widget.html").read_text()
    assert set(samples.SAMPLES) == set(samples.sample_images())
    for name, caption in samples.SAMPLES.items():
        assert f'("{name}", ' in widget and caption in widget, name
    for name, image in samples.sample_images().items():
        path = samples.SAMPLES_DIR / name
        assert path.stat().st_size < 150_000, name
        shipped = np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)
        remade = np.asarray(Image.open(io.BytesIO(_encoded(image, "JPEG", quality=samples.QUALITY))), dtype=np.int16)
        assert shipped.shape == remade.shape and np.abs(shipped - remade).mean() < 1.0, name
