"""JSON API for full-text search."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.deps import SessionDep
from app.schemas.common import PageNumber, PerPage
from app.schemas.papers import SearchOut, SearchResultOut
from app.services.search import search_papers

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search", response_model=SearchOut, summary="Full-text search, best match first")
def search(
    session: SessionDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find")],
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> SearchOut:
    found = search_papers(session, q, page=page, per_page=per_page)
    return SearchOut(
        query=q, total=found.total, page=found.page, per_page=found.per_page,
        results=[SearchResultOut.of(hit) for hit in found.items],
    )
