"""The annotation stream and user profiles."""

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from app.deps import SessionDep, TemplatesDep, ViewerDep
from app.schemas.common import PageNumber
from app.services.accounts import get_user
from app.services.annotation_read import AnnotationFilters, list_visible, tags_used_by

router = APIRouter(include_in_schema=False)
Filter = Annotated[str, Query(max_length=100)]


def by_month(annotations: list) -> list[tuple[str, list]]:
    return [(month, list(items)) for month, items in
            groupby(annotations, key=lambda a: a.created_at.strftime("%B %Y"))]


@router.get("/stream", response_class=HTMLResponse)
def stream(request: Request, session: SessionDep, templates: TemplatesDep, viewer: ViewerDep,
           user: Filter = "", tag: Filter = "", paper: Filter = "", page: PageNumber = 1):
    filters = AnnotationFilters(user=user or None, tag=tag or None, paper=paper or None)
    found = list_visible(session, viewer, filters, page=page, per_page=30)
    context = {"found": found, "months": by_month(found.items),
               "filters": {"user": user, "tag": tag, "paper": paper}}
    return templates.TemplateResponse(request, "stream.html", context)


@router.get("/users/{name}", response_class=HTMLResponse)
def profile(name: str, request: Request, session: SessionDep, templates: TemplatesDep, viewer: ViewerDep,
            page: PageNumber = 1):
    person = get_user(session, name)
    if person is None:
        raise HTTPException(404, f"No one here is called “{name}”.")
    found = list_visible(session, viewer, AnnotationFilters(user=person.name), page=page, per_page=30)
    context = {"person": person, "found": found, "months": by_month(found.items),
               "tags": tags_used_by(session, viewer, person)}
    return templates.TemplateResponse(request, "profile.html", context)
