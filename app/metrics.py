"""Prometheus metrics and the ASGI middleware that records every request.

Metrics live in prometheus-client's default registry, which is process-wide by design:
that is what `/metrics` exposes, whichever app instance serves it.
"""

from __future__ import annotations

from time import perf_counter

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from app.services.job_queue import job_figures

HTTP_REQUESTS = Counter(
    "marginalia_http_requests_total", "HTTP requests served", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "marginalia_http_request_duration_seconds", "Time to serve a request", ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
PAPERS_INDEXED = Gauge("marginalia_papers", "Papers in the library")
REINDEX_SECONDS = Histogram("marginalia_reindex_seconds", "Time to reindex the content folder")

MODEL_LOAD_SECONDS = Gauge("marginalia_model_load_seconds", "Seconds the last load of a demo's model took", ["demo"])


def record_model_load(demo: str, seconds: float) -> None:
    """ModelCache's `on_load` hook (models/ does not import the app or its metrics)."""
    MODEL_LOAD_SECONDS.labels(demo).set(seconds)


class MetricsMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware, which costs a task per request on the hot path)."""

    def __init__(self, app) -> None:  # any ASGI app
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = perf_counter(), 500

        async def send_and_note_status(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            route = _route_label(scope)
            HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
            HTTP_LATENCY.labels(route).observe(perf_counter() - start)


def _route_label(scope) -> str:
    # Label by route template, not raw path, so label cardinality stays bounded.
    route = scope.get("route")
    if route is not None:
        return route.path
    return "/static" if scope["path"].startswith("/static/") else "unmatched"


JOB_SECONDS_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class JobsCollector:
    """Job figures read from the jobs table at scrape time: the table is the one place that
    sees jobs of every backend and every worker process (Celery workers have no /metrics)."""

    def __init__(self, sessions) -> None:  # a sessionmaker
        self.sessions = sessions

    def collect(self):  # prometheus_client's collector protocol
        with self.sessions() as session:
            counts, depth, durations = job_figures(session)
        jobs = GaugeMetricFamily("marginalia_jobs", "Jobs kept, by demo and status", labels=["demo", "status"])
        for (demo, status), count in counts.items():
            jobs.add_metric([demo, status], count)
        yield jobs
        yield GaugeMetricFamily("marginalia_job_queue_depth", "Jobs waiting for a worker", value=depth)
        latency = HistogramMetricFamily("marginalia_job_seconds", "Submission to result, finished jobs",
                                        labels=["demo"])
        for demo, values in durations.items():
            cumulative = [(str(b), sum(1 for v in values if v <= b)) for b in JOB_SECONDS_BUCKETS]
            latency.add_metric([demo], cumulative + [("+Inf", len(values))], sum(values))
        yield latency


def exposition(sessions) -> bytes:  # a sessionmaker
    """/metrics: the process-wide figures, then the job figures of this app's database (a
    registry of its own per scrape, so no module global points at one app's database)."""
    jobs = CollectorRegistry(auto_describe=False)
    jobs.register(JobsCollector(sessions))
    return generate_latest(REGISTRY) + generate_latest(jobs)
