"""`make bench`, jobs: queue overhead per job (submit to result, tiny network) and throughput
with concurrent clients, for both backends. The anchor, in the same run: the same network
called directly in this process.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_web import run_ab, running_server  # noqa: E402
from tests.queue_fixtures import TINY_DEMOS, celery_worker, redis_server  # noqa: E402

ROUNDS, CLIENTS, REQUESTS = 100, 8, 400
ENV = {"PYTHONPATH": str(ROOT), "MARGINALIA_DEMO_SPECS": TINY_DEMOS,
       "MARGINALIA_DEMO_RUNS_PER_MINUTE": "1000000", "MARGINALIA_MAX_ACTIVE_JOBS": "100000"}


def direct_call_ms() -> float:
    import torch

    from models.loading import ModelCache
    from models.registry import find_demo, load_specs
    from tests.models.tiny_net import predict

    spec = find_demo("tiny", load_specs(TINY_DEMOS))
    model = ModelCache(torch.device("cpu")).get(spec)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        for _ in range(ROUNDS):
            predict(model, {}, {}, Path(out), lambda fraction: None)
        return (time.perf_counter() - started) / ROUNDS * 1000


def submit_and_wait(base: str) -> float:
    request = urllib.request.Request(f"{base}/api/v1/demos/tiny?wait=30", data=b"{}",
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["status"] == "done"
    return (time.perf_counter() - started) * 1000


def measure(name: str, base: str, body: Path) -> None:
    submit_and_wait(base)  # warm-up: the model loads on the first job
    latencies = sorted(submit_and_wait(base) for _ in range(ROUNDS))
    load = run_ab(f"{base}/api/v1/demos/tiny?wait=30", requests=REQUESTS, concurrency=CLIENTS,
                  extra=("-p", str(body), "-T", "application/json"))
    print(f"{name:<8} submit->result p50 {statistics.median(latencies):6.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99) - 1]:6.1f} ms | {CLIENTS} clients: "
          f"{load['rps']:6.1f} jobs/s, p50 {load['p50']:.0f} ms, errors {load['errors']:.0f}")


def main() -> None:
    print(f"anchor: the tiny network called directly: {direct_call_ms():.2f} ms per call")
    with tempfile.TemporaryDirectory() as scratch:
        body = Path(scratch) / "body.json"
        body.write_text("{}")
        with running_server(ENV) as (base, _env):
            measure("inline", base, body)
        with redis_server(Path(scratch)) as url:
            env = {**ENV, "MARGINALIA_QUEUE": "celery", "MARGINALIA_REDIS_URL": url}
            with running_server(env) as (base, server_env):
                from app.settings import Settings

                worker_settings = Settings(queue="celery", redis_url=url, demo_specs=TINY_DEMOS,
                                           data_dir=Path(server_env["MARGINALIA_DATA_DIR"]))
                with celery_worker(worker_settings, Path(scratch) / "worker.log"):
                    measure("celery", base, body)


if __name__ == "__main__":
    main()
