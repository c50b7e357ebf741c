"""Demo jobs over HTTP: submit (202, or the result with ?wait=), status, result files."""

from __future__ import annotations

import asyncio
import mimetypes
import time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.datastructures import UploadFile

from app.deps import SessionDep, SettingsDep, ViewerDep
from app.schemas.jobs import JobOut
from app.services import job_queue
from app.services.uploads import BadUpload, check_audio, normalize_image
from app.workers.dispatch import QueueUnreachable
from models.registry import DemoSpec, UnknownDemo, find_demo

router = APIRouter(prefix="/api/v1", tags=["demos"])


def _demo(request: Request, name: str) -> DemoSpec:
    try:
        return find_demo(name, request.app.state.demos)
    except UnknownDemo:
        raise HTTPException(404, f"no demo called {name!r}") from None


async def _read_inputs(request: Request, spec: DemoSpec, limit: int) -> tuple[dict, dict[str, bytes]]:
    """(params, uploads) from a JSON object or a multipart form; unknown fields are errors."""
    params: dict = {}
    uploads: dict[str, bytes] = {}
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read(limit + 1)
                if len(data) > limit:
                    raise HTTPException(413, f"{name}: the upload is larger than {limit // 2**20} MB")
                uploads[name] = data
            else:
                params[name] = value
    elif (await request.body()).strip():
        try:
            params = await request.json()
        except ValueError:
            raise HTTPException(400, "the body is not valid JSON") from None
        if not isinstance(params, dict):
            raise HTTPException(422, "send the inputs as a JSON object")
    unknown = sorted((set(params) | set(uploads)) - set(spec.inputs))
    if unknown:
        raise HTTPException(422, f"unknown inputs {unknown}; {spec.name} takes {sorted(spec.inputs)}")
    missing = [name for name in spec.files if name not in uploads]
    if missing:
        raise HTTPException(422, f"missing upload(s) {missing}")
    try:
        for name in set(uploads) & set(spec.image_inputs):
            uploads[name] = normalize_image(uploads[name], field=name, max_side=spec.working_size)
        for name in set(uploads) & set(spec.audio_inputs):
            uploads[name] = check_audio(uploads[name], field=name, max_seconds=spec.max_audio_seconds,
                                        rates=spec.audio_rates)
    except BadUpload as exc:
        raise HTTPException(exc.status, str(exc)) from None
    return params, uploads


@router.post("/demos/{demo}", status_code=202, summary="Run a demo: 202 with the job, or the result with ?wait=")
async def submit(demo: str, request: Request, session: SessionDep, settings: SettingsDep, viewer: ViewerDep,
                 wait: Annotated[float, Query(ge=0, le=60, description="seconds to wait for the result")] = 0):
    spec = _demo(request, demo)
    params, uploads = await _read_inputs(request, spec, int(settings.upload_limit_mb * 2**20))
    job_id = job_queue.new_job_id()
    folder = job_queue.job_folder(settings.data_dir, job_id)
    stored = {}
    for name, data in uploads.items():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"input-{name}").write_bytes(data)
        stored[name] = f"input-{name}"
    client = request.client.host if request.client else "unknown"
    try:
        job = job_queue.enqueue(session, job_id=job_id, demo=spec.name, params=params, inputs=stored,
                                submitter=viewer, client=client, max_active=settings.max_active_jobs,
                                per_minute=settings.demo_runs_per_minute)
    except (job_queue.QueueFull, job_queue.RateLimited) as exc:
        raise HTTPException(429, str(exc), {"Retry-After": str(exc.retry_after)}) from None
    try:
        request.app.state.job_pool.submit(job.id)
    except QueueUnreachable as exc:
        job_queue.fail_job(session, job.id, str(exc))
        raise HTTPException(503, str(exc), {"Retry-After": "30"}) from None
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
    while True:
        with request.app.state.sessions() as session:
            job = job_queue.get_job(session, job_id)
        if job.status in ("done", "failed") or time.monotonic() >= deadline:
            return job
        await asyncio.sleep(0.05)


def _result(request: Request, spec: DemoSpec, job) -> Response:  # noqa: ANN001
    """The result itself: the one result file for file-output demos, else the JSON."""
    if spec.output != "application/json" and len(job.files) == 1:
        path = job_queue.job_folder(request.app.state.settings.data_dir, job.id) / "out" / job.files[0]
        return FileResponse(path, media_type=spec.output)
    return JSONResponse(JobOut.of(job, _base(request)).model_dump(mode="json"))


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _own_job(session, job_id: str, viewer):  # noqa: ANN001, ANN202
    """A signed-in submitter's job is theirs alone; an anonymous one is reachable by its
    unguessable id. Someone else's job is a 404, like one that does not exist."""
    job = job_queue.get_job(session, job_id)
    if job is None or (job.submitter_id is not None and (viewer is None or viewer.id != job.submitter_id)):
        raise HTTPException(404, f"no job {job_id!r}")
    return job


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A job's status, progress, result links, error")
def job_status(job_id: str, request: Request, session: SessionDep, viewer: ViewerDep) -> JobOut:
    return JobOut.of(_own_job(session, job_id, viewer), _base(request))


@router.get("/jobs/{job_id}/files/{name}", summary="One result file of a finished job")
def job_file(job_id: str, name: str, session: SessionDep, settings: SettingsDep, viewer: ViewerDep) -> Response:
    job = _own_job(session, job_id, viewer)
    if name not in job.files:  # only names the job recorded: no path tricks
        raise HTTPException(404, f"no file {name!r} for job {job_id!r}")
    path = job_queue.job_folder(settings.data_dir, job_id) / "out" / name
    return FileResponse(path, media_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
