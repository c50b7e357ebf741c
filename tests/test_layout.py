"""The top level DESIGN.md fixes, and the compose file operators start from."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_top_level_layout() -> None:
    for name in ("pyproject.toml", "Makefile", "README.md", "docker-compose.yml", ".ci/run",
                 "app", "models", "content/papers", "static", "templates", "tests"):
        assert (ROOT / name).exists(), name


def test_compose_file_runs_the_web_app_with_a_healthcheck() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    assert "marginalia serve" in web["command"]
    assert web["environment"]["MARGINALIA_HOST"] == "0.0.0.0"
    assert "/readyz" in " ".join(web["healthcheck"]["test"])
