"""Reading a demo submission from a request (JSON or multipart), shared by the API and the
demo pages: inputs checked against the spec, uploads checked, errors as clear 4xx."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile

from app.db.models import Job, User
from app.services import job_queue
from app.services.demo_jobs import create_job
from app.services.uploads import BadUpload, check_audio, normalize_image
from app.settings import Settings
from app.workers.dispatch import QueueUnreachable
from models.registry import DemoSpec, UnknownDemo, find_demo, resolve_entry_point

def demo_spec(request: Request, name: str) -> DemoSpec:
    try:
        return find_demo(name, request.app.state.demos)
    except UnknownDemo:
        raise HTTPException(404, f"no demo called {name!r}") from None


async def read_inputs(request: Request, spec: DemoSpec, limit: int,
                      ignore: tuple[str, ...] = ()) -> tuple[dict, dict[str, bytes]]:
    """(params, uploads) from a JSON object or a multipart form; unknown fields are errors
    (`ignore` names form fields that are not inputs, such as the CSRF token)."""
    params: dict = {}
    uploads: dict[str, bytes] = {}
    if request.headers.get("content-type", "").startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()  # parsed once and cached (the CSRF check may have read it)
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if not value.filename:
                    continue  # a file field the form left empty
                data = await value.read(limit + 1)
                if len(data) > limit:
                    raise HTTPException(413, f"{name}: the upload is larger than {limit // 2**20} MB")
                uploads[name] = data
            elif name not in ignore:
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
    if spec.check_params:
        try:
            resolve_entry_point(spec.check_params)(params)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
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


async def submit_from_request(request: Request, spec: DemoSpec, *, session, settings: Settings,  # noqa: ANN001
                              viewer: User | None, ignore: tuple[str, ...] = ()) -> Job:
    params, uploads = await read_inputs(request, spec, int(settings.upload_limit_mb * 2**20), ignore)
    try:
        return create_job(session, spec=spec, params=params, uploads=uploads, submitter=viewer,
                          client=request.client.host if request.client else "unknown",
                          settings=settings, dispatcher=request.app.state.job_pool)
    except (job_queue.QueueFull, job_queue.RateLimited) as exc:
        raise HTTPException(429, str(exc), {"Retry-After": str(exc.retry_after)}) from None
    except QueueUnreachable as exc:
        raise HTTPException(503, str(exc), {"Retry-After": "30"}) from None
