"""A real redis-server on a free loopback port and real `marginalia worker` processes.

Missing redis-server makes the tests that use these fail (FileNotFoundError), not skip:
`make test` and `.ci/run` install it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import redis

from app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TINY_DEMOS = "tests.models.tiny_demos:DEMOS"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def web_ready(base: str) -> bool:
    """Whether a `marginalia serve` at `base` answers /readyz (false while it starts)."""
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(condition, timeout: float = 30.0, what: str = "a condition"):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return value


@contextmanager
def redis_server(folder: Path, port: int | None = None) -> Iterator[str]:
    """A redis-server; `port` to bring one back where a stopped one listened."""
    port = port or free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        wait_until(lambda: _pings(client), 10, "redis-server")
        yield url
    finally:
        server.terminate()
        server.wait(10)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def worker_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MARGINALIA_QUEUE": "celery",
        "MARGINALIA_REDIS_URL": settings.redis_url,
        "MARGINALIA_DATA_DIR": str(settings.data_dir),
        "MARGINALIA_CONTENT_DIR": str(settings.content_dir),
        "MARGINALIA_DEMO_SPECS": settings.demo_specs,
        "MARGINALIA_CELERY_VISIBILITY_TIMEOUT": str(settings.celery_visibility_timeout),
        **({"MARGINALIA_DATABASE_URL": settings.database_url} if settings.database_url else {}),
        **({"MARGINALIA_WORKER_METRICS_PORT": str(settings.worker_metrics_port)}
           if settings.worker_metrics_port else {}),
    }


@contextmanager
def celery_worker(settings: Settings, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("ab") as output:
        worker = subprocess.Popen([str(Path(sys.executable).with_name("marginalia")), "worker"],
                                  env=worker_env(settings), stdout=output, stderr=output, cwd=ROOT)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()
