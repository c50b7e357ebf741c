"""Annotations as W3C Web Annotation JSON-LD, and pages of them as AnnotationCollection/Page."""

from __future__ import annotations

from datetime import datetime

from app.db.models import Annotation
from app.services.annotation_read import AnnotationRow
from app.services.paging import Page

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
JSONLD_MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"  # stored as naive UTC


def annotation_iri(base: str, annotation_id: str) -> str:
    return f"{base}/api/v1/annotations/{annotation_id}"


def etag(annotation: Annotation) -> str:
    return f'"{annotation.id}-{annotation.version}"'


def present_annotation(annotation: Annotation | AnnotationRow, base: str, *, context: bool = True) -> dict:
    """`base` is the site's origin (`http://host:port`), so ids are absolute IRIs. Takes an
    ORM annotation or the lighter AnnotationRow of a listing."""
    document: dict = {"@context": ANNO_CONTEXT} if context else {}
    document |= {
        "id": annotation_iri(base, annotation.id),
        "type": "Annotation",
        "motivation": annotation.motivation,
        "created": iso(annotation.created_at),
        "modified": iso(annotation.modified_at),
        "creator": {
            "id": f"{base}/users/{annotation.creator_name}",
            "type": "Person",
            "name": annotation.creator_name,
        },
    }
    bodies = _bodies(annotation)
    if bodies:
        document["body"] = bodies
    document["target"] = _target(annotation, base)
    # Marginalia's own terms, outside the W3C vocabulary.
    document |= {
        "visibility": annotation.visibility,
        "bodyHtml": annotation.body_html,
        "summaryVersion": annotation.content_hash,
        "orphaned": annotation.orphaned,
        "hidden": annotation.hidden,
        "deleted": annotation.deleted,
        "paper": annotation.paper_slug,
    }
    return document


def _bodies(annotation: Annotation) -> list[dict]:
    bodies = []
    if annotation.body_markdown:
        bodies.append({
            "type": "TextualBody",
            "value": annotation.body_markdown,
            "format": "text/markdown",
            "purpose": "replying" if annotation.is_reply else "commenting",
        })
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tag_names]
    return bodies


def _target(annotation: Annotation, base: str) -> dict | str:
    if annotation.is_reply:
        return annotation_iri(base, annotation.parent_id)
    selectors = [{
        "type": "TextQuoteSelector",
        "exact": annotation.quote_exact,
        "prefix": annotation.quote_prefix or "",
        "suffix": annotation.quote_suffix or "",
    }]
    if annotation.position_start is not None and annotation.position_end is not None:
        selectors.append({
            "type": "TextPositionSelector",
            "start": annotation.position_start,
            "end": annotation.position_end,
        })
    return {"source": f"{base}/papers/{annotation.paper_slug}", "selector": selectors}


def present_page(page: Page[Annotation], base: str, page_url) -> dict:
    """An AnnotationPage that says which collection it is part of. `page_url(n)` builds the
    IRI of page n with the request's filters."""
    document = {
        "@context": ANNO_CONTEXT,
        "id": page_url(page.page),
        "type": "AnnotationPage",
        "partOf": page_url(None),  # an IRI, as the WPT page assertions require
        "startIndex": page.offset,
        "items": [present_annotation(a, base, context=False) for a in page.items],
    }
    if page.has_next:
        document["next"] = page_url(page.page + 1)
    if page.page > 1:
        document["prev"] = page_url(page.page - 1)
    return document


def present_collection(page: Page[Annotation], base: str, page_url) -> dict:
    """The container: an AnnotationCollection holding its first page inline."""
    first = present_page(page, base, page_url)
    first.pop("@context")
    first.pop("partOf")
    document = {
        "@context": [ANNO_CONTEXT, LDP_CONTEXT],
        "id": page_url(None),
        "type": ["BasicContainer", "AnnotationCollection"],
        "total": page.total,
        "first": first,
    }
    if page.pages > 1:
        document["last"] = page_url(page.pages)
    return document
