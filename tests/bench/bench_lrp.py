"""`make bench`, LRP: time per explanation for every rule (one digit, as the page asks for it),
the whole page's request (`rule=all` through `POST /api/v1/demos/lrp?wait=`), and one AOPC curve
over 100 test digits, each beside the anchor measured in the same run: one forward pass of the
classifier on one digit (an explanation is one forward and one backward pass, plus zennit's hooks).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import torch  # noqa: E402

from models.lrp import data  # noqa: E402
from models.lrp.evaluate import PerturbationPlan, aopc_curve, perturbation_scores, region_order, relevance_of  # noqa: E402
from models.lrp.explain import explain  # noqa: E402
from models.lrp.params import RULES  # noqa: E402
from models.lrp.predict import load  # noqa: E402
from models.lrp.spec import SPEC  # noqa: E402
from tests.bench import timing  # noqa: E402
from tests.bench.bench_web import running_server  # noqa: E402

ROUNDS = 30


def median_ms(function, rounds: int = ROUNDS) -> float:
    return timing.median_ms(function, rounds)


def aopc_ms(model, images, labels) -> float:
    plan = PerturbationPlan()

    def one_curve() -> None:
        relevance = relevance_of(model, images, "composite", labels, plan.seed)
        order = region_order(relevance, plan.region)
        aopc_curve(perturbation_scores(model, images, labels, order, torch.zeros_like(images), plan))

    return median_ms(one_curve, rounds=3)


def main() -> None:
    torch.set_num_threads(1)  # the worker's setting for small batches (see tests/models/lrp/conftest.py)
    model = load([SPEC.weights[0].location], torch.device("cpu"))
    images, labels = data.test_digits()
    digit, target = images[:1], labels[:1]
    with torch.inference_mode():
        forward = median_ms(lambda: model(digit))
    print(f"anchor: one forward pass, one digit          {forward:8.3f} ms")
    for rule in RULES:
        took = median_ms(lambda rule=rule: explain(model, digit, rule=rule, targets=target))
        print(f"explain, {rule:15s}                     {took:8.3f} ms  ({took / forward:5.1f} forward passes)")
    took = aopc_ms(model, images[:100], labels[:100])
    print(f"AOPC curve, composite, 100 digits, 50 steps {took:8.1f} ms  ({took / forward:7.0f} forward passes)")
    pixels = {"pixels": digit[0, 0].tolist(), "rule": "all"}
    with (running_server({"MARGINALIA_DEMO_RUNS_PER_MINUTE": "100000"}) as (base, _env),
          httpx.Client(timeout=60) as client):
        end_to_end = median_ms(lambda: client.post(f"{base}/api/v1/demos/lrp?wait=30", json=pixels).raise_for_status(),
                               rounds=20)
    print(f"page request: rule=all, {len(RULES)} maps, end to end  {end_to_end:8.1f} ms  "
          "(target: a fraction of a second)")


if __name__ == "__main__":
    main()
