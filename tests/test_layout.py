"""The top level DESIGN.md fixes, and the compose file operators start from."""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_top_level_layout() -> None:
    for name in ("pyproject.toml", "Makefile", "README.md", "docker-compose.yml", ".ci/run",
                 "app", "models", "content/papers", "static", "templates", "tests"):
        assert (ROOT / name).exists(), name


def test_compose_file_scales_out_with_redis_and_gpu_workers() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web, worker, redis = (compose["services"][name] for name in ("web", "worker", "redis"))
    assert "marginalia serve" in web["command"] and "marginalia worker" in worker["command"]
    assert web["environment"]["MARGINALIA_QUEUE"] == worker["environment"]["MARGINALIA_QUEUE"] == "celery"
    assert web["environment"]["MARGINALIA_REDIS_URL"] == "redis://redis:6379/0"
    assert worker["deploy"]["resources"]["reservations"]["devices"][0]["capabilities"] == ["gpu"]
    assert worker["environment"]["MARGINALIA_DEVICE"] == "cuda"
    assert "marginalia-data:/data" in web["volumes"] and "marginalia-data:/data" in worker["volumes"]
    for service in (web, worker, redis):
        assert service["healthcheck"]["test"]


def test_docker_compose_accepts_the_file_where_compose_is_installed() -> None:
    # No engine runs on these machines; `docker compose config` only parses and validates.
    # The check runs where the docker CLI has its compose plugin (it has not, here).
    if shutil.which("docker") is None or subprocess.run(
            ["docker", "compose", "version"], capture_output=True).returncode != 0:
        return
    done = subprocess.run(["docker", "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
