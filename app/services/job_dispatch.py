"""How a queued job reaches whatever runs it: the `JobDispatcher` protocol both queue backends
implement (app/workers/inline.py, app/workers/celery_app.py). Services receive a dispatcher and
never import the workers, so the layers point one way."""

from __future__ import annotations

from typing import Protocol


class QueueUnreachable(RuntimeError):
    """The queue (Redis) did not take the job; the message says so in words a reader can use."""


class JobDispatcher(Protocol):
    def start(self) -> None:
        """Begin running or sending jobs (the app's start-up)."""

    def submit(self, job_id: str) -> None:
        """A job row was queued: run it or send it on. Raises QueueUnreachable."""

    def stop(self) -> None:
        """Finish: let running jobs end, release connections."""
