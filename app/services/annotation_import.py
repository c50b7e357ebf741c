"""Importing annotations from a file: W3C Web Annotation JSON-LD (Marginalia's own export
among it) and Hypothesis JSON (API search results, bare rows, the client's export file).

Every item is brought to the W3C shape `AnnotationIn` reads, matched to one of our papers (a
Marginalia /papers/ URL on any host, an arXiv URL or id, a slug) or, for a reply, to its
parent, and written by `create_annotation`, which commits per item: a bad item is reported
with a reason and skipped, never half-written, and never stops the others. The item's
original id is kept in `Annotation.imported_from` (unique per creator), so importing the same
file again finds the earlier copies instead of making new ones.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.models import Annotation, Paper, User
from app.db.values import Visibility
from app.schemas.annotations import (
    AnnotationDraft,
    AnnotationIn,
    InvalidAnnotation,
    draft_from,
    paper_slug_from,
    parent_id_from,
)
from app.services.annotation_read import get_visible
from app.services.annotation_write import create_annotation
from app.services.text_anchoring import CONTEXT_LENGTH

MAX_ORIGINAL_ID = 500  # Annotation.imported_from
_WORLD = "group:__world__"  # Hypothesis' "anyone may read"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# New-style (1706.03762) and old-style (hep-th/9901001, math.GT/0309136) arXiv ids, bare or in
# an abs/pdf/html URL or an `arXiv:` reference, with an optional version and `.pdf`.
_ARXIV = re.compile(
    r"^(?:(?:https?://)?(?:[\w-]+\.)*arxiv\.org/(?:abs|pdf|html)/|arxiv:\s*)?"
    r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)


class InvalidImport(ValueError):
    """The document is none of the shapes we import (HTTP 400); the message says which are."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)  # ids of the new annotations
    duplicates: list[str] = field(default_factory=list)  # original ids already imported
    unmatched: list[dict[str, str]] = field(default_factory=list)  # {"id": original, "reason"}

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Item:
    """One annotation of the file, read into the W3C shape `AnnotationIn` accepts."""

    original: str  # its id in the source, or a hash of it when it has none
    payload: dict = field(default_factory=dict)  # body and visibility
    selectors: list[dict] | None = None  # quote (and position) selectors of a passage
    sources: tuple[str, ...] = ()  # where it was made (URLs, arXiv ids, slugs), best first
    parent: str | None = None  # original id of the annotation it replies to
    created: datetime | None = None
    foreign: bool = False  # positions count characters of another document than our summary
    problem: str | None = None  # why it cannot be imported, found while reading it


def import_annotations(session: Session, user: User, document: Any, *, base_url: str) -> ImportReport:
    """Import every annotation of `document` (parsed JSON) as `user`'s; see the module doc."""
    raws, report = _raw_items(document)
    ids = {raw["id"] for raw in raws if isinstance(raw, dict) and isinstance(raw.get("id"), str)}
    items = [_read_item(raw, number, ids) for number, raw in enumerate(raws, 1)]
    importer = _Importer(session, user, base_url, report, {item.original for item in items})
    for item in _parents_first(items):
        importer.add(item)
    return report


# --- the shapes of the document ------------------------------------------------------


def _raw_items(document: Any) -> tuple[list, ImportReport]:
    report = ImportReport()
    if isinstance(document, list):
        return document, report
    if not isinstance(document, dict):
        raise InvalidImport(_SHAPES)
    for key in ("rows", "annotations"):  # Hypothesis: API search response, client export file
        if isinstance(document.get(key), list):
            return document[key], report
    types = _types(document)
    if "AnnotationCollection" in types:
        first = document.get("first")
        if not (isinstance(first, dict) and isinstance(first.get("items"), list)):
            raise InvalidImport("the AnnotationCollection does not embed its annotations (first.items)")
        if isinstance(first.get("next"), str):
            # Pages are not fetched from elsewhere: say so rather than import part in silence.
            report.unmatched.append({"id": first["next"], "reason": "this page is not in the file; import it too"})
        return first["items"], report
    if "AnnotationPage" in types and isinstance(document.get("items"), list):
        return document["items"], report
    if "Annotation" in types or "target" in document:
        return [document], report
    raise InvalidImport(_SHAPES)


_SHAPES = ("expected a W3C Annotation, AnnotationPage or AnnotationCollection, a list of annotations, "
           "or Hypothesis JSON (an API response with `rows` or a client export with `annotations`)")


def _types(raw: dict) -> set[str]:
    value = raw.get("type")
    values = value if isinstance(value, list) else [value]
    return {v for v in values if isinstance(v, str)}


def _read_item(raw: Any, number: int, ids: set[str]) -> _Item:
    if not isinstance(raw, dict):
        return _Item(f"item {number}", problem="not a JSON object")
    if not _types(raw) and any(key in raw for key in ("uri", "text", "references", "permissions")):
        return _from_hypothesis(raw)
    return _from_w3c(raw, ids)


