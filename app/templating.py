"""The Jinja2 environment: template folder, filters and the few globals pages share."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from markupsafe import Markup

from models.spec import DemoSpec

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
    """Every page's header shows who is signed in (resolved by the page routers' dependency,
    never here: templates do not query), and forms carry the CSRF token."""
    return {"viewer": getattr(request.state, "viewer", None), "csrf_token": getattr(request.state, "csrf_token", "")}


def make_templates(demos: tuple[DemoSpec, ...] = ()) -> Jinja2Templates:
    """The environment for one app: its templates, plus each demo's widget folder under the
    demo's name ("colorization/widget.html"), and `demos_by_name` for the demos it knows."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR), context_processors=[_viewer_context])
    env = templates.env
    widgets = {spec.name: FileSystemLoader(str(spec.page_dir)) for spec in demos if spec.page_dir}
    env.loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES_DIR)), PrefixLoader(widgets)])
    env.filters["authors"] = format_authors
    env.globals.update(demos_by_name={spec.name: spec for spec in demos}, katex=KATEX, query_string=query_string)
    return templates
