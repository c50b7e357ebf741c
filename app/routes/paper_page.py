"""One paper: header, contents, summary, demos, and the margin for annotations."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from app.deps import SessionDep, TemplatesDep
from app.services.paper_read import get_paper

router = APIRouter(include_in_schema=False)


@router.get("/papers/{slug}", response_class=HTMLResponse)
def paper_page(slug: str, request: Request, session: SessionDep, templates: TemplatesDep):
    paper = get_paper(session, slug)
    if paper is None:
        raise HTTPException(404, f"There is no summary called “{slug}”.")
    return templates.TemplateResponse(request, "paper.html", {"paper": paper})
