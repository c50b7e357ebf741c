"""Read one summary file: validated front matter plus the markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.markdown.render import content_hash
from models.registry import known_names

_FIRST_HEADING = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*(?:\n|\Z)")
_TAG = re.compile(r"^[a-z0-9][a-z0-9+.-]*$")


class ContentError(ValueError):
    """A summary file that cannot be read; the message says what to fix."""


class PaperMeta(BaseModel):
    """Front matter keys (README, "Writing a summary"). Unknown keys are errors: they are typos."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1)
    authors: list[str] = []
    year: int | None = Field(None, ge=1900, le=2100)
    venue: str | None = None
    arxiv: str | None = None
    url: str | None = None
    code: str | None = None
    tags: list[str] = []
    demos: list[str] = []
    gist: str | None = None
    bibtex: str | None = None

    @field_validator("tags")
    @classmethod
    def _tags_are_slugs(cls, tags: list[str]) -> list[str]:
        cleaned = [tag.strip().lower().replace(" ", "-") for tag in tags]
        bad = [tag for tag in cleaned if not _TAG.match(tag)]
        if bad:
            raise ValueError(f"tags must be lowercase words joined by hyphens: {bad}")
        return list(dict.fromkeys(cleaned))

    @field_validator("demos")
    @classmethod
    def _demos_are_known(cls, demos: list[str]) -> list[str]:
        known = known_names()
        unknown = [demo for demo in demos if demo not in known]
        if unknown:
            raise ValueError(f"unknown demos {unknown}; known: {sorted(known)}")
        return demos


@dataclass(frozen=True)
class PaperSource:
    slug: str
    path: Path
    meta: PaperMeta
    body: str
    content_hash: str  # of the whole file, front matter included


def load_paper(path: Path) -> PaperSource:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"cannot read file: {exc}") from exc
    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(f"front matter is not valid YAML: {problem}{at}") from exc
    metadata, body = dict(post.metadata), post.content
    if "title" not in metadata:
        metadata["title"], body = _title_from_body(body, path)
    try:
        meta = PaperMeta.model_validate(metadata)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'front matter'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ContentError(problems) from exc
    return PaperSource(path.stem, path, meta, body, content_hash(raw))


def _title_from_body(body: str, path: Path) -> tuple[str, str]:
    """A file without a title takes its first `#` heading (removed from the body: the page
    prints the title), else its file name."""
    match = _FIRST_HEADING.match(body)
    if match:
        return match.group(1), body[match.end():]
    return path.stem.replace("-", " ").replace("_", " ").capitalize(), body


def iter_summary_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.md") if path.is_file())
