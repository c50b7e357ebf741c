"""Editing on the manifold: strokes become the right masks, the losses measure what they
should, an edit meets the brush constraints better than its start, the prior keeps z near its
start, and the result stays on the generator's manifold where painting the same constraints
into the pixels leaves it."""

import pytest
import torch

from models.gan.edit import colour_loss, constraint_losses, edge_map, edit, pixel_edit, rasterise, sketch_loss
from models.gan.predict import sample_latents
from models.gan.project import project


def test_strokes_become_masks_where_they_are_drawn(strokes) -> None:
    c = rasterise(strokes, 64)
    assert c.colour_mask.shape == (1, 64, 64) and c.sketch_mask.shape == (1, 64, 64)
    assert c.colour_mask[0, 20, 30] == 1 and c.colour_mask[0, 40, 30] == 0 and c.colour_mask[0, 20, 5] == 0
    red = torch.tensor([0xD6, 0x28, 0x28]) / 127.5 - 1
    assert torch.allclose(c.colour[:, 20, 30], red, atol=1e-3)
    assert c.sketch_mask[0, 40, 32] > 0.5 and c.sketch_mask[0, 40, 40] == 0 and c.sketch_mask[0, 20, 32] == 0
    assert rasterise([], 64).empty and not c.empty


def test_colour_loss_is_zero_when_the_colour_is_met(strokes) -> None:
    c = rasterise(strokes, 64)
    painted = torch.where(c.colour_mask > 0, c.colour, torch.zeros(3, 64, 64)).unsqueeze(0)
    assert colour_loss(painted, c)[0] < 1e-6
    assert colour_loss(torch.ones(1, 3, 64, 64), c)[0] > 0.5  # white where red was asked for


def test_edge_map_finds_edges_and_the_sketch_loss_rewards_them(strokes) -> None:
    flat = torch.zeros(1, 3, 64, 64)
    split = flat.clone()
    split[..., 32:] = 1  # a vertical edge between columns 31 and 32, where the sketch line runs
    assert edge_map(flat).max() < 0.01
    assert edge_map(split)[0, 0, 40, 31] > 0.9 and edge_map(split)[0, 0, 40, 10] < 0.01
    c = rasterise(strokes, 64)
    assert sketch_loss(split, c)[0] < 0.05 < 0.9 < sketch_loss(flat, c)[0]


@pytest.fixture(scope="module")
def edited(shipped):
    """Six samples, each edited with the same red band and sketch line, three ways."""
    strokes = [{"kind": "colour", "color": "#d62828", "width": 8.0, "points": [[14.0, 20.0], [50.0, 20.0]]},
               {"kind": "sketch", "width": 2.0, "points": [[32.0, 30.0], [32.0, 56.0]]}]
    c = rasterise(strokes, 64)
    rows = []
    for seed in range(6):
        z0 = sample_latents(seed, 1, shipped.G.nz)[0]
        with torch.no_grad():
            start = shipped.G(z0.unsqueeze(0))
        prior = edit(shipped.G, z0, c, candidates=4, iterations=30, prior=PRIOR)
        free = edit(shipped.G, z0, c, candidates=4, iterations=30, prior=0.0, clamp=False)
        rows.append({"z0": z0, "start": start, "prior": prior, "free": free, "constraints": c})
    return rows


PRIOR = 5.0  # a firm prior, as a user who wants the rest of the picture kept would set it


def test_an_edit_meets_the_brush_constraints_better_than_its_start(edited) -> None:
    for row in edited:
        before = constraint_losses(row["start"], row["constraints"])
        result = row["prior"]
        assert result.colour[0] + result.sketch[0] < 0.8 * (before["colour"][0] + before["sketch"][0])
        assert result.latents.abs().max() <= 1  # still in the latent box
        # candidates are sorted by their total loss and are not all the same image
        totals = result.colour + result.sketch + PRIOR * result.distance
        assert torch.all(totals[:-1] <= totals[1:] + 1e-6)
        assert (result.images[0] - result.images[-1]).abs().mean() > 1e-3


def test_edits_stay_on_the_manifold_where_unconstrained_pixel_edits_leave_it(shipped, edited) -> None:
    """The distance to the manifold, measured the way the demo projects a picture (encoder,
    then 60 steps on z): small for iGAN's edits, larger for the same constraints optimised
    straight into the pixels with no generator and no prior."""
    on_manifold = torch.cat([row["prior"].images[:1] for row in edited])
    painted = torch.cat([pixel_edit(row["start"], row["constraints"], iterations=30) for row in edited])
    distance = {name: project(shipped.G, shipped.E, images, iterations=60).error
                for name, images in (("edit", on_manifold), ("pixels", painted))}
    assert distance["edit"].mean() < distance["pixels"].mean()
    assert (distance["edit"] < distance["pixels"]).sum() >= len(edited) - 1


def test_the_prior_keeps_z_near_its_start(shipped, edited) -> None:
    row = edited[0]
    assert row["prior"].distance[0] < row["free"].distance[0]
    weak = edit(shipped.G, row["z0"], row["constraints"], candidates=4, iterations=30, prior=0.1)
    assert row["prior"].distance[0] < weak.distance[0]
    change = lambda result: (result.images[:1] - row["start"]).abs().mean()  # noqa: E731
    assert change(row["prior"]) < change(weak)


def test_painting_into_pixels_meets_the_constraints_without_the_generator(edited) -> None:
    row = edited[0]
    painted = pixel_edit(row["start"], row["constraints"], iterations=30)
    before, after = (constraint_losses(x, row["constraints"]) for x in (row["start"], painted))
    assert after["colour"][0] + after["sketch"][0] < 0.5 * (before["colour"][0] + before["sketch"][0])
