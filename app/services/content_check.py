"""`marginalia check-content`: render every summary under a folder, report the failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.markdown import render_markdown
from app.services.content_source import ContentError, iter_summary_files, load_paper


@dataclass
class ContentCheck:
    files: int = 0
    failures: dict[Path, str] = field(default_factory=dict)


def check_content(folder: Path) -> ContentCheck:
    result = ContentCheck()
    for path in iter_summary_files(folder):
        result.files += 1
        try:
            render_markdown(load_paper(path).body)
        except ContentError as exc:
            result.failures[path] = str(exc)
        except Exception as exc:  # any renderer crash is this file's error
            result.failures[path] = f"cannot render: {exc.__class__.__name__}: {exc}"
    return result
