"""Submitting a demo job: store the checked uploads, queue the row, hand it to the backend."""

from __future__ import annotations

import shutil

from sqlalchemy.orm import Session

from app.db.models import Job, User
from app.services import job_queue
from app.settings import Settings
from app.workers.dispatch import QueueUnreachable
from models.registry import DemoSpec


def create_job(session: Session, *, spec: DemoSpec, params: dict, uploads: dict[str, bytes],
               submitter: User | None, client: str, settings: Settings, dispatcher) -> Job:  # noqa: ANN001
    """Raises job_queue.RateLimited / QueueFull (nothing stored) or QueueUnreachable (the job
    is recorded as failed with that reason)."""
    job_id = job_queue.new_job_id()
    folder = job_queue.job_folder(settings.data_dir, job_id)
    # Files first: a worker may claim the job the moment its row is queued.
    for name, data in uploads.items():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"input-{name}").write_bytes(data)
    try:
        job = job_queue.enqueue(
            session, job_id=job_id, demo=spec.name, params=params,
            inputs={name: f"input-{name}" for name in uploads}, submitter=submitter, client=client,
            max_active=settings.max_active_jobs, per_minute=settings.demo_runs_per_minute,
        )
    except (job_queue.QueueFull, job_queue.RateLimited):
        shutil.rmtree(folder, ignore_errors=True)  # refused: leave nothing behind
        raise
    try:
        dispatcher.submit(job.id)
    except QueueUnreachable as exc:
        job_queue.fail_job(session, job.id, str(exc))
        raise
    return job
