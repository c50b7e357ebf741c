"""`marginalia worker`: a Celery worker that loads each model once and runs many jobs."""

from __future__ import annotations

import logging

from prometheus_client import start_http_server

from app.db.engine import make_engine, make_session_factory
from app.db.migrate import upgrade_to_head
from app.metrics import record_model_load
from app.services import job_queue
from app.settings import Settings
from app.workers.celery_app import RUN_JOB, make_celery
from app.workers.job_runner import run_job
from models.loading import ModelCache, configure_threads, resolve_device
from models.registry import load_specs

log = logging.getLogger("marginalia.worker")


def run_worker(settings: Settings) -> None:
    if settings.worker_metrics_port:  # model load times and request-free figures of this worker
        start_http_server(settings.worker_metrics_port, addr=settings.host)
    engine = make_engine(settings.resolved_database_url)
    upgrade_to_head(engine)
    sessions = make_session_factory(engine)
    demos = load_specs(settings.demo_specs)
    configure_threads(settings.job_workers)
    models = ModelCache(resolve_device(settings.device), on_load=record_model_load)
    for spec in demos:
        if spec.preload and settings.preload_models:  # warm up now, not on the first reader's job
            models.get(spec)
    celery = make_celery(settings)

    @celery.task(name=RUN_JOB)
    def run(job_id: str) -> str:
        with sessions() as session:
            job = job_queue.claim_job(session, job_id)
        if job is None:
            return "skipped"  # done already, or failed after too many lost workers
        run_job(job, demos=demos, models=models, sessions=sessions, data_dir=settings.data_dir)
        return "ran"

    log.info("worker for %s demos on %s", len(demos), models.device)
    # Threads, not forked processes: one process keeps one copy of each model for all its jobs.
    celery.worker_main(["worker", "--loglevel=INFO", "--pool=threads",
                        f"--concurrency={settings.job_workers}", "--without-gossip", "--without-mingle"])
