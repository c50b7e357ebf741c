"""The search results page."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.deps import SessionDep, TemplatesDep, ViewerDep
from app.schemas.common import PageNumber
from app.services.annotation_search import search_annotations
from app.services.search import search_papers

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, session: SessionDep, templates: TemplatesDep, viewer: ViewerDep,
    q: Annotated[str, Query(max_length=500)] = "", page: PageNumber = 1,
):
    found = notes = None
    if q.strip():
        found = search_papers(session, q, page=page, per_page=20)
        notes = search_annotations(session, viewer, q, page=page, per_page=20)
    return templates.TemplateResponse(request, "search.html", {"q": q, "found": found, "notes": notes})
