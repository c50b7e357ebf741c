"""Imports run one way (docs/architecture.md, "Layers"): a module imports only from its own
layer or the layers below it, `models` never imports `app`, and the web side of the demo
contract (specs, the registry, parameter checks) never imports torch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom. A package name stands for all its modules.
LAYERS = (
    ("app.main", "app.cli"),
    ("app.routes", "app.errors"),
    ("app.deps", "app.templating", "app.auth", "app.http_hardening"),
    ("app.workers", "app.metrics"),
    ("app.presenters",),
    ("app.services",),
    ("app.schemas",),
    ("app.markdown",),
    ("app.db",),
    ("app.settings", "app.clock"),
    ("models",),
)


def layer_of(module: str) -> int | None:
    for rank, names in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in names):
            return rank
    return None


def imports_of(path: Path) -> set[str]:
    """Every module a file imports (anywhere in it, including inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def test_every_app_module_has_a_layer() -> None:
    for path in (ROOT / "app").rglob("*.py"):
        name = module_name(path)
        if "migrations" not in path.parts and name != "app":
            assert layer_of(name) is not None, f"{name} belongs to no layer in LAYERS"


def test_imports_point_down() -> None:
    upward = []
    for package in ("app", "models"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            importer = module_name(path)
            own = layer_of(importer)
            if own is None:
                continue
            for imported in imports_of(path):
                rank = layer_of(imported)
                if rank is not None and rank < own:
                    upward.append(f"{importer} imports {imported}")
    assert upward == [], "imports that point up a layer:\n" + "\n".join(sorted(upward))


def test_the_layer_test_catches_an_upward_import(tmp_path) -> None:
    # The check itself can fail: a service that imports a route is caught.
    bad = tmp_path / "bad.py"
    bad.write_text("from app.routes.api_demos import router\n")
    assert layer_of("app.services.bad") > min(layer_of(m) for m in imports_of(bad))


def test_the_web_side_of_the_demo_contract_needs_no_torch() -> None:
    # What a web process with the celery queue imports: the app, every spec and parameter check.
    code = ("import sys; import app.main, app.cli, models.registry; "
            "from models.spec import check_inputs; "
            "from models.registry import DEMOS, PLANNED; "
            "[check_inputs(spec, {}) for spec in DEMOS if not spec.files]; "
            "print('torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
