"""Demo jobs over HTTP: submit (202, or the result with ?wait=), status, result files."""

from __future__ import annotations

import asyncio
import mimetypes
import time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from app.deps import SessionDep, SettingsDep, ViewerDep
from app.schemas.jobs import JobOut
from app.routes.demo_submission import demo_spec, submit_from_request
from app.services import job_queue
from models.registry import DemoSpec

router = APIRouter(prefix="/api/v1", tags=["demos"])


@router.post("/demos/{demo}", status_code=202, summary="Run a demo: 202 with the job, or the result with ?wait=")
async def submit(demo: str, request: Request, session: SessionDep, settings: SettingsDep, viewer: ViewerDep,
                 wait: Annotated[float, Query(ge=0, le=60, description="seconds to wait for the result")] = 0):
    spec = demo_spec(request, demo)
    job = await submit_from_request(request, spec, session=session, settings=settings, viewer=viewer)
    if wait:
        job = await _wait_for(request, job.id, wait)
        if job.status == "done":
            return _result(request, spec, job)
        if job.status == "failed":
            return JSONResponse({"detail": job.error, "job": JobOut.of(job, _base(request)).model_dump(mode="json")}, 500)
    status_url = f"{_base(request)}/api/v1/jobs/{job.id}"
    return JSONResponse(JobOut.of(job, _base(request)).model_dump(mode="json"), 202, headers={"Location": status_url})


async def _wait_for(request: Request, job_id: str, seconds: float):  # noqa: ANN202
    deadline = time.monotonic() + seconds
    pause = 0.005  # quick jobs answer quickly; slow ones are polled less and less often
    while True:
        with request.app.state.sessions() as session:
            job = job_queue.get_job(session, job_id)
        if job.status in ("done", "failed") or time.monotonic() >= deadline:
            return job
        await asyncio.sleep(pause)
        pause = min(pause * 1.5, 0.05)  # a poll is one indexed read; overshooting a result costs more


def _result(request: Request, spec: DemoSpec, job) -> Response:  # noqa: ANN001
    """The result itself: the result file for file-output demos (the spec's `result_file`, or
    the only file), else the JSON."""
    name = spec.result_file or (job.files[0] if len(job.files) == 1 else "")
    if spec.output != "application/json" and name in job.files:
        path = job_queue.job_folder(request.app.state.settings.data_dir, job.id) / "out" / name
        return FileResponse(path, media_type=spec.output)
    return JSONResponse(JobOut.of(job, _base(request)).model_dump(mode="json"))


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def own_job(session, job_id: str, viewer):  # noqa: ANN001, ANN202
    """A signed-in submitter's job is theirs alone; an anonymous one is reachable by its
    unguessable id. Someone else's job is a 404, like one that does not exist."""
    job = job_queue.get_job(session, job_id)
    if job is None or (job.submitter_id is not None and (viewer is None or viewer.id != job.submitter_id)):
        raise HTTPException(404, f"no job {job_id!r}")
    return job


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A job's status, progress, result links, error")
def job_status(job_id: str, request: Request, session: SessionDep, viewer: ViewerDep) -> JobOut:
    return JobOut.of(own_job(session, job_id, viewer), _base(request))


@router.get("/jobs/{job_id}/files/{name}", summary="One result file of a finished job")
def job_file(job_id: str, name: str, session: SessionDep, settings: SettingsDep, viewer: ViewerDep) -> Response:
    job = own_job(session, job_id, viewer)
    if name not in job.files:  # only names the job recorded: no path tricks
        raise HTTPException(404, f"no file {name!r} for job {job_id!r}")
    path = job_queue.job_folder(settings.data_dir, job_id) / "out" / name
    return FileResponse(path, media_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
