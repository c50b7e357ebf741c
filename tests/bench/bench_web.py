"""`make bench`: the paper page under load, beside a trivial endpoint of the same server.

Starts `marginalia serve` on a free loopback port, drives it with Apache Bench (a separate
process, keep-alive), and prints requests/s, p50 and p99 for both and their ratio. Targets:
the paper page reaches >= 50% of the ceiling's requests/s, with p99 < 50 ms. Then times
`check-content` over the whole content folder.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[2]
REQUESTS, CONCURRENCY = 3000, 32
PAPER = "/papers/colorful-image-colorization"
CEILING = "/healthz"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(base: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("server did not become ready")


def run_ab(url: str, *, requests: int = REQUESTS, concurrency: int = CONCURRENCY,
           extra: tuple[str, ...] = ()) -> dict[str, float]:
    out = subprocess.run(
        ["ab", "-q", "-k", "-n", str(requests), "-c", str(concurrency), *extra, url],
        capture_output=True, text=True, check=True,
    ).stdout
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return {
        "rps": float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1)),
        "p50": float(re.search(r"^\s+50%\s+(\d+)", out, re.M).group(1)),
        "p99": float(re.search(r"^\s+99%\s+(\d+)", out, re.M).group(1)),
        "errors": failed + (int(non_2xx.group(1)) if non_2xx else 0),
    }


@contextmanager
def running_server(extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, dict]]:
    """`marginalia serve` on a free loopback port with a fresh data folder: (base URL, env)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "MARGINALIA_PORT": str(port), "MARGINALIA_DATA_DIR": data,
               "MARGINALIA_CONTENT_DIR": str(ROOT / "content"), **(extra_env or {})}
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("marginalia")), "serve"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(base)
            yield base, env
        finally:
            server.terminate()
            server.wait(timeout=30)


def bench_server() -> None:
    with running_server() as (base, _env):
        run_ab(f"{base}{PAPER}")  # warm-up: caches, connection pools
        ceiling, paper = run_ab(f"{base}{CEILING}"), run_ab(f"{base}{PAPER}")
    print(f"load: {REQUESTS} requests, concurrency {CONCURRENCY}, keep-alive, ab on loopback")
    print(f"{'endpoint':<40} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}")
    for name, figures in ((f"{CEILING} (ceiling)", ceiling), (PAPER, paper)):
        print(f"{name:<40} {figures['rps']:>9.0f} {figures['p50']:>7.0f} {figures['p99']:>7.0f} "
              f"{figures['errors']:>7.0f}")
    ratio = paper["rps"] / ceiling["rps"]
    print(f"paper/ceiling req/s ratio: {ratio:.2f} (target >= 0.50: {'met' if ratio >= 0.5 else 'MISSED'}); "
          f"paper p99 {paper['p99']:.0f} ms (target < 50: {'met' if paper['p99'] < 50 else 'MISSED'})")


def bench_check_content(rounds: int = 5) -> None:
    sys.path.insert(0, str(ROOT))
    from app.markdown.render import _render_cached
    from app.services.content_check import check_content

    timings = []
    for _ in range(rounds):
        _render_cached.cache_clear()  # measure real rendering, not the hash cache
        started = perf_counter()
        result = check_content(ROOT / "content")
        timings.append(perf_counter() - started)
    best = min(timings)
    print(f"check-content: {result.files} files, {len(result.failures)} errors, "
          f"best of {rounds}: {best * 1000:.0f} ms = {result.files / best:.0f} files/s")


if __name__ == "__main__":
    if shutil.which("ab") is None:
        sys.exit("ab (apache2-utils) is missing: apt-get install apache2-utils")
    bench_server()
    bench_check_content()
