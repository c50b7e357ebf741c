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


def test_compose_file_scales_out_with_postgres_redis_web_replicas_and_gpu_workers() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    web, worker, redis, postgres = (services[name] for name in ("web", "worker", "redis", "postgres"))
    assert "marginalia serve" in web["command"] and "marginalia worker" in worker["command"]
    assert web["environment"]["MARGINALIA_QUEUE"] == worker["environment"]["MARGINALIA_QUEUE"] == "celery"
    assert web["environment"]["MARGINALIA_REDIS_URL"] == "redis://redis:6379/0"
    database = web["environment"]["MARGINALIA_DATABASE_URL"]
    assert database == worker["environment"]["MARGINALIA_DATABASE_URL"]
    assert database.startswith("postgresql+psycopg://") and "@postgres:5432/" in database
    assert web["deploy"]["replicas"] >= 2 and "8000:80" in services["proxy"]["ports"]
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in postgres["volumes"])
    assert worker["deploy"]["resources"]["reservations"]["devices"][0]["capabilities"] == ["gpu"]
    assert worker["environment"]["MARGINALIA_DEVICE"] == "cuda"
    assert "marginalia-data:/data" in web["volumes"] and "marginalia-data:/data" in worker["volumes"]
    for service in (web, worker, redis, postgres):
        assert service["healthcheck"]["test"]


def test_compose_validates_the_file() -> None:
    # No engine runs on these machines; `config` only parses and validates. The docker CLI's
    # compose plugin where it exists, else Debian's docker-compose, which `.ci/run` installs.
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        command = ["docker", "compose"]
    else:
        command = ["docker-compose"]  # FileNotFoundError (a failure) when neither is installed
    done = subprocess.run([*command, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_the_readme_has_a_section_with_a_screenshot_for_every_demo() -> None:
    # a demo is not done without its README section (issue checklist); this once went missing
    from models.registry import DEMOS

    readme = (ROOT / "README.md").read_text()
    for spec in DEMOS:
        screenshot = f"static/docs/{spec.name}-demo.png"
        assert f"]({screenshot})" in readme and (ROOT / screenshot).is_file(), spec.name
        assert f"/api/v1/demos/{spec.name}?" in readme, spec.name
