"""Demo jobs over HTTP: submit (202, or the result with ?wait=), status, result files."""

from __future__ import annotations

import asyncio
import mimetypes
import time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from app.db.models import Job
from app.db.values import FINISHED_JOB_STATUSES, JobStatus
from app.deps import (
    CSRF_WHEN_SIGNED_IN,
    ClientDep,
    DemoDep,
    DispatcherDep,
    OwnedJobDep,
    SessionDep,
    SettingsDep,
    SubmissionDep,
    ViewerDep,
    base_url,
)
from app.schemas.jobs import JobOut
from app.schemas.problems import Problem, problems
from app.services import job_queue
from app.services.demo_jobs import result_files, submit_demo
from app.services.model_cards import model_card
from models.spec import DemoSpec

router = APIRouter(prefix="/api/v1", tags=["demos"], responses=problems(400, 422, 503))


@router.post("/demos/{demo}", status_code=202, dependencies=[CSRF_WHEN_SIGNED_IN],
             summary="Run a demo: 202 with the job, or the result with ?wait=",
             responses={202: {"model": JobOut, "description": "Queued (or still running after ?wait=)"},
                        200: {"description": "With ?wait=: the finished result (JSON, or the result file)",
                              "content": {"application/json": {"schema": {"type": "object"}},
                                          "*/*": {"schema": {"type": "string", "format": "binary"}}}},
                        500: {"model": Problem, "description": "With ?wait=: the job failed (detail says why)"},
                        **problems(400, 403, 404, 413, 415, 429, 503, 507)})
async def submit(spec: DemoDep, submission: SubmissionDep, request: Request, session: SessionDep,
                 settings: SettingsDep, viewer: ViewerDep, dispatcher: DispatcherDep, client: ClientDep,
                 wait: Annotated[float, Query(ge=0, le=60, description="seconds to wait for the result")] = 0):
    job = submit_demo(session, spec=spec, submission=submission, submitter=viewer, client=client,
                      settings=settings, dispatcher=dispatcher)
    if wait:
        job = await _wait_for(request, job.id, wait)
        if job.status == JobStatus.DONE:
            return _result(request, spec, job)
        if job.status == JobStatus.FAILED:
            return JSONResponse({"detail": job.error, "job": _job_json(request, job)}, 500)
    status_url = f"{base_url(request)}/api/v1/jobs/{job.id}"
    return JSONResponse(_job_json(request, job), 202, headers={"Location": status_url})


def _job_json(request: Request, job: Job) -> dict:
    return JobOut.of(job, base_url(request)).model_dump(mode="json")


async def _wait_for(request: Request, job_id: str, seconds: float) -> Job:
    deadline = time.monotonic() + seconds
    pause = 0.005  # quick jobs answer quickly; slow ones are polled less and less often
    while True:
        with request.app.state.sessions() as session:
            job = job_queue.get_job(session, job_id)
        if job.status in FINISHED_JOB_STATUSES or time.monotonic() >= deadline:
            return job
        await asyncio.sleep(pause)
        pause = min(pause * 1.5, 0.05)  # a poll is one indexed read; overshooting a result costs more


def _result(request: Request, spec: DemoSpec, job: Job) -> Response:
    """The result itself: the result file for file-output demos (the spec's `result_file`, or
    the only file), else the JSON."""
    name = spec.result_file or (job.files[0] if len(job.files) == 1 else "")
    if spec.output != "application/json" and name in job.files:
        path = job_queue.job_folder(request.app.state.settings.data_dir, job.id) / "out" / name
        return FileResponse(path, media_type=spec.output)
    return JSONResponse(_job_json(request, job))


@router.get("/demos/{demo}/card", summary="A demo's model card: how it was trained and what it measured",
            responses=problems(404))
def demo_card(spec: DemoDep) -> dict:
    card = model_card(spec)
    if card is None:
        raise HTTPException(404, f"{spec.name} has no model card")
    return card


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A job's status, progress, result links, error",
            responses=problems(404))
def job_status(job: OwnedJobDep, request: Request, settings: SettingsDep) -> JobOut:
    return JobOut.of(job, base_url(request), result_files(job, settings.data_dir))


@router.get("/jobs/{job_id}/files/{name}", summary="One result file of a job (while it runs: what it wrote so far)",
            responses={200: {"description": "The file, with its media type",
                             "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
                       **problems(404)})
def job_file(job: OwnedJobDep, name: str, settings: SettingsDep) -> Response:
    if name not in result_files(job, settings.data_dir):  # only names found in the job's folder: no path tricks
        raise HTTPException(404, f"no file {name!r} for job {job.id!r}")
    path = job_queue.job_folder(settings.data_dir, job.id) / "out" / name
    return FileResponse(path, media_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
