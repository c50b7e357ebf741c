"""`make load`: a mixed workload at 32 concurrent clients for a fixed time, on SQLite (one web
process) and on PostgreSQL (several web processes), each a fresh server on loopback.

Each client loops over a weighted mix: page views, API reads, searches, annotation writes by
eight users (API tokens), demo jobs (the tiny demo, so the web side is what is measured), and a
trivial endpoint (/healthz) as the anchor measured in the same run. Afterwards every
acknowledged write (201) is looked up in the database, with its text: a write the server
acknowledged and the database lacks is a lost write. Prints p50/p99 latency, throughput and
errors per route; exits 1 when a run had an error or lost a write (the targets: none of either).

    python tests/bench/load_mixed.py [--seconds 30] [--clients 32] [--workers 3] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select  # noqa: E402

from app.db.models import Annotation  # noqa: E402
from tests.postgres_server import postgres_server  # noqa: E402
from tests.queue_fixtures import TINY_DEMOS, free_port, wait_until, web_ready  # noqa: E402

WRITERS = 8
SLUGS = ("colorful-image-colorization", "wavenet", "perceptual-losses", "mtcnn-face-detection")
WORDS = ("colour", "receptive field", "loss", "attention", "convolution", "gan", "relevance", "face")
MARGINALIA = str(Path(sys.executable).with_name("marginalia"))


def _mix(slugs: list[str]) -> list[tuple[str, int]]:
    """(route name, weight): what one client does next is drawn from these."""
    return [("page /papers/{slug}", 22), ("page /", 8), ("api papers", 8), ("api annotations of a paper", 12),
            ("search page", 6), ("api search", 6), ("api annotation write", 24), ("api demo job", 4),
            ("/healthz (anchor)", 10)]


class Load:
    def __init__(self, base: str, tokens: list[str], slugs: list[str], seconds: float, clients: int) -> None:
        self.base, self.tokens, self.slugs = base, tokens, slugs
        self.seconds, self.clients = seconds, clients
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_samples: dict[str, str] = {}
        self.written: list[tuple[str, str]] = []  # (id, comment) of every 201
        routes = _mix(slugs)
        self.names, self.weights = [r for r, _ in routes], [w for _, w in routes]

    async def run(self) -> float:
        limits = httpx.Limits(max_connections=self.clients, max_keepalive_connections=self.clients)
        async with httpx.AsyncClient(base_url=self.base, timeout=60, limits=limits) as http:
            started = time.monotonic()
            deadline = started + self.seconds
            await asyncio.gather(*(self.client(http, n, deadline) for n in range(self.clients)))
            return time.monotonic() - started

    async def client(self, http: httpx.AsyncClient, n: int, deadline: float) -> None:
        rng = random.Random(n)
        token = self.tokens[n % len(self.tokens)]
        count = 0
        while time.monotonic() < deadline:
            count += 1
            route = rng.choices(self.names, self.weights)[0]
            slug = rng.choice(self.slugs)
            start = time.perf_counter()
            try:
                response, expected = await self.request(http, route, slug, token, rng, f"{n}-{count}")
                ok = response.status_code == expected
            except httpx.HTTPError as exc:
                response, ok = None, False
                self.error_samples.setdefault(route, repr(exc))
            self.latency[route].append((time.perf_counter() - start) * 1000)
            if not ok:
                self.errors[route] += 1
                if response is not None:
                    self.error_samples.setdefault(route, f"{response.status_code} {response.text[:200]}")

    async def request(self, http, route, slug, token, rng, tag) -> tuple[httpx.Response, int]:
        auth = {"Authorization": f"Bearer {token}"}
        word = rng.choice(WORDS)
        if route == "page /papers/{slug}":
            return await http.get(f"/papers/{slug}"), 200
        if route == "page /":
            return await http.get("/"), 200
        if route == "api papers":
            return await http.get("/api/v1/papers"), 200
        if route == "api annotations of a paper":
            return await http.get(f"/api/v1/annotations/?paper={slug}", headers=auth), 200
        if route == "search page":
            return await http.get("/search", params={"q": word}), 200
        if route == "api search":
            return await http.get("/api/v1/search", params={"q": word}), 200
        if route == "api annotation write":
            comment = f"load note {tag}: the {word} here"
            body = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
                    "body": [{"type": "TextualBody", "value": comment, "format": "text/markdown"}],
                    "target": {"source": f"{self.base}/papers/{slug}",
                               "selector": [{"type": "TextQuoteSelector", "exact": "the"}]},
                    "visibility": "public"}
            response = await http.post("/api/v1/annotations/", json=body, headers=auth)
            if response.status_code == 201:
                self.written.append((response.json()["id"].rsplit("/", 1)[-1], comment))
            return response, 201
        if route == "api demo job":
            return await http.post("/api/v1/demos/tiny", json={"x": "1,2,3"}, headers=auth), 202
        return await http.get("/healthz"), 200

    def report(self, label: str, elapsed: float, lost: int) -> bool:
        total = sum(len(v) for v in self.latency.values())
        errors = sum(self.errors.values())
        print(f"\n{label}: {self.clients} clients for {elapsed:.0f} s: {total / elapsed:.0f} req/s, "
              f"{errors} errors, {len(self.written)} acknowledged writes, {lost} lost")
        print(f"{'route':<30} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
        for route in self.names:
            times = sorted(self.latency.get(route, []))
            if not times:
                continue
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            print(f"{route:<30} {len(times):>8} {len(times) / elapsed:>7.1f} {statistics.median(times):>7.0f} "
                  f"{p99:>7.0f} {self.errors.get(route, 0):>6}")
        for route, sample in self.error_samples.items():
            print(f"  first error on {route}: {sample}")
        return errors == 0 and lost == 0


def lost_writes(database_url: str, written: list[tuple[str, str]]) -> int:
    engine = create_engine(database_url)
    with engine.connect() as db:
        stored = dict(db.execute(select(Annotation.id, Annotation.body_markdown)).all())
    engine.dispose()
    return sum(stored.get(note_id) != comment for note_id, comment in written)


@contextmanager
def server(env: dict[str, str], workers: int) -> Iterator[str]:
    port = free_port()
    env = {**env, "MARGINALIA_PORT": str(port)}
    process = subprocess.Popen([MARGINALIA, "serve", "--workers", str(workers)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: web_ready(base), 180, "the server")
        yield base
    finally:
        process.terminate()
        process.wait(60)



def prepare(env: dict[str, str]) -> list[str]:
    subprocess.run([MARGINALIA, "migrate"], env=env, check=True, capture_output=True)
    tokens = []
    for n in range(WRITERS):
        subprocess.run([MARGINALIA, "create-user", f"reader{n}", "--password-file", "-"], env=env, check=True,
                       input="correct horse battery", text=True, capture_output=True)
        made = subprocess.run([MARGINALIA, "create-token", f"reader{n}"], env=env, check=True, text=True,
                              capture_output=True)
        tokens.append(made.stdout.strip().splitlines()[-1])
    return tokens


def run_one(label: str, env: dict[str, str], database_url: str, workers: int, args) -> bool:
    tokens = prepare(env)
    with server(env, workers) as base:
        slugs = [s for s in SLUGS if httpx.get(f"{base}/papers/{s}").status_code == 200] or ["wavenet"]
        asyncio.run(Load(base, tokens, slugs, 3, 8).run())  # warm-up: caches, pools, first renders
        load = Load(base, tokens, slugs, args.seconds, args.clients)
        elapsed = asyncio.run(load.run())
    return load.report(label, elapsed, lost_writes(database_url, load.written))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3, help="web processes on PostgreSQL")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        base_env = {**os.environ, "PYTHONPATH": str(ROOT), "MARGINALIA_CONTENT_DIR": str(ROOT / "content"),
                    "MARGINALIA_DEMO_SPECS": TINY_DEMOS, "MARGINALIA_PRELOAD_MODELS": "false",
                    # the load's demo jobs come from one address: lift the per-client limits
                    "MARGINALIA_DEMO_RUNS_PER_MINUTE": "1000000", "MARGINALIA_MAX_ACTIVE_JOBS": "1000000"}
        if args.only in (None, "sqlite"):
            data = Path(folder) / "sqlite"
            env = {**base_env, "MARGINALIA_DATA_DIR": str(data)}
            ok &= run_one("SQLite, 1 web process", env, f"sqlite:///{data / 'marginalia.db'}", 1, args)
        if args.only in (None, "postgresql"):
            with postgres_server(durable=True) as pg:
                url = pg.create_database("load")
                env = {**base_env, "MARGINALIA_DATA_DIR": str(Path(folder) / "pg"), "MARGINALIA_DATABASE_URL": url}
                ok &= run_one(f"PostgreSQL, {args.workers} web processes", env, url, args.workers, args)
    print("\ntargets: zero errors and zero lost writes:", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    if shutil.which("marginalia") is None and not Path(MARGINALIA).exists():
        sys.exit("marginalia is not installed in this Python's environment (make install)")
    sys.exit(main())
