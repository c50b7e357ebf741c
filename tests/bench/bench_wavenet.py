"""`make bench`, WaveNet: samples per second of the shipped network, one run, four ways: naive
(the whole receptive field for every sample), fast (per-layer queues, one stream) and fast
batched (8 and 32 streams), each with its real-time factor at 16 kHz (audio seconds made per
second of wall time; 1 is real time). Targets: fast >= 16,000 samples/s on one core, and fast
>= 20x naive. Everything runs on one thread, as a worker does. Also the page's request end to
end (`POST /api/v1/demos/wavenet?wait=`, 2 s of audio).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("NUMBA_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from models.wavenet import generate  # noqa: E402
from models.wavenet.config import SAMPLE_RATE  # noqa: E402
from models.wavenet.predict import load  # noqa: E402
from models.wavenet.spec import SPEC  # noqa: E402
from tests.bench.bench_web import running_server  # noqa: E402

SEED, TEMPERATURE, CONDITION = 1, 1.0, 0


def rate(function, samples: int, rounds: int = 3) -> float:
    """Best of `rounds` in samples per wall second (the first call, compiling or loading numba's
    cache, is a warm-up)."""
    function(16)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        function(samples)
        best = min(best, time.perf_counter() - started)
    return samples / best


def line(name: str, per_second: float, naive: float | None = None) -> str:
    versus = f"  {per_second / naive:7.0f}x naive" if naive else ""
    return f"{name:28s} {per_second:11,.0f} samples/s  real-time factor {per_second / SAMPLE_RATE:7.3f}{versus}"


def main() -> None:
    model = load([SPEC.weights[0].location])
    packed = model.packed
    naive = rate(lambda n: generate.naive(packed, CONDITION, n, TEMPERATURE, SEED), 200, rounds=1)
    print(f"shipped network: receptive field {packed.receptive_field} samples, {len(packed.dilations)} layers")
    print(line("naive", naive))
    fast = rate(lambda n: generate.fast(packed, CONDITION, n, TEMPERATURE, SEED), 4 * SAMPLE_RATE)
    print(line("fast, 1 stream", fast, naive) + f"   (target >= 16,000 and >= 20x naive: "
          f"{'met' if fast >= SAMPLE_RATE and fast >= 20 * naive else 'MISSED'})")
    for streams in (8, 32):
        def batch(n: int, streams: int = streams) -> None:
            generate.fast_batched(packed, [c % packed.conditions for c in range(streams)], n // streams,
                                  [TEMPERATURE] * streams, list(range(streams)))

        total = rate(batch, streams * SAMPLE_RATE, rounds=2)
        print(line(f"fast batched, {streams} streams", total, naive) + f"   ({total / streams:,.0f} per stream)")
    with (running_server({"MARGINALIA_DEMO_RUNS_PER_MINUTE": "100000"}) as (base, _env),
          httpx.Client(timeout=120) as client):
        body = {"condition": "piano", "seconds": 2, "seed": SEED}
        client.post(f"{base}/api/v1/demos/wavenet?wait=60", json=body).raise_for_status()  # loads the model
        started = time.perf_counter()
        client.post(f"{base}/api/v1/demos/wavenet?wait=60", json=body).raise_for_status()
        took = time.perf_counter() - started
    print(f"page request, 2 s of audio, end to end  {took * 1000:8.0f} ms  (real-time factor {2 / took:5.2f})")


if __name__ == "__main__":
    main()
