"""The inline backend: a small pool of threads inside the web process runs queued jobs.

Jobs live in the database, so a restart loses none: on start the pool recovers cut-off jobs
(`job_queue.recover_jobs`) and picks the queued ones up again.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.services import job_queue
from app.workers.job_runner import run_job
from models.loading import ModelCache
from models.spec import DemoSpec

log = logging.getLogger("marginalia.jobs")


class InlineWorkerPool:
    def __init__(self, *, sessions: sessionmaker[Session], demos: tuple[DemoSpec, ...], models: ModelCache,
                 data_dir: Path, workers: int, preload: bool = True) -> None:
        self._sessions, self._demos, self._models = sessions, demos, models
        self._data_dir, self._workers, self._preload = data_dir, workers, preload
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        with self._sessions() as session:
            retried, failed = job_queue.recover_jobs(session)
        if retried or failed:
            log.info("recovered jobs after a restart: %d retried, %d failed", retried, failed)
        preload = [spec for spec in self._demos if spec.preload] if self._preload else []
        if preload:  # warm up in the background: start-up is not held up by model loading
            threading.Thread(target=self._warm_up, args=(preload,), name="model-warm-up", daemon=True).start()
        for number in range(self._workers):
            thread = threading.Thread(target=self._loop, name=f"job-worker-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)
        self._wake.set()

    def _warm_up(self, specs: list[DemoSpec]) -> None:
        for spec in specs:
            if self._stop.is_set():  # a pool that has stopped loads nothing more
                return
            self._models.get(spec)

    def submit(self, job_id: str) -> None:  # the job is already a queued row
        """A job was queued: wake an idle worker now instead of at its next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._sessions() as session:
                job = job_queue.claim_next_job(session)
            if job is None:
                self._wake.wait(timeout=1.0)  # also polls, for jobs queued by another process
                self._wake.clear()
                continue
            run_job(job, demos=self._demos, models=self._models, sessions=self._sessions, data_dir=self._data_dir)
