"""Demo pages: the list, each demo's page (form or widget, progress, result, curl line), a
job's page. Everything about a demo comes from its spec (models/<demo>/spec.py)."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.deps import (
    CSRF,
    AnyDemoDep,
    ClientDep,
    DemoDep,
    DispatcherDep,
    OwnedJobDep,
    SessionDep,
    SettingsDep,
    SubmissionDep,
    TemplatesDep,
    ViewerDep,
)
from app.markdown import render_comment
from app.services.demo_jobs import submit_demo
from app.services.model_cards import card_figures
from app.services.paper_read import papers_by_demo

router = APIRouter(include_in_schema=False)


@router.get("/demos", response_class=HTMLResponse)
def demo_list(request: Request, session: SessionDep, templates: TemplatesDep):
    demos = (*request.app.state.demos, *request.app.state.planned_demos)
    return templates.TemplateResponse(request, "demos.html", {"demos": demos, "papers": papers_by_demo(session)})


@router.get("/demos/{demo}", response_class=HTMLResponse)
def demo_page(spec: AnyDemoDep, request: Request, session: SessionDep, templates: TemplatesDep):
    context = {
        "spec": spec, "papers": papers_by_demo(session).get(spec.name, []),
        "explanation": render_comment(spec.explanation) if spec.explanation else "",
        "card": card_figures(spec) if spec.live else None,
    }
    return templates.TemplateResponse(request, "demo.html", context)


@router.post("/demos/{demo}", dependencies=[CSRF])
def run_from_form(spec: DemoDep, submission: SubmissionDep, request: Request, session: SessionDep,
                  settings: SettingsDep, viewer: ViewerDep, dispatcher: DispatcherDep, client: ClientDep):
    job = submit_demo(session, spec=spec, submission=submission, submitter=viewer,
                      client=client,
                      settings=settings, dispatcher=dispatcher)
    return RedirectResponse(f"/demos/{spec.name}/jobs/{job.id}", status_code=303)


@router.get("/demos/{demo}/jobs/{job_id}", response_class=HTMLResponse)
def job_page(spec: AnyDemoDep, job: OwnedJobDep, request: Request, templates: TemplatesDep):
    if job.demo != spec.name:
        raise HTTPException(404, f"no job {job.id!r} for {spec.name}")
    return templates.TemplateResponse(request, "demo_job.html", {"spec": spec, "job": job})
