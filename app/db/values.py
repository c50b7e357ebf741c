"""The fixed values stored in status and visibility columns, named once for every module."""

from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_JOB_STATUSES = (JobStatus.DONE, JobStatus.FAILED)


class Visibility(StrEnum):
    PRIVATE = "private"  # the author alone: never shown, counted or exported for anyone else
    PUBLIC = "public"
