"""Run one claimed job: find its demo, get the cached network, predict, record the outcome.

Both queue backends call `run_job`; only worker code imports this module (and so torch): a
web process with the celery backend never loads it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Job
from app.services import job_queue
from app.services.demo_jobs import DISK_FULL
from models.loading import ModelCache
from models.registry import UnknownDemo, find_demo
from models.spec import DemoSpec, resolve_entry_point

log = logging.getLogger("marginalia.jobs")


class JobTimeout(Exception):
    pass


def run_job(job: Job, *, demos: tuple[DemoSpec, ...], models: ModelCache,
            sessions: sessionmaker[Session], data_dir: Path) -> None:
    folder = job_queue.job_folder(data_dir, job.id)
    try:
        spec = find_demo(job.demo, demos)
        deadline = time.monotonic() + spec.timeout_seconds

        def progress(fraction: float) -> None:
            # Called by the demo between steps: the place to notice the time is up.
            if time.monotonic() > deadline:
                raise JobTimeout(f"{spec.name} took longer than its {spec.timeout_seconds:g} s limit")
            with sessions() as session:
                job_queue.report_progress(session, job.id, fraction)

        model = models.get(spec)
        inputs = {name: folder / stored for name, stored in job.inputs.items()}
        output = folder / "out"
        output.mkdir(parents=True, exist_ok=True)
        result = resolve_entry_point(spec.predict)(model, job.params, inputs, output, progress)
        files = sorted(path.name for path in output.iterdir() if path.is_file())
        with sessions() as session:
            job_queue.complete_job(session, job.id, result=result, files=files)
    except UnknownDemo:
        _fail(sessions, job, f"unknown demo {job.demo!r}")
    except JobTimeout as exc:
        _fail(sessions, job, str(exc))
    except Exception as exc:  # any failure of a demo is this job's error, not the worker's
        log.exception("job %s (%s) failed", job.id, job.demo)
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:
            _fail(sessions, job, "the server ran out of disk space for this job's results; try again later")
        else:
            _fail(sessions, job, f"{exc.__class__.__name__}: {exc}")


def _fail(sessions: sessionmaker[Session], job: Job, reason: str) -> None:
    with sessions() as session:
        job_queue.fail_job(session, job.id, reason)