def _original_id(raw: dict) -> str:
    value = raw.get("id")
    if isinstance(value, str) and 0 < len(value.strip()) <= MAX_ORIGINAL_ID:
        return value.strip()
    # No usable id: the item's content stands for it, so a second import still finds it.
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _from_w3c(raw: dict, ids: set[str]) -> _Item:
    original = _original_id(raw)
    body = raw.get("body")
    if body is None and isinstance(raw.get("bodyValue"), str):
        body = {"type": "TextualBody", "value": raw["bodyValue"]}
    payload = {"body": body, "visibility": raw.get("visibility", Visibility.PRIVATE)}
    item = _Item(original, payload, created=_parse_time(raw.get("created")))
    if raw.get("deleted") is True:
        return replace(item, problem="a deleted annotation (kept only as a stub for its replies)")
    target = raw.get("target")
    if isinstance(target, list):
        if len(target) != 1:
            return replace(item, problem="an annotation has exactly one target")
        target = target[0]
    if (parent := _reply_target(raw, target, ids)) is not None:
        return replace(item, parent=parent)
    if not isinstance(target, dict):
        return replace(item, problem="it targets a whole resource; Marginalia annotates quoted passages")
    sources = _refs(target.get("source"), raw.get("paper"))
    return replace(item, selectors=_selectors(target.get("selector")), sources=sources)


def _reply_target(raw: dict, target: Any, ids: set[str]) -> str | None:
    """The parent's IRI when the target is another annotation (a reply), else None."""
    ref = target if isinstance(target, str) else None
    if isinstance(target, dict) and not target.get("selector"):
        ref = next((v for v in (target.get("source"), target.get("id")) if isinstance(v, str)), None)
    if ref and (ref in ids or parent_id_from(ref) or raw.get("motivation") == "replying"):
        return ref
    return None


def _from_hypothesis(row: dict) -> _Item:
    targets = row.get("target")
    target = targets[0] if isinstance(targets, list) and targets and isinstance(targets[0], dict) else {}
    text = row.get("text") if isinstance(row.get("text"), str) else ""
    body = [{"type": "TextualBody", "value": text, "format": "text/markdown"}] if text.strip() else []
    tags = row.get("tags") if isinstance(row.get("tags"), list) else []
    body += [{"type": "TextualBody", "value": str(tag), "purpose": "tagging"} for tag in tags]
    permissions = row.get("permissions") if isinstance(row.get("permissions"), dict) else {}
    read = permissions.get("read") or []
    # Group and only-me notes become private: we have no groups, and private never leaks.
    payload = {"body": body, "visibility": Visibility.PUBLIC if _WORLD in read else Visibility.PRIVATE}
    references = [ref for ref in row.get("references") or [] if isinstance(ref, str)]
    item = _Item(_original_id(row), payload, created=_parse_time(row.get("created")), foreign=True)
    if references:  # the thread's ancestors, root first: the last one is the parent
        return replace(item, parent=references[-1])
    document = row.get("document") if isinstance(row.get("document"), dict) else {}
    links = document.get("link") if isinstance(document.get("link"), list) else []
    hrefs = (link.get("href") for link in links if isinstance(link, dict))
    sources = _refs(target.get("source"), row.get("uri"), *hrefs)
    selectors = _selectors(target.get("selector"))
    problem = None if selectors else "a page note (no quoted passage); Marginalia annotates passages"
    return replace(item, selectors=selectors, sources=sources, problem=problem)


def _refs(*values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if isinstance(value, str) and value.strip()))


def _selectors(raw: Any) -> list[dict] | None:
    """The quote selector (and a position selector) of a target; None without a quote.
    Range, page and fragment selectors point into another document's DOM: left out."""
    found = [s for s in (raw if isinstance(raw, list) else [raw]) if isinstance(s, dict)]
    quote = next((s for s in found if s.get("type") == "TextQuoteSelector"
                  and isinstance(s.get("exact"), str) and s["exact"].strip()), None)
    if quote is None:
        return None
    # Anchoring compares CONTEXT_LENGTH code points of context; longer context only gets in the way.
    selectors = [{"type": "TextQuoteSelector", "exact": quote["exact"],
                  "prefix": _text(quote.get("prefix"))[-CONTEXT_LENGTH:],
                  "suffix": _text(quote.get("suffix"))[:CONTEXT_LENGTH]}]
    position = next((s for s in found if s.get("type") == "TextPositionSelector"), None)
    if position is not None:
        selectors.append({"type": "TextPositionSelector", "start": position.get("start"), "end": position.get("end")})
    return selectors


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as naive UTC (how we store it); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _parents_first(items: list[_Item]) -> list[_Item]:
    """Items sorted by their depth in the file's threads, so a parent is written before its replies."""
    by_original = {item.original: item for item in items}

    def depth(item: _Item) -> int:
        level, seen = 0, {item.original}
        while item.parent in by_original and item.parent not in seen:
            item = by_original[item.parent]
            seen.add(item.original)
            level += 1
        return level

    return sorted(items, key=depth)


# --- writing ------------------------------------------------------------------------


