"""The Jinja2 environment: template folder, filters and the few globals pages share."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app.auth import SESSION_COOKIE, bearer_token, resolve_viewer
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


class FragmentCache:
    """Rendered template fragments by key, for parts of a page that are the same for every
    reader (a paper's article, keyed by its content hash). Bounded: oldest entries go first."""

    def __init__(self, templates: Jinja2Templates, *, size: int = 256) -> None:
        self._templates = templates
        self._size = size
        self._fragments: dict[tuple, Markup] = {}

    def render(self, key: tuple, template: str, **context: object) -> Markup:
        fragment = self._fragments.get(key)
        if fragment is None:
            fragment = Markup(self._templates.get_template(template).render(**context))
            if len(self._fragments) >= self._size:
                self._fragments.pop(next(iter(self._fragments)))
            self._fragments[key] = fragment
        return fragment


def _viewer_context(request: Request) -> dict:
    """Every page's header shows who is signed in, and forms carry the CSRF token. Readers
    without a session cookie cost no database query."""
    viewer = getattr(request.state, "viewer", None)
    if viewer is None and SESSION_COOKIE in request.cookies and bearer_token(request) is None:
        with request.app.state.sessions() as session:
            viewer = resolve_viewer(request, session)
    return {"viewer": viewer, "csrf_token": getattr(request.state, "csrf_token", "")}


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR), context_processors=[_viewer_context])
    env = templates.env
    env.filters["authors"] = format_authors
    env.globals.update(demos_by_name=DEMOS_BY_NAME, katex=KATEX, query_string=query_string)
    return templates
