"""JSON API for full-text search."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.deps import SessionDep, ViewerDep, base_url
from app.schemas.common import PageNumber, PerPage
from app.schemas.papers import AnnotationHitOut, AnnotationResultsOut, SearchOut, SearchResultOut
from app.schemas.problems import problems
from app.services.annotation_search import search_annotations
from app.services.search import search_papers

router = APIRouter(prefix="/api/v1", tags=["search"], responses=problems(400, 422, 503))


@router.get("/search", response_model=SearchOut,
            summary="Full-text search over papers and the annotations you may see, best match first")
def search(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find")],
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> SearchOut:
    found = search_papers(session, q, page=page, per_page=per_page)
    notes = search_annotations(session, viewer, q, page=page, per_page=per_page)
    base = base_url(request)
    return SearchOut(
        query=q, total=found.total, page=found.page, per_page=found.per_page,
        results=[SearchResultOut.of(hit, q) for hit in found.items],
        annotations=AnnotationResultsOut(
            total=notes.total, results=[AnnotationHitOut.of(hit, base) for hit in notes.items]),
    )
