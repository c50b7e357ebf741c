"""The demo list and each demo's page (the models arrive with the inference platform)."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from app.demo_catalog import DEMOS, DEMOS_BY_NAME
from app.deps import SessionDep, TemplatesDep
from app.services.paper_read import papers_by_demo

router = APIRouter(include_in_schema=False)


@router.get("/demos", response_class=HTMLResponse)
def demo_list(request: Request, session: SessionDep, templates: TemplatesDep):
    context = {"demos": DEMOS, "papers": papers_by_demo(session)}
    return templates.TemplateResponse(request, "demos.html", context)


@router.get("/demos/{name}", response_class=HTMLResponse)
def demo_page(name: str, request: Request, session: SessionDep, templates: TemplatesDep):
    demo = DEMOS_BY_NAME.get(name)
    if demo is None:
        raise HTTPException(404, f"There is no demo called “{name}”.")
    context = {"demo": demo, "papers": papers_by_demo(session).get(name, [])}
    return templates.TemplateResponse(request, "demo.html", context)