class _Importer:
    def __init__(self, session: Session, user: User, base_url: str, report: ImportReport,
                 in_file: set[str]) -> None:
        self.session, self.user, self.base_url, self.report = session, user, base_url, report
        self.papers = _PaperFinder(session)
        self.in_file = in_file
        self.imported: dict[str, str] = {}  # original id -> our id, for this file's replies

    def add(self, item: _Item) -> None:
        if item.problem:
            self._unmatched(item, item.problem)
            return
        if (existing := self._existing(item.original)) is not None:
            self.imported[item.original] = existing
            self.report.duplicates.append(item.original)
            return
        try:
            annotation = create_annotation(self.session, self.user, self._draft(item),
                                           imported_from=item.original, created_at=item.created)
        except (InvalidAnnotation, ValidationError) as exc:
            self.session.rollback()
            self._unmatched(item, _reason(exc))
        except IntegrityError:
            # A concurrent import of the same item committed first: the unique index caught it.
            self.session.rollback()
            self.imported[item.original] = self._imported_before(item.original)
            self.report.duplicates.append(item.original)
        else:
            self.imported[item.original] = annotation.id
            self.report.created.append(annotation.id)

    def _draft(self, item: _Item) -> AnnotationDraft:
        if item.parent is not None:
            # A bare id is an annotation IRI to `draft_from` (see parent_id_from).
            return draft_from(AnnotationIn.model_validate({**item.payload, "target": self._parent_id(item.parent)}))
        if not item.selectors:
            raise InvalidAnnotation("no TextQuoteSelector with text: Marginalia annotates quoted passages")
        found = self.papers.find(item.sources)
        if found is None:
            raise InvalidAnnotation(f"no paper here matches {', '.join(item.sources) or 'its target'}")
        slug, ours = found
        # Positions count characters of our summary text only when the note was made on it.
        selectors = item.selectors if ours and not item.foreign else item.selectors[:1]
        target = {"source": f"{self.base_url}/papers/{slug}", "selector": selectors}
        return draft_from(AnnotationIn.model_validate({**item.payload, "target": target}))

    def _parent_id(self, original: str) -> str:
        if original in self.imported:
            return self.imported[original]
        if original in self.in_file:  # sorted parents first, so it was tried and failed
            raise InvalidAnnotation(f"its parent {original} could not be imported")
        if (earlier := self._imported_before(original)) is not None:
            return earlier
        # Our ids are random uuid4s: one that exists here is that very annotation, whatever
        # host the file named (the site may have moved since the export).
        local = parent_id_from(original)
        if local and (parent := get_visible(self.session, local, self.user)) is not None and not parent.deleted:
            return parent.id
        raise InvalidAnnotation(f"its parent {original} is neither in the file nor here")

    def _existing(self, original: str) -> str | None:
        """Our copy of the item: imported before, or the user's own note (a re-imported export)."""
        if (earlier := self._imported_before(original)) is not None:
            return earlier
        local = parent_id_from(original)
        if local is None:
            return None
        return self.session.scalar(select(Annotation.id).where(
            Annotation.id == local, Annotation.creator_id == self.user.id, Annotation.deleted.is_(False)))

    def _imported_before(self, original: str) -> str | None:
        return self.session.scalar(select(Annotation.id).where(
            Annotation.creator_id == self.user.id, Annotation.imported_from == original))

    def _unmatched(self, item: _Item, reason: str) -> None:
        self.report.unmatched.append({"id": item.original, "reason": reason})


def _reason(exc: Exception) -> str:
    if not isinstance(exc, ValidationError):
        return str(exc)
    # Union targets report one error per alternative; the first names the field and the limit.
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"] if not str(part)[:1].isupper() and "[" not in str(part))
    return f"{where}: {error['msg']}" if where else error["msg"]


class _PaperFinder:
    """Finds the paper an item was made on; loaded once per import (slugs and ids only)."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(Paper.slug, Paper.arxiv, Paper.url).where(Paper.removed_at.is_(None))).all()
        self.slugs = {row.slug for row in rows}
        self.by_arxiv = {key: row.slug for row in rows if row.arxiv and (key := arxiv_key(row.arxiv))}
        self.by_url = {_bare_url(row.url): row.slug for row in rows if row.url}

    def find(self, refs: Iterable[str]) -> tuple[str, bool] | None:
        """(slug, whether `ref` was a Marginalia page) for the first ref that names a paper."""
        for ref in refs:
            path = ref.strip().split("#", 1)[0].split("?", 1)[0]
            slug = paper_slug_from(path) if "/papers/" in path else path if _SLUG.match(path) else None
            if slug in self.slugs:
                return slug, True
            if (key := arxiv_key(path)) in self.by_arxiv:
                return self.by_arxiv[key], False
            if _bare_url(ref) in self.by_url:
                return self.by_url[_bare_url(ref)], False
        return None


def arxiv_key(ref: str) -> str | None:
    """`https://arxiv.org/pdf/1706.03762v5.pdf`, `arXiv:1706.03762`, `1706.03762v2` -> `1706.03762`."""
    match = _ARXIV.match(ref.strip().split("#", 1)[0].split("?", 1)[0])
    return match.group(1).lower() if match else None


def _bare_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().split("#", 1)[0]).rstrip("/").lower()
