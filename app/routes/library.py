"""The library (home) and tag pages."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator

from app.deps import SessionDep, SettingsDep, TemplatesDep, ViewerDep
from app.schemas.common import PageNumber, YearFilter, blank_is_none
from app.services.annotation_read import AnnotationFilters, list_visible, public_note_counts
from app.services.paper_read import PaperSort, effective_sort, list_papers, list_tags, list_years, sorts_for
from app.services.tag_read import tag_is_visible

router = APIRouter(include_in_schema=False)

SortChoice = Annotated[PaperSort | None, BeforeValidator(blank_is_none), Query()]


@router.get("/", response_class=HTMLResponse)
def library(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    q: Annotated[str, Query(max_length=500)] = "",
    tag: str = "",
    year: YearFilter = None,
    sort: SortChoice = None,
    page: PageNumber = 1,
):
    sort = effective_sort(sort, q)
    found = list_papers(
        session, query=q, tag=tag or None, year=year, sort=sort, page=page,
        per_page=settings.page_size,
    )
    filters = {"q": q, "tag": tag, "year": year or "", "sort": sort.value, "page": page}
    context = {
        "found": found, "filters": filters, "tags": list_tags(session),
        "years": list_years(session), "sorts": sorts_for(q),
        "note_counts": public_note_counts(session, [paper.id for paper in found.items]),
    }
    return templates.TemplateResponse(request, "library.html", context)


@router.get("/tags", response_class=HTMLResponse)
def tag_index(request: Request, session: SessionDep, templates: TemplatesDep):
    return templates.TemplateResponse(request, "tags.html", {"tags": list_tags(session)})


@router.get("/tags/{tag}", response_class=HTMLResponse)
def tag_page(
    tag: str, request: Request, session: SessionDep, settings: SettingsDep,
    templates: TemplatesDep, viewer: ViewerDep, page: PageNumber = 1,
):
    if not tag_is_visible(session, viewer, tag):
        raise HTTPException(404, f"Nothing is tagged “{tag}”.")
    found = list_papers(session, tag=tag, sort=PaperSort.year, page=page, per_page=settings.page_size)
    notes = list_visible(session, viewer, AnnotationFilters(tag=tag), per_page=20)
    counts = public_note_counts(session, [paper.id for paper in found.items])
    return templates.TemplateResponse(request, "tag.html",
                                      {"tag": tag, "found": found, "notes": notes, "note_counts": counts})
