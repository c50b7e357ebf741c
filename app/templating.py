"""The Jinja2 environment: template folder, filters and the few globals pages share."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates

from app.demo_catalog import DEMOS_BY_NAME

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"
KATEX = "vendor/katex-0.19.1"


def format_authors(authors: list[str], limit: int = 3) -> str:
    if len(authors) <= limit:
        return ", ".join(authors)
    return f"{', '.join(authors[:limit])} et al."


def query_string(params: dict, **changes: object) -> str:
    """The current filters with some changed; blank filters and page 1 stay out of the URL."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "") and not (k == "page" and v == 1)}
    return urlencode(kept)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.filters["authors"] = format_authors
    env.globals.update(demos_by_name=DEMOS_BY_NAME, katex=KATEX, query_string=query_string)
    return templates
