"""JSON shape of a demo job."""

from __future__ import annotations

from pydantic import BaseModel

from app.db.models import Job
from app.schemas.common import UtcDateTime


class JobOut(BaseModel):
    id: str
    demo: str
    status: str  # queued, running, done, failed
    progress: float
    url: str  # this status document
    result: dict | None
    files: dict[str, str]  # result file name -> URL (while running: the files written so far)
    error: str | None
    created: UtcDateTime
    started: UtcDateTime | None
    finished: UtcDateTime | None

    @classmethod
    def of(cls, job: Job, base: str, files: list[str] | None = None) -> JobOut:
        """`files`: what the client may fetch now (default: the files a finished job recorded)."""
        url = f"{base}/api/v1/jobs/{job.id}"
        return cls(
            id=job.id, demo=job.demo, status=job.status, progress=job.progress, url=url, result=job.result,
            files={name: f"{url}/files/{name}" for name in (job.files if files is None else files)}, error=job.error,
            created=job.created_at, started=job.started_at, finished=job.finished_at,
        )
