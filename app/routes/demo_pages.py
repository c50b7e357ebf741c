"""Demo pages: the list, each demo's page (form, progress, result, curl line), a job's page."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.demo_catalog import DEMOS, DEMOS_BY_NAME
from app.deps import CSRF, SessionDep, SettingsDep, TemplatesDep, ViewerDep
from app.markdown import render_comment
from app.routes.api_demos import own_job
from app.routes.demo_submission import submit_from_request
from app.services.model_cards import card_figures
from app.services.paper_read import papers_by_demo
from models.registry import UnknownDemo, find_demo

router = APIRouter(include_in_schema=False)


def _registered(request: Request, name: str):  # noqa: ANN202
    try:
        return find_demo(name, request.app.state.demos)
    except UnknownDemo:
        return None


@router.get("/demos", response_class=HTMLResponse)
def demo_list(request: Request, session: SessionDep, templates: TemplatesDep):
    running = {spec.name for spec in request.app.state.demos}
    context = {"demos": DEMOS, "papers": papers_by_demo(session), "running": running}
    return templates.TemplateResponse(request, "demos.html", context)


@router.get("/demos/{name}", response_class=HTMLResponse)
def demo_page(name: str, request: Request, session: SessionDep, templates: TemplatesDep):
    demo, spec = DEMOS_BY_NAME.get(name), _registered(request, name)
    if demo is None and spec is None:
        raise HTTPException(404, f"There is no demo called “{name}”.")
    context = {
        "name": name, "title": spec.title if spec else demo.title, "blurb": demo.blurb if demo else "",
        "spec": spec, "papers": papers_by_demo(session).get(name, []),
        "explanation": render_comment(spec.explanation) if spec and spec.explanation else "",
        "widget": demo.widget if demo else "", "script": demo.script if demo else "",
        "card": card_figures(spec),
    }
    return templates.TemplateResponse(request, "demo.html", context)


@router.post("/demos/{name}", dependencies=[CSRF])
async def run_from_form(name: str, request: Request, session: SessionDep, settings: SettingsDep,
                        viewer: ViewerDep):
    spec = _registered(request, name)
    if spec is None:
        raise HTTPException(404, f"The {name} demo is not running on this server.")
    job = await submit_from_request(request, spec, session=session, settings=settings, viewer=viewer,
                                    ignore=("csrf_token",))
    return RedirectResponse(f"/demos/{name}/jobs/{job.id}", status_code=303)


@router.get("/demos/{name}/jobs/{job_id}", response_class=HTMLResponse)
def job_page(name: str, job_id: str, request: Request, session: SessionDep, templates: TemplatesDep,
             viewer: ViewerDep):
    job = own_job(session, job_id, viewer)
    if job.demo != name:
        raise HTTPException(404, f"no job {job_id!r} for {name}")
    return templates.TemplateResponse(request, "demo_job.html", {"name": name, "job": job, "spec": _registered(request, name)})
