"""Export your annotations as a file (W3C JSON-LD, CSV, Markdown) and import them from one
(W3C JSON-LD or Hypothesis JSON). Registered before `api_annotations`, whose
`/{annotation_id}` would otherwise take `/export` and `/import` for annotation ids."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from sqlalchemy.orm import Session

from app.db.models import Annotation, User
from app.deps import CSRF, LIMIT_IMPORT_SIZE, MAX_IMPORT_BYTES, ImportDocumentDep, SessionDep, UserDep, base_url
from app.presenters.annotation_export import render_export
from app.schemas.problems import problems
from app.services.annotation_import import InvalidImport, import_annotations
from app.services.annotation_read import AnnotationFilters, list_visible

router = APIRouter(prefix="/api/v1/annotations", tags=["annotations"], responses=problems(400, 422, 503))

_EXPORTED = {200: {"description": "The file, by `format`", "content": {
    "application/ld+json": {"schema": {"type": "object"}},
    "text/csv": {"schema": {"type": "string"}},
    "text/markdown": {"schema": {"type": "string"}},
}}}


@router.get("/export", summary="Download your annotations: W3C JSON-LD, CSV or Markdown",
            responses={**_EXPORTED, **problems(401)})
def export(request: Request, session: SessionDep, user: UserDep,
           fmt: Annotated[Literal["jsonld", "csv", "markdown"], Query(alias="format")] = "jsonld",
           paper: Annotated[str | None, Query(max_length=200, description="only this paper (slug)")] = None,
           ) -> Response:
    found = render_export(fmt, _own_annotations(session, user, paper), base_url(request),
                          owner=user.name, paper=paper)
    return Response(found.content, media_type=found.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{found.filename}"'})


def _own_annotations(session: Session, user: User, paper: str | None) -> list[Annotation]:
    """All of the user's notes, oldest first, read page by page through the visibility rules;
    deleted ones (stubs kept for others' replies) have nothing left to export."""
    filters, found, page = AnnotationFilters(paper=paper, user=user.name), [], 1
    while True:
        batch = list_visible(session, user, filters, page=page, per_page=500, oldest_first=True)
        found += [annotation for annotation in batch.items if not annotation.deleted]
        if not batch.has_next:
            return found
        page += 1


# The body is read by `uploaded_json`, not declared as a parameter: describe it for the docs.
_IMPORT_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}},
    "application/json": {"schema": {"description": "a W3C Annotation, AnnotationPage or AnnotationCollection, "
                                                   "a list of annotations, or Hypothesis JSON"}},
}}}


@router.post("/import", dependencies=[LIMIT_IMPORT_SIZE, CSRF], openapi_extra=_IMPORT_BODY,
             responses=problems(400, 401, 403, 413),
             summary="Import annotations: W3C JSON-LD (our export too) or Hypothesis JSON",
             description=f"At most {MAX_IMPORT_BYTES // (1024 * 1024)} MB. Returns `created` (new ids), "
                         "`duplicates` (original ids imported before) and `unmatched` (`id`, `reason`).")
def import_file(request: Request, session: SessionDep, user: UserDep,
                document: ImportDocumentDep) -> dict:
    try:
        report = import_annotations(session, user, document, base_url=base_url(request))
    except InvalidImport as exc:
        raise HTTPException(400, str(exc)) from None
    return report.as_dict()
