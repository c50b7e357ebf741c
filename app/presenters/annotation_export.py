"""A user's annotations as a file to download: W3C JSON-LD (an AnnotationCollection that
`annotation_import` reads back), CSV for spreadsheets, and Markdown for notes apps."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from app.clock import utcnow
from app.db.models import Annotation
from app.presenters.annotation_jsonld import ANNO_CONTEXT, JSONLD_MEDIA_TYPE, annotation_iri, iso, present_annotation

CSV_COLUMNS = ("id", "created", "modified", "paper", "paper_title", "motivation", "visibility", "quote",
               "prefix", "suffix", "start", "end", "comment", "tags", "parent")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# a leading single quote makes it text (OWASP's advice).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    content: str
    media_type: str
    filename: str


_FORMATS = {  # format -> (media type, file extension)
    "jsonld": (JSONLD_MEDIA_TYPE, "jsonld"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
}
EXPORT_FORMATS = tuple(_FORMATS)


def render_export(fmt: str, annotations: Sequence[Annotation], base: str, *, owner: str,
                  paper: str | None = None, today: date | None = None) -> Export:
    """`annotations` are `owner`'s, oldest first; `paper` is the slug the export was limited to."""
    today = today or utcnow().date()
    if fmt == "jsonld":
        content = json.dumps(present_export_collection(annotations, base, owner=owner, paper=paper),
                             ensure_ascii=False, indent=2)
    elif fmt == "csv":
        content = render_csv(annotations, base)
    elif fmt == "markdown":
        content = render_markdown(annotations, base, owner=owner, paper=paper, today=today)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    media_type, extension = _FORMATS[fmt]
    stem = "-".join(part for part in ("marginalia", owner, paper, today.isoformat()) if part)
    return Export(content, media_type, re.sub(r"[^A-Za-z0-9._-]", "-", stem) + "." + extension)


# --- W3C JSON-LD ------------------------------------------------------------------------


def present_export_collection(annotations: Sequence[Annotation], base: str, *, owner: str,
                              paper: str | None = None) -> dict:
    """One AnnotationCollection holding every annotation in its single, embedded page."""
    query = urlencode({"format": "jsonld", **({"paper": paper} if paper else {})})
    collection_id = f"{base}/api/v1/annotations/export?{query}"
    return {
        "@context": [ANNO_CONTEXT],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Annotations by {owner}" + (f" on {paper}" if paper else ""),
        "total": len(annotations),
        "first": {
            "id": f"{collection_id}&page=1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [present_annotation(a, base, context=False) for a in annotations],
        },
    }


# --- CSV ----------------------------------------------------------------------------------


def render_csv(annotations: Sequence[Annotation], base: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)  # RFC 4180: CRLF rows, quotes doubled
    writer.writerow(CSV_COLUMNS)
    for annotation in annotations:
        writer.writerow([_cell(value) for value in _csv_row(annotation, base)])
    return out.getvalue()


def _csv_row(annotation: Annotation, base: str) -> list:
    return [
        annotation_iri(base, annotation.id), iso(annotation.created_at), iso(annotation.modified_at),
        annotation.paper.slug, annotation.paper.title, annotation.motivation, annotation.visibility,
        annotation.quote_exact, annotation.quote_prefix, annotation.quote_suffix,
        annotation.position_start, annotation.position_end, annotation.body_markdown,
        " ".join(annotation.tag_names),
        annotation_iri(base, annotation.parent_id) if annotation.parent_id else "",
    ]


def _cell(value: object) -> str | int:
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


# --- Markdown -----------------------------------------------------------------------------


def render_markdown(annotations: Sequence[Annotation], base: str, *, owner: str,
                    paper: str | None = None, today: date) -> str:
    """A heading per paper (by title), its notes in reading order, replies as nested lists."""
    ids = {a.id for a in annotations}
    replies: dict[str, list[Annotation]] = defaultdict(list)
    by_paper: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        if annotation.parent_id in ids:
            replies[annotation.parent_id].append(annotation)
        else:  # a passage note, or a reply to someone else's note (not in the file)
            by_paper[annotation.paper.slug].append(annotation)
    lines = [f"# Annotations by {owner}" + (f" on {paper}" if paper else ""), "",
             f"Exported from Marginalia on {today.isoformat()}: {_count(len(annotations), 'annotation')} "
             f"on {_count(len(by_paper), 'paper')}.", ""]
    for notes in sorted(by_paper.values(), key=lambda group: group[0].paper.title.lower()):
        lines += _paper_section(notes, replies, base)
    return "\n".join(lines).rstrip() + "\n"


def _paper_section(notes: list[Annotation], replies: dict[str, list[Annotation]], base: str) -> list[str]:
    paper = notes[0].paper
    lines = [f"## [{_escape_brackets(paper.title)}]({base}/papers/{paper.slug})", ""]
    in_reading_order = sorted(notes, key=lambda a: (a.position_start is None, a.position_start or 0, a.created_at))
    for note in in_reading_order:
        lines += _note(note, base) + _thread(replies, note.id, base) + [""]
    return lines


def _note(note: Annotation, base: str) -> list[str]:
    if note.is_reply:
        lines = [f"Reply to [a note]({annotation_iri(base, note.parent_id)}):", ""]
    else:
        lines = [f"> {line}".rstrip() for line in (note.quote_exact or "").splitlines() or [""]] + [""]
    if note.body_markdown:
        lines += [note.body_markdown, ""]
    lines.append(_meta(note, base))
    return lines


def _thread(replies: dict[str, list[Annotation]], parent_id: str, base: str, *, depth: int = 0) -> list[str]:
    """Replies as a nested list; continuation lines are indented to the item's text so a
    multi-paragraph reply stays inside its list item."""
    lines = []
    indent = "  " * depth
    for reply in sorted(replies.get(parent_id, []), key=lambda a: a.created_at):
        body = reply.body_markdown.splitlines() or [""]
        lines.append(f"{indent}- {body[0]}".rstrip())
        lines += [f"{indent}  {line}".rstrip() for line in body[1:]]
        lines.append(f"{indent}  {_meta(reply, base)}")
        lines += _thread(replies, reply.id, base, depth=depth + 1)
    return [""] + lines if lines and depth == 0 else lines


def _meta(note: Annotation, base: str) -> str:
    """Tags (as #tags, which notes apps pick up), date, visibility and a link back."""
    tags = " ".join(f"#{tag}" for tag in note.tag_names)
    parts = [tags, note.created_at.strftime("%Y-%m-%d"), note.visibility]
    return "*" + " · ".join(part for part in parts if part) + f"* · [link]({annotation_iri(base, note.id)})"


def _escape_brackets(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
