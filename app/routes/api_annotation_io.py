"""Export your annotations as a file (W3C JSON-LD, CSV, Markdown) and import them from one
(W3C JSON-LD or Hypothesis JSON). Registered before `api_annotations`, whose
`/{annotation_id}` would otherwise take `/export` and `/import` for annotation ids."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from app.db.models import Annotation, User
from app.deps import CSRF, SessionDep, UserDep
from app.presenters.annotation_export import render_export
from app.routes.api_annotations import base_url
from app.services.annotation_import import InvalidImport, import_annotations
from app.services.annotation_read import AnnotationFilters, list_visible

router = APIRouter(prefix="/api/v1/annotations", tags=["annotations"])

MAX_IMPORT_BYTES = 5 * 1024 * 1024
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file
_TOO_LARGE = f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB"


@router.get("/export", summary="Download your annotations: W3C JSON-LD, CSV or Markdown")
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


async def limit_import_size(request: Request) -> None:
    """Refuses an announced oversized body before anything (the CSRF check included) reads it."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_IMPORT_BYTES + _MULTIPART_OVERHEAD:
        raise HTTPException(413, _TOO_LARGE)


async def uploaded_json(request: Request) -> Any:
    """The document from the multipart field `file`, or the request body itself."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        upload = (await request.form()).get("file")
        if upload is None:
            raise HTTPException(400, "send the file in a form field named `file`")
        raw = await upload.read(MAX_IMPORT_BYTES + 1) if isinstance(upload, UploadFile) else upload.encode()
    else:
        raw = await _read_body(request)
    if len(raw) > MAX_IMPORT_BYTES:
        raise HTTPException(413, _TOO_LARGE)
    if not raw.strip():
        raise HTTPException(400, "the file is empty; send a JSON document")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise HTTPException(400, f"the file is not valid JSON: {exc.msg} ({where})") from None
    except UnicodeDecodeError:
        raise HTTPException(400, "the file is not UTF-8 text; send a JSON document") from None
    except RecursionError:
        raise HTTPException(400, "the JSON is nested too deeply") from None


async def _read_body(request: Request) -> bytes:
    # Streamed with a cap: a chunked request announces no length for limit_import_size to check.
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            raise HTTPException(413, _TOO_LARGE)
        chunks.append(chunk)
    return b"".join(chunks)


# The body is read by `uploaded_json`, not declared as a parameter: describe it for the docs.
_IMPORT_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}},
    "application/json": {"schema": {"description": "a W3C Annotation, AnnotationPage or AnnotationCollection, "
                                                   "a list of annotations, or Hypothesis JSON"}},
}}}


@router.post("/import", dependencies=[Depends(limit_import_size), CSRF], openapi_extra=_IMPORT_BODY,
             summary="Import annotations: W3C JSON-LD (our export too) or Hypothesis JSON",
             description=f"At most {MAX_IMPORT_BYTES // (1024 * 1024)} MB. Returns `created` (new ids), "
                         "`duplicates` (original ids imported before) and `unmatched` (`id`, `reason`).")
def import_file(request: Request, session: SessionDep, user: UserDep,
                document: Annotated[Any, Depends(uploaded_json)]) -> dict:
    try:
        report = import_annotations(session, user, document, base_url=base_url(request))
    except InvalidImport as exc:
        raise HTTPException(400, str(exc)) from None
    return report.as_dict()
