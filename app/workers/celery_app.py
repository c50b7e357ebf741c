"""The Celery backend: Redis as broker and result store, `marginalia worker` as the worker.

The web process imports this module only (Celery and kombu, no torch): it sends jobs by task
name. Tasks are acknowledged late and rejected when their worker is lost, so a worker killed
in the middle of a job does not lose it: Redis hands it to another worker once the
visibility timeout passes (`job_queue.claim_job` counts the attempts).
"""

from __future__ import annotations

import redis
from celery import Celery
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from app.services.job_dispatch import QueueUnreachable
from app.settings import Settings

RUN_JOB = "marginalia.run_job"


def make_celery(settings: Settings) -> Celery:
    celery = Celery("marginalia", broker=settings.redis_url, backend=settings.redis_url)
    celery.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker holds only the job it runs: the rest stay queued for others
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_default_queue="marginalia-jobs",
        broker_transport_options={
            "visibility_timeout": settings.celery_visibility_timeout,
            # kombu sweeps for such jobs every interval x throttle seconds (100 s by default):
            # sweep every few seconds, scaled to the timeout, so a lost job comes back soon.
            "unacked_restore_interval": max(1, min(10, settings.celery_visibility_timeout // 3)),
            "unacked_restore_throttle": 1,
        },
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2,
        result_expires=3600,
    )
    return celery


class CeleryDispatcher:
    """Sends jobs to the Celery workers (the web side of the celery backend)."""

    def __init__(self, settings: Settings) -> None:
        self._celery = make_celery(settings)
        # A ping that fails at once when Redis is down: kombu's connection attempts ride on
        # redis-py's default retries (with back-off), which held a refused submission ~19 s.
        self._probe = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=2, retry=None)

    def submit(self, job_id: str) -> None:
        try:
            # No retries: with Redis down the reader gets a clear 503 now, not a hung request.
            self._probe.ping()
            self._celery.send_task(RUN_JOB, args=[job_id], retry=False)
        # kombu wraps a refused connection in OperationalError, or in RuntimeError once it
        # judges the connection unrecoverable; redis-py may raise its own errors first.
        except (OperationalError, RedisError, ConnectionError, OSError, RuntimeError) as exc:
            raise QueueUnreachable(
                "the demo queue (Redis) is unreachable, so demos cannot run right now; "
                "reading and annotating still work"
            ) from exc

    def start(self) -> None:
        pass

    def stop(self) -> None:
        self._celery.close()
