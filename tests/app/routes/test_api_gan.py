"""The GAN editing demo through the API, with the shipped networks (inline queue): every
operation answers JSON with image links and latents, and malformed strokes or latents of the
wrong size are a 422 before anything is stored."""

import io

import numpy as np
import pytest
from PIL import Image

API = "/api/v1/demos/gan?wait=30"
STROKES = [{"kind": "colour", "color": "#2a6fdb", "width": 8, "points": [[10, 32], [54, 32]]},
           {"kind": "sketch", "width": 2, "points": [[20, 10], [20, 54]]}]


def _png(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def _picture() -> bytes:
    """A yellow disc on white, not square: what an emoji-like upload looks like."""
    y, x = np.mgrid[:90, :120]
    array = np.full((90, 120, 3), 255, np.uint8)
    array[(x - 60) ** 2 + (y - 45) ** 2 < 35**2] = (250, 200, 40)
    return _png(array)


def _ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def test_sample_edit_pick_and_interpolate(client) -> None:
    sampled = _ok(client.post(API, json={"operation": "sample", "seed": 5, "count": 2}))
    images = sampled["result"]["images"]
    assert len(images) == 2 and all(len(item["latent"]) == 100 for item in images)
    png = client.get(sampled["files"][images[0]["image"]])
    assert png.headers["content-type"] == "image/png" and Image.open(io.BytesIO(png.content)).size == (64, 64)
    again = _ok(client.post(API, json={"operation": "sample", "seed": 5, "count": 2}))
    assert again["result"]["images"][0]["latent"] == images[0]["latent"]

    edited = _ok(client.post(API, json={"operation": "edit", "latent": images[0]["latent"], "strokes": STROKES,
                                        "candidates": 3, "iterations": 15}))["result"]
    assert len(edited["candidates"]) == 3
    best = edited["candidates"][0]
    assert best["colour_loss"] < edited["start"]["colour_loss"]

    # the page sends form fields, latents and strokes as JSON text
    walk = _ok(client.post(API, data={"operation": "interpolate", "latent": str(best["latent"]),
                                      "latent_b": str(images[1]["latent"]), "steps": "4"}))
    assert len(walk["result"]["frames"]) == 4 and walk["result"]["strip"] in walk["files"]


def test_project_and_edit_an_uploaded_picture(client) -> None:
    projected = _ok(client.post(API, data={"operation": "project", "iterations": "20"},
                                files={"image": ("disc.png", _picture(), "image/png")}))["result"]
    assert projected["projection"]["error"] <= projected["encoder"]["error"]
    edited = _ok(client.post(API, data={"operation": "edit", "strokes": str(STROKES).replace("'", '"'),
                                        "iterations": "10", "candidates": "2"},
                             files={"image": ("disc.png", _picture(), "image/png")}))["result"]
    assert len(edited["candidates"]) == 2 and "projected_error" in edited


LATENT = [0.0] * 100


@pytest.mark.parametrize(("body", "message"), [
    ({"operation": "edit", "latent": [0.0] * 99, "strokes": STROKES}, "list of 100 numbers, not 99"),
    ({"operation": "edit", "latent": [0.0] * 101, "strokes": STROKES}, "list of 100 numbers"),
    ({"operation": "edit", "latent": [3.0] * 100, "strokes": STROKES}, "between -1 and 1"),
    ({"operation": "interpolate", "latent": LATENT, "latent_b": [0.0] * 10}, "latent_b must be a list of 100"),
    ({"operation": "edit", "latent": LATENT, "strokes": [{"kind": "smudge", "points": [[1, 1]]}]}, "kind"),
    ({"operation": "edit", "latent": LATENT, "strokes": [{"kind": "colour", "points": [[1, 1]]}]}, "#rrggbb"),
    ({"operation": "edit", "latent": LATENT,
      "strokes": [{"kind": "sketch", "points": [[1, 99]]}]}, "0 <= x, y <= 64"),
    ({"operation": "edit", "latent": LATENT, "strokes": [{"kind": "sketch", "points": []}]}, "points"),
    ({"operation": "edit", "latent": LATENT, "strokes": "[{"}, "JSON"),
    ({"operation": "edit", "latent": LATENT, "strokes": []}, "edit needs strokes"),
    ({"operation": "edit", "strokes": STROKES}, "needs a start"),
    ({"operation": "interpolate", "latent": LATENT}, "two ends"),
    ({"operation": "project"}, "project needs one image"),
    ({"operation": "sample", "count": 0}, "count"),
    ({"operation": "sketch"}, "operation must be one of"),
])
def test_malformed_input_is_a_422_and_stores_nothing(client, settings, body, message) -> None:
    response = client.post(API, json=body)
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"]
    jobs = settings.data_dir / "jobs"
    assert not jobs.exists() or not any(jobs.iterdir())


def test_a_broken_upload_is_refused(client) -> None:
    response = client.post(API, data={"operation": "project"}, files={"image": ("x.png", b"not a png", "image/png")})
    assert response.status_code == 415
