"""The W3C Web Annotation Protocol container at /api/v1/annotations/.

The write routes are `async` on purpose: each runs its few SQLite statements (about 1 ms)
on the event loop. That is cheaper than the thread-pool hops a sync route costs (about 1 ms
more per request), and since nothing in them awaits, writes from this process never
interleave, so SQLite's single writer is never contended from here. Reads that can be long
(a page of 1,000 notes) stay sync and run in the thread pool.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Header, HTTPException, Query, Request, Response

from app.deps import CSRF, SessionDep, UserDep, ViewerDep, base_url
from app.presenters.annotation_jsonld import (
    JSONLD_MEDIA_TYPE,
    etag,
    present_annotation,
    present_collection,
    present_page,
)
from app.schemas.annotations import AnnotationIn, AnnotationPatch, InvalidAnnotation, draft_from, parse_bodies
from app.schemas.common import PageNumber
from app.schemas.problems import jsonld_content, problems
from app.services.annotation_read import AnnotationFilters, get_visible, list_visible_rows
from app.services.annotation_write import (
    AnnotationNotFound,
    NotAllowed,
    StaleWrite,
    create_annotation,
    delete_annotation,
    set_hidden,
    update_annotation,
)

router = APIRouter(prefix="/api/v1/annotations", tags=["annotations"], responses=problems(400, 422, 503))
_ALLOW = "GET, HEAD, OPTIONS, POST"  # the container (W3C Web Annotation Protocol §4)
_ALLOW_ONE = "GET, HEAD, OPTIONS, PUT, PATCH, DELETE"
_CHANGED = {200: jsonld_content("The annotation as changed"), **problems(400, 401, 403, 404, 412, 413)}
_MODERATED = {200: jsonld_content("The annotation"), **problems(401, 403, 404)}


def jsonld(document: dict, status: int = 200, headers: dict | None = None) -> Response:
    # orjson: a page of 1,000 annotations encodes several times faster than with json.
    return Response(orjson.dumps(document), status, headers=headers, media_type=JSONLD_MEDIA_TYPE)


def _version(if_match: str | None) -> int | None:
    """`"<id>-<version>"` -> version; `*` or no header -> no check."""
    if if_match is None or if_match.strip() == "*":
        return None
    try:
        return int(if_match.strip().strip('"').removeprefix("W/").strip('"').rsplit("-", 1)[1])
    except (IndexError, ValueError):
        raise HTTPException(400, "If-Match must be an ETag this API sent") from None


def _not_found(annotation_id: str) -> HTTPException:
    return HTTPException(404, f"no annotation {annotation_id!r}")


@router.options("/", status_code=204, summary="What the container allows (Allow, Accept-Post)")
def container_options() -> Response:
    return Response(status_code=204, headers={"Allow": _ALLOW, "Accept-Post": JSONLD_MEDIA_TYPE})


@router.options("/{annotation_id}", status_code=204, summary="What one annotation allows (Allow)")
def annotation_options(annotation_id: str) -> Response:
    return Response(status_code=204, headers={"Allow": _ALLOW_ONE})


@router.post("/", status_code=201, dependencies=[CSRF], summary="Create an annotation (W3C JSON-LD)",
             responses={201: jsonld_content("The annotation as stored"), **problems(400, 401, 403, 413)})
async def create(payload: AnnotationIn, request: Request, session: SessionDep, user: UserDep) -> Response:
    try:
        annotation = create_annotation(session, user, draft_from(payload))
    except InvalidAnnotation as exc:
        raise HTTPException(400, str(exc)) from None
    document = present_annotation(annotation, base_url(request))
    return jsonld(document, 201, {"Location": document["id"], "ETag": etag(annotation)})


@router.get("/", summary="Annotations you may see, newest first (AnnotationCollection)",
            responses={200: jsonld_content("An AnnotationCollection, or one AnnotationPage with ?page=")})
def collection(
    request: Request, session: SessionDep, viewer: ViewerDep,
    paper: str | None = None, tag: str | None = None, user: str | None = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
    visibility: Annotated[str | None, Query(pattern="^(private|public)$")] = None,
    page: PageNumber | None = None, per_page: Annotated[int, Query(ge=1, le=1000)] = 50,
    order: Annotated[str, Query(pattern="^(newest|oldest)$")] = "newest",
) -> Response:
    filters = AnnotationFilters(paper=paper, tag=tag, user=user, q=q, visibility=visibility)
    found = list_visible_rows(session, viewer, filters, page=page or 1, per_page=per_page,
                         oldest_first=order == "oldest")
    params = {k: v for k, v in request.query_params.items() if k != "page"}

    def page_url(number: int | None) -> str:
        query = urlencode({**params, "page": number} if number else params)
        return f"{base_url(request)}/api/v1/annotations/" + (f"?{query}" if query else "")

    present = present_page if page else present_collection
    return jsonld(present(found, base_url(request), page_url), headers={"Allow": _ALLOW})


@router.get("/{annotation_id}", summary="One annotation",
            responses={200: jsonld_content("The annotation"), 304: {"description": "Unchanged since If-None-Match"},
                       **problems(404)})
def item(annotation_id: str, request: Request, session: SessionDep, viewer: ViewerDep,
         if_none_match: Annotated[str | None, Header()] = None) -> Response:
    annotation = get_visible(session, annotation_id, viewer)
    if annotation is None:
        raise _not_found(annotation_id)
    if if_none_match == etag(annotation):
        return Response(status_code=304, headers={"ETag": etag(annotation)})
    return jsonld(present_annotation(annotation, base_url(request)),
                  headers={"ETag": etag(annotation), "Allow": _ALLOW_ONE})


def _write(request: Request, change) -> Response:  # a callable doing the write
    try:
        annotation = change()
    except AnnotationNotFound as exc:
        raise _not_found(str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    except StaleWrite as exc:
        raise HTTPException(412, str(exc)) from None
    except InvalidAnnotation as exc:
        raise HTTPException(400, str(exc)) from None
    return jsonld(present_annotation(annotation, base_url(request)), headers={"ETag": etag(annotation)})


@router.put("/{annotation_id}", dependencies=[CSRF], summary="Replace an annotation's bodies and visibility",
            responses=_CHANGED)
async def replace(annotation_id: str, payload: AnnotationIn, request: Request, session: SessionDep, user: UserDep,
            if_match: Annotated[str | None, Header()] = None) -> Response:
    def change():
        comment, tags = parse_bodies(payload.body)
        return update_annotation(session, user, annotation_id, comment=comment, tags=tags,
                                 visibility=payload.visibility, if_match=_version(if_match))
    return _write(request, change)


@router.patch("/{annotation_id}", dependencies=[CSRF], summary="Change bodies or visibility", responses=_CHANGED)
async def patch(annotation_id: str, payload: AnnotationPatch, request: Request, session: SessionDep, user: UserDep,
          if_match: Annotated[str | None, Header()] = None) -> Response:
    def change():
        comment = tags = None
        if payload.body is not None:
            comment, tags = parse_bodies(payload.body)
        return update_annotation(session, user, annotation_id, comment=comment, tags=tags,
                                 visibility=payload.visibility, if_match=_version(if_match))
    return _write(request, change)


@router.delete("/{annotation_id}", status_code=204, dependencies=[CSRF], summary="Delete an annotation",
               responses=problems(401, 403, 404))
async def delete(annotation_id: str, session: SessionDep, user: UserDep) -> Response:
    try:
        delete_annotation(session, user, annotation_id)
    except AnnotationNotFound:
        raise _not_found(annotation_id) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    return Response(status_code=204)


@router.post("/{annotation_id}/hide", dependencies=[CSRF], summary="Admins: hide an annotation",
             responses=_MODERATED)
async def hide(annotation_id: str, request: Request, session: SessionDep, user: UserDep) -> Response:
    return _write(request, lambda: set_hidden(session, user, annotation_id, True))


@router.post("/{annotation_id}/unhide", dependencies=[CSRF], summary="Admins: show a hidden annotation again",
             responses=_MODERATED)
async def unhide(annotation_id: str, request: Request, session: SessionDep, user: UserDep) -> Response:
    return _write(request, lambda: set_hidden(session, user, annotation_id, False))
