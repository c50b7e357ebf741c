"""A demo is one folder: the test-only package tests/models/echo_demo, registered by one line
in tests/models/tiny_demos.py, gets its page, API, CLI commands and card with no other edit.
And every registered demo passes the same generic checks of its spec."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.cli import main
from app.main import create_app
from app.settings import Settings
from models.loading import verify_weights
from models.registry import DEMOS, PLANNED
from models.spec import FileInput, check_inputs, resolve_entry_point
from tests.queue_fixtures import TINY_DEMOS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def echo_client(settings: Settings):
    with TestClient(create_app(settings.model_copy(update={"demo_specs": TINY_DEMOS}))) as client:
        yield client


def test_its_page_carries_its_widget_script_explanation_and_card(echo_client) -> None:
    page = echo_client.get("/demos/echo")
    assert page.status_code == 200
    assert 'class="echo-widget"' in page.text and 'max="10.0"' in page.text and 'value="2.0"' in page.text
    assert '<script type="module" src="/demo-assets/echo/widget.js">' in page.text
    assert "for the gain" in page.text  # the explanation, rendered
    assert "mean absolute error" in page.text and "A 3-to-2 linear map" in page.text  # the card, with its labels
    script = echo_client.get("/demo-assets/echo/widget.js")
    assert script.status_code == 200 and "submitJob" in script.text
    assert echo_client.get("/demo-assets/echo/../spec.py").status_code == 404
    listing = echo_client.get("/demos").text
    assert "Echo" in listing and "Scale three numbers" in listing


def test_its_api_reads_the_declared_inputs(echo_client) -> None:
    done = echo_client.post("/api/v1/demos/echo?wait=20", json={"gain": "4", "sign": "flip"})
    assert done.status_code == 200, done.text
    result = done.json()["result"]
    assert result["gain"] == 4.0 and result["sign"] == "flip"
    defaults = echo_client.post("/api/v1/demos/echo?wait=20", json={}).json()["result"]
    assert defaults["gain"] == 2.0 and defaults["sign"] == "keep"  # the declared defaults, stored with the job
    assert [round(-2 * a, 6) for a in defaults["y"]] == [round(b, 6) for b in result["y"]]
    with_reason = echo_client.post("/api/v1/demos/echo?wait=20", data={"gain": "9.5"},
                                   files={"reason": ("why.txt", b"loud", "text/plain")})
    assert with_reason.status_code == 200 and with_reason.json()["result"]["gain"] == 9.5
    for bad, message in (({"gain": 11}, "between 0 and 10"), ({"sign": "up"}, "one of keep, flip"),
                         ({"volume": 1}, "unknown inputs"), ({"gain": 9.5}, "needs a `reason` file")):
        refused = echo_client.post("/api/v1/demos/echo", json=bad)
        assert refused.status_code == 422 and message in refused.json()["detail"]


def test_its_training_and_evaluation_commands_are_found_through_the_spec(tmp_path, monkeypatch, capsys) -> None:
    from app.settings import get_settings

    monkeypatch.setenv("MARGINALIA_DEMO_SPECS", TINY_DEMOS)
    get_settings.cache_clear()
    try:
        assert main(["train", "echo", "--out", str(tmp_path / "trained.txt")]) == 0
        assert (tmp_path / "trained.txt").read_text() == "trained\n"
        assert main(["evaluate", "echo"]) == 0
        assert "mean absolute error" in capsys.readouterr().out
        assert main(["train", "nothing"]) == 2
        assert main(["evaluate", "tiny"]) == 2  # a demo without the command says so
    finally:
        get_settings.cache_clear()


def test_a_planned_demo_is_announced_not_run(settings) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from models.planned import planned

    coming = planned("time-machine", "Time machine", "Run a paper before it is written.", "wave-toy")
    with TestClient(create_app(settings, planned=(coming,))) as client:
        page = client.get("/demos/time-machine")
        assert page.status_code == 200 and "not deployed on this server yet" in page.text
        assert "Time machine" in client.get("/demos").text
        assert client.post("/api/v1/demos/time-machine", json={}).status_code == 404


@pytest.mark.parametrize("spec", DEMOS, ids=lambda spec: spec.name)
def test_every_registered_demo_has_a_complete_spec(spec) -> None:
    assert spec.live and spec.blurb and spec.explanation and spec.paper
    assert (ROOT / "content" / "papers" / f"{spec.paper}.md").is_file()
    for dotted in (spec.entry_point, spec.predict, spec.train or spec.entry_point, spec.evaluate or spec.entry_point):
        assert callable(resolve_entry_point(dotted)), dotted
    for weights in spec.weights:
        verify_weights(weights)  # present, and the checksum the spec promises
        assert weights.location.stat().st_size <= 15e6
    assert spec.card_path is not None and spec.card_path.is_file()
    values = {name: None for name, declared in spec.inputs.items() if not isinstance(declared, FileInput)}
    assert set(check_inputs(spec, values)) >= set(values)  # every declared default passes its own check
    if spec.widget:
        assert (spec.page_dir / "widget.js").is_file()


def test_planned_demos_do_not_clash_with_live_ones() -> None:
    assert {spec.name for spec in PLANNED}.isdisjoint(spec.name for spec in DEMOS)
    assert all(not spec.live and spec.thumbnail_url for spec in PLANNED)


def test_make_train_targets_dispatch_through_the_cli() -> None:
    dry = subprocess.run(["make", "-n", "train-echo"], cwd=ROOT, capture_output=True, text=True)
    assert dry.returncode == 0 and "marginalia train echo" in dry.stdout, dry.stderr


def test_its_model_card_is_served_as_json(echo_client) -> None:
    card = echo_client.get("/api/v1/demos/echo/card")
    assert card.status_code == 200 and card.json()["validation"]["zero"] == {"error": 1.5}
    assert echo_client.get("/api/v1/demos/tiny/card").status_code == 404  # no card beside its weights
