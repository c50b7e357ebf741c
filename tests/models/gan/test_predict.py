"""The demo's operations as a worker runs them, with the shipped networks."""

import io

import numpy as np
from PIL import Image

from models.gan.data import emoji_set
from models.gan.params import read_params
from models.gan.spec import SPEC
from models.spec import check_inputs


def _run(shipped, tmp_path, name, params, inputs=None):
    out = tmp_path / name
    out.mkdir()
    from models.gan.predict import predict

    return predict(shipped, check_inputs(SPEC, params), inputs or {}, out, lambda _: None), out


def test_the_same_seed_gives_the_same_samples(shipped, tmp_path) -> None:
    first, out1 = _run(shipped, tmp_path, "a", {"operation": "sample", "seed": 11, "count": 3})
    again, out2 = _run(shipped, tmp_path, "b", {"operation": "sample", "seed": 11, "count": 3})
    other, out3 = _run(shipped, tmp_path, "c", {"operation": "sample", "seed": 12, "count": 3})
    assert [i["latent"] for i in first["images"]] == [i["latent"] for i in again["images"]]
    assert (out1 / "sample-0.png").read_bytes() == (out2 / "sample-0.png").read_bytes()
    assert (out1 / "sample-0.png").read_bytes() != (out3 / "sample-0.png").read_bytes()
    image = Image.open(out1 / "sample-2.png")
    assert image.size == (64, 64) and image.mode == "RGB"
    assert len(first["images"][0]["latent"]) == 100 and 0 <= first["images"][0]["realism"] <= 1


def test_edit_answers_candidates_that_fit_the_strokes_better(shipped, tmp_path, strokes) -> None:
    sample, _ = _run(shipped, tmp_path, "s", {"operation": "sample", "seed": 3, "count": 1})
    latent = sample["images"][0]["latent"]
    result, out = _run(shipped, tmp_path, "e", {"operation": "edit", "latent": latent, "strokes": strokes,
                                                 "candidates": 3})
    assert result["start"]["latent"] == latent and (out / "start.png").exists()
    assert len(result["candidates"]) == 3
    best = result["candidates"][0]
    assert best["colour_loss"] + best["sketch_loss"] < result["start"]["colour_loss"] + result["start"]["sketch_loss"]
    assert all((out / c["image"]).exists() and len(c["latent"]) == 100 for c in result["candidates"])
    # a picked candidate's latent is a valid start for the next edit
    read_params({"operation": "edit", "latent": best["latent"], "strokes": strokes})


def test_project_and_interpolate_from_uploaded_pictures(shipped, tmp_path) -> None:
    pictures = []
    for i, array in enumerate(emoji_set()["held_out"][:2]):
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, format="PNG")
        pictures.append(tmp_path / f"emoji-{i}.png")
        pictures[-1].write_bytes(buffer.getvalue())
    projected, out = _run(shipped, tmp_path, "p", {"operation": "project", "iterations": 30}, {"image": pictures[0]})
    assert projected["projection"]["error"] <= projected["encoder"]["error"]
    assert projected["latent"] == projected["projection"]["latent"]
    assert {"target.png", "projection-0.png", "projection-1.png"} <= {p.name for p in out.iterdir()}
    walk, out = _run(shipped, tmp_path, "i", {"operation": "interpolate", "latent": projected["latent"], "steps": 5,
                                              "iterations": 10}, {"image_b": pictures[1]})
    assert len(walk["frames"]) == 5 and walk["frames"][0]["latent"] == projected["latent"]
    strip = Image.open(out / walk["strip"])
    assert strip.size == (5 * 64, 64)
    first = np.asarray(Image.open(out / "frame-0.png"), dtype=float)
    last = np.asarray(Image.open(out / "frame-4.png"), dtype=float)
    assert np.abs(first - last).mean() > 1  # the walk goes somewhere
