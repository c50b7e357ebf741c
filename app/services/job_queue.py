"""Demo jobs as database rows: enqueue, claim, progress, complete, fail, recover, expire.

The inline backend runs on these rows directly; every claim is one atomic UPDATE, so several
worker threads (or processes) never run the same job twice.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.models import Job, User
from app.db.values import ACTIVE_JOB_STATUSES, FINISHED_JOB_STATUSES, JobStatus

MAX_ATTEMPTS = 2  # a job interrupted by a restart is retried once, then failed with the reason


class QueueFull(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the demo queue is full; try again in {retry_after} seconds")
        self.retry_after = retry_after


def new_job_id() -> str:
    return uuid.uuid4().hex


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many demo runs from this client; try again in {retry_after} seconds")
        self.retry_after = retry_after


def enqueue(session: Session, *, job_id: str, demo: str, params: dict, inputs: dict[str, str],
            submitter: User | None, client: str, max_active: int, per_minute: int) -> Job:
    recent = session.scalar(select(func.count(Job.id)).where(
        Job.client == client, Job.created_at >= utcnow() - timedelta(minutes=1))) or 0
    if recent >= per_minute:
        raise RateLimited(retry_after=60)
    active = session.scalar(select(func.count(Job.id)).where(Job.status.in_(ACTIVE_JOB_STATUSES))) or 0
    if active >= max_active:
        raise QueueFull(retry_after=5)
    job = Job(id=job_id, demo=demo, status=JobStatus.QUEUED, progress=0.0, params=params, inputs=inputs,
              submitter_id=submitter.id if submitter else None, client=client, files=[], attempts=0,
              created_at=utcnow())
    session.add(job)
    session.commit()
    return job


def claim_next_job(session: Session) -> Job | None:
    # SKIP LOCKED: on PostgreSQL, processes claiming at once each take a different job instead
    # of queueing behind one row lock and then finding it taken; SQLite (one writer) omits it.
    oldest = (select(Job.id).where(Job.status == JobStatus.QUEUED).order_by(Job.created_at).limit(1)
              .with_for_update(skip_locked=True).scalar_subquery())
    claimed = session.scalar(
        update(Job).where(Job.id == oldest, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow(), attempts=Job.attempts + 1, progress=0.0)
        .returning(Job.id)
    )
    session.commit()
    return session.get(Job, claimed) if claimed else None


def claim_job(session: Session, job_id: str) -> Job | None:
    """Claim one job by id (the Celery worker's way in). A job whose worker died mid-run comes
    back here once more; after MAX_ATTEMPTS it is failed with that reason instead."""
    claimed = session.scalar(
        update(Job).where(Job.id == job_id, or_(
            Job.status == JobStatus.QUEUED, and_(Job.status == JobStatus.RUNNING, Job.attempts < MAX_ATTEMPTS)))
        .values(status=JobStatus.RUNNING, started_at=utcnow(), attempts=Job.attempts + 1, progress=0.0)
        .returning(Job.id)
    )
    session.commit()
    if claimed:
        return session.get(Job, claimed)
    job = session.get(Job, job_id)
    if job is not None and job.status == JobStatus.RUNNING:
        fail_job(session, job_id, f"its worker was lost {job.attempts} times; not retried again")
    return None


def report_progress(session: Session, job_id: str, fraction: float) -> None:
    session.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING)
                    .values(progress=min(1.0, max(0.0, fraction))))
    session.commit()


def complete_job(session: Session, job_id: str, *, result: dict, files: list[str]) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(
        status=JobStatus.DONE, progress=1.0, result=result, files=files, finished_at=utcnow(), error=None))
    session.commit()


def fail_job(session: Session, job_id: str, reason: str) -> None:
    session.execute(update(Job).where(Job.id == job_id).values(
        status=JobStatus.FAILED, error=reason[:2000], finished_at=utcnow()))
    session.commit()


def recover_jobs(session: Session) -> tuple[int, int]:
    """After a restart: jobs that were running were cut off. Run them again if they have an
    attempt left, else fail them with that reason. Queued jobs simply stay queued."""
    cut_off = list(session.scalars(select(Job).where(Job.status == JobStatus.RUNNING)))
    retried = failed = 0
    for job in cut_off:
        if job.attempts < MAX_ATTEMPTS:
            job.status, job.progress, retried = JobStatus.QUEUED, 0.0, retried + 1
        else:
            job.status, job.finished_at, failed = JobStatus.FAILED, utcnow(), failed + 1
            job.error = f"interrupted by a restart {job.attempts} times; not retried again"
    session.commit()
    return retried, failed


def get_job(session: Session, job_id: str) -> Job | None:
    return session.get(Job, job_id)


def expire_jobs(session: Session, data_dir: Path, *, older_than: timedelta) -> int:
    """Delete finished jobs (rows and files) past the retention period."""
    cutoff = utcnow() - older_than
    old = list(session.scalars(select(Job).where(Job.status.in_(FINISHED_JOB_STATUSES), Job.finished_at < cutoff)))
    for job in old:
        shutil.rmtree(job_folder(data_dir, job.id), ignore_errors=True)
        session.delete(job)
    session.commit()
    return len(old)


def job_folder(data_dir: Path, job_id: str) -> Path:
    return data_dir / "jobs" / job_id


def job_figures(session: Session, *, recent: int = 10_000) -> tuple[dict, int, dict[str, list[float]]]:
    """(count by (demo, status), queue depth, seconds from submission to result by demo)."""
    counts = {(demo, status): count for demo, status, count in session.execute(
        select(Job.demo, Job.status, func.count(Job.id)).group_by(Job.demo, Job.status))}
    finished = session.execute(
        select(Job.demo, Job.created_at, Job.finished_at).where(Job.status == JobStatus.DONE)
        .order_by(Job.finished_at.desc()).limit(recent))
    durations: dict[str, list[float]] = {}
    for demo, created, finished_at in finished:
        durations.setdefault(demo, []).append((finished_at - created).total_seconds())
    depth = sum(count for (demo, status), count in counts.items() if status == JobStatus.QUEUED)
    return counts, depth, durations
