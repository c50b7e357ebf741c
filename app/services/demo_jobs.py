"""Demo jobs for a caller: submit one (check the inputs against the demo's spec, normalise the
uploads, store them, queue the row with the checked parameters, hand it to the dispatcher),
and find one the caller may see."""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.db.models import Job, User
from app.db.values import JobStatus
from app.services import job_queue
from app.services.job_dispatch import JobDispatcher, QueueUnreachable
from app.services.uploads import BadUpload, check_audio, normalize_image
from app.settings import Settings
from models.spec import DemoSpec, check_inputs, resolve_entry_point


@dataclass
class Submission:
    """What a request carried: plain values and uploaded bytes, by field name."""

    params: dict = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)


DISK_FULL = (errno.ENOSPC, errno.EDQUOT)  # the two ways a write finds no room


class RefusedSubmission(Exception):
    """A submission that cannot run; `status` is the HTTP status that says why."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class NoSuchJob(LookupError):
    pass


def check_submission(spec: DemoSpec, submission: Submission) -> Submission:
    """The checked parameters (defaults filled in) and normalised uploads, or RefusedSubmission
    (422 for a bad value, 413/415 for a bad upload): nothing is stored before this passes."""
    unknown = sorted((set(submission.params) | set(submission.uploads)) - set(spec.inputs))
    if unknown:
        raise RefusedSubmission(422, f"unknown inputs {unknown}; {spec.name} takes {sorted(spec.inputs)}")
    try:
        params = check_inputs(spec, submission.params)
    except ValueError as exc:
        raise RefusedSubmission(422, str(exc)) from None
    missing = [name for name in spec.files if name not in submission.uploads]
    if missing:
        raise RefusedSubmission(422, f"missing upload(s) {missing}")
    sent = {name for name, value in submission.params.items() if value not in ("", None)} | set(submission.uploads)
    if spec.one_of and not sent & set(spec.one_of):
        raise RefusedSubmission(422, f"send one of {', '.join(spec.one_of)}")
    if spec.check_uploads:
        try:
            resolve_entry_point(spec.check_uploads)(params, frozenset(submission.uploads))
        except ValueError as exc:
            raise RefusedSubmission(422, str(exc)) from None
    uploads = dict(submission.uploads)
    try:
        for name in set(uploads) & set(spec.uploads_of("image")):
            uploads[name] = normalize_image(uploads[name], field=name, max_side=spec.working_size,
                                            min_side=spec.min_image_side)
        for name in set(uploads) & set(spec.uploads_of("audio")):
            uploads[name] = check_audio(uploads[name], field=name, max_seconds=spec.max_audio_seconds,
                                        rates=spec.audio_rates)
    except BadUpload as exc:
        raise RefusedSubmission(exc.status, str(exc)) from None
    return Submission(params, uploads)


def submit_demo(session: Session, *, spec: DemoSpec, submission: Submission, submitter: User | None, client: str,
                settings: Settings, dispatcher: JobDispatcher) -> Job:
    """Check, store and queue one run of a demo; RefusedSubmission says why not (429 for a full
    queue or a busy client, 503 when the queue is unreachable: the job is then recorded as failed)."""
    checked = check_submission(spec, submission)
    try:
        return _create_job(session, spec=spec, checked=checked, submitter=submitter, client=client,
                           settings=settings, dispatcher=dispatcher)
    except (job_queue.QueueFull, job_queue.RateLimited) as exc:
        raise RefusedSubmission(429, str(exc), exc.retry_after) from None
    except QueueUnreachable as exc:
        raise RefusedSubmission(503, str(exc), 30) from None


def _create_job(session: Session, *, spec: DemoSpec, checked: Submission, submitter: User | None, client: str,
                settings: Settings, dispatcher: JobDispatcher) -> Job:
    job_id = job_queue.new_job_id()
    folder = job_queue.job_folder(settings.data_dir, job_id)
    # Files first: a worker may claim the job the moment its row is queued.
    try:
        for name, data in checked.uploads.items():
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"input-{name}").write_bytes(data)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if exc.errno not in DISK_FULL:
            raise
        raise RefusedSubmission(507, "the server has no room left to store the upload; nothing was queued, "
                                     "try again later", 60) from None
    try:
        job = job_queue.enqueue(
            session, job_id=job_id, demo=spec.name, params=checked.params,
            inputs={name: f"input-{name}" for name in checked.uploads}, submitter=submitter, client=client,
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


def result_files(job: Job, data_dir: Path) -> list[str]:
    """The files a client may fetch: a finished job's recorded files, or what a running job has
    written so far (previews of a long optimisation, say; demos write them whole, by rename).
    Plain names inside the job's own folder only: nothing else is reachable."""
    if job.status != JobStatus.RUNNING:
        return list(job.files)
    folder = job_queue.job_folder(data_dir, job.id) / "out"
    if not folder.is_dir():
        return []
    written = [path for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")]
    return [path.name for path in sorted(written, key=lambda path: (path.stat().st_mtime, path.name))]


def owned_job(session: Session, job_id: str, viewer: User | None) -> Job:
    """A signed-in submitter's job is theirs alone; an anonymous one is reachable by its
    unguessable id. Someone else's job is NoSuchJob, like one that does not exist."""
    job = job_queue.get_job(session, job_id)
    if job is None or (job.submitter_id is not None and (viewer is None or viewer.id != job.submitter_id)):
        raise NoSuchJob(job_id)
    return job
