"""The search results page."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.deps import SessionDep, TemplatesDep
from app.schemas.common import PageNumber
from app.services.search import search_papers

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, session: SessionDep, templates: TemplatesDep,
    q: Annotated[str, Query(max_length=500)] = "", page: PageNumber = 1,
):
    found = search_papers(session, q, page=page, per_page=20) if q.strip() else None
    return templates.TemplateResponse(request, "search.html", {"q": q, "found": found})
