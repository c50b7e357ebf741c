"""`make bench`, GAN editing: time per edit update step (4 candidates, one Adam step on z), per
projection (encoder, then 100 steps) and per sample (8 images), each beside the anchor measured
in the same run: one generator forward pass on one latent. Then the page's edit request end to
end (`POST /api/v1/demos/gan?wait=`, 30 steps). The issue's bound: an update step within 100 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import torch  # noqa: E402

from models.gan.edit import edit_step, rasterise  # noqa: E402
from models.gan.evaluate import random_strokes  # noqa: E402
from models.gan.predict import load, sample_latents  # noqa: E402
from models.gan.project import project  # noqa: E402
from models.gan.spec import SPEC  # noqa: E402
from tests.bench import timing  # noqa: E402
from tests.bench.bench_web import running_server  # noqa: E402

ROUNDS = 20


def median_ms(function, rounds: int = ROUNDS) -> float:
    return timing.median_ms(function, rounds)


def main() -> None:
    torch.set_num_threads(1)  # a worker's share of this 2-core machine
    model = load([w.location for w in SPEC.weights], torch.device("cpu"))
    G = model.G
    z = sample_latents(0, 4, G.nz)
    with torch.no_grad():
        forward = median_ms(lambda: G(z[:1]))
        sample = median_ms(lambda: G(sample_latents(1, 8, G.nz)))
    print(f"anchor: one generator forward pass, one image   {forward:8.2f} ms")
    print(f"sample: 8 images                                {sample:8.2f} ms  ({sample / forward:5.1f} forward passes)")
    constraints = rasterise(random_strokes(torch.Generator().manual_seed(1), G.size), G.size)
    for candidates in (1, 4, 8):
        latents = z[:1].repeat(candidates, 1).clone().requires_grad_(True)
        optimiser = torch.optim.Adam([latents], lr=0.05)

        def step(latents=latents, optimiser=optimiser) -> None:
            optimiser.zero_grad(set_to_none=True)
            edit_step(G, latents, z[0], constraints, 0.05).sum().backward()
            optimiser.step()

        took = median_ms(step)
        print(f"edit update step, {candidates} candidate(s)               {took:8.2f} ms  "
              f"({took / forward:5.1f} forward passes; bound 100 ms)")
    with torch.no_grad():
        target = G(z[:1])
    took = median_ms(lambda: project(G, model.E, target, iterations=100), rounds=5)
    print(f"projection: encoder + 100 steps on z            {took:8.1f} ms  ({took / forward:5.0f} forward passes)")
    body = {"operation": "edit", "latent": z[0].tolist(), "strokes": random_strokes(torch.Generator().manual_seed(2))}
    with (running_server({"MARGINALIA_DEMO_RUNS_PER_MINUTE": "100000"}) as (base, _env),
          httpx.Client(timeout=60) as client):
        end_to_end = median_ms(lambda: client.post(f"{base}/api/v1/demos/gan?wait=60", json=body).raise_for_status(),
                               rounds=3)
    print(f"page request: edit, 4 candidates x 30 steps, end to end  {end_to_end:8.1f} ms")


if __name__ == "__main__":
    main()
