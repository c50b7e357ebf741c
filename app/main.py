"""The app factory: settings in, a FastAPI app out. Engines are built here, not at import."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from time import perf_counter

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from app import routes
from app.auth import CsrfCookieMiddleware
from app.db.engine import make_engine, make_session_factory
from app.db.migrate import upgrade_to_head
from app.db.process_lock import exclusive_startup
from app.deps import REFUSE_UNKNOWN_QUERY, RESOLVE_VIEWER
from app.errors import register_error_handlers
from app.http_hardening import add_hardening
from app.metrics import PAPERS_INDEXED, REINDEX_SECONDS, MetricsMiddleware, record_model_load
from app.routes.api_docs import openapi_document
from app.services.job_dispatch import JobDispatcher
from app.services.job_queue import expire_jobs
from app.services.paper_catalog import PaperCatalog
from app.services.paper_index import reindex
from app.services.paper_read import count_papers
from app.settings import Settings, get_settings
from app.templating import STATIC_DIR, FragmentCache, make_templates
from models.registry import PLANNED, load_specs
from models.spec import DemoSpec

log = logging.getLogger("marginalia")


def create_app(settings: Settings | None = None, *, demos: tuple[DemoSpec, ...] | None = None,
               planned: tuple[DemoSpec, ...] = PLANNED) -> FastAPI:
    """`demos` defaults to the specs the settings name (models.registry.DEMOS), `planned` to the
    demos announced before their package exists (models.registry.PLANNED); tests pass their own."""
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        with exclusive_startup(engine):  # several processes may start at once
            upgrade_to_head(engine)
            refresh_content(app)
        sweeper = None
        if app.state.job_pool is not None:
            app.state.job_pool.start()
            sweeper = asyncio.create_task(_expire_results_forever(app))
        yield
        if sweeper is not None:
            sweeper.cancel()
            app.state.job_pool.stop()
        engine.dispose()

    app = FastAPI(
        title="Marginalia",
        version="0.1.0",
        summary="Summaries of deep-learning papers, annotations, and live demos.",
        lifespan=lifespan,
        docs_url=None,  # app.routes.api_docs serves Swagger UI from static/vendor
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.sessions = make_session_factory(engine)
    app.state.catalog = PaperCatalog(app.state.sessions)
    app.state.demos = load_specs(settings.demo_specs) if demos is None else demos
    live = {spec.name for spec in app.state.demos}
    app.state.planned_demos = tuple(spec for spec in planned if spec.name not in live)
    app.state.templates = make_templates((*app.state.demos, *app.state.planned_demos))
    app.state.fragments = FragmentCache(app.state.templates)
    app.state.job_pool = _job_dispatcher(settings, app.state.sessions, app.state.demos)
    app.add_middleware(CsrfCookieMiddleware)
    app.add_middleware(MetricsMiddleware)
    add_hardening(app, settings.cors_origins)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for spec in app.state.demos:  # each demo's widget script and the files it shows
        if spec.page_dir:
            app.mount(f"/demo-assets/{spec.name}", StaticFiles(directory=spec.page_dir), name=f"demo-{spec.name}")
    register_error_handlers(app)
    for router in routes.API_ROUTERS:  # /api/v1 refuses query parameters a route does not take
        app.include_router(router, dependencies=[REFUSE_UNKNOWN_QUERY] if router.prefix.startswith("/api/") else [])
    app.openapi = partial(openapi_document, app)
    for router in routes.PAGE_ROUTERS:
        app.include_router(router, dependencies=[RESOLVE_VIEWER])
    return app


def _job_dispatcher(settings: Settings, sessions: sessionmaker[Session],
                    demos: tuple[DemoSpec, ...]) -> JobDispatcher | None:
    """What runs demo jobs: Celery workers (this process sends them and imports no torch), or
    a thread pool in this process (inline). None while no demo is registered."""
    if not demos:
        return None
    if settings.queue == "celery":
        from app.workers.celery_app import CeleryDispatcher

        return CeleryDispatcher(settings)
    from app.workers.inline import InlineWorkerPool
    from models.loading import ModelCache, configure_threads, resolve_device

    configure_threads(settings.job_workers)
    models = ModelCache(resolve_device(settings.device), on_load=record_model_load)
    return InlineWorkerPool(sessions=sessions, demos=demos, models=models, data_dir=settings.data_dir,
                            workers=settings.job_workers, preload=settings.preload_models)


async def _expire_results_forever(app: FastAPI, every_seconds: float = 600) -> None:
    """Delete job results past the retention period, now and then every ten minutes."""
    settings = app.state.settings
    while True:
        def sweep() -> int:
            with app.state.sessions() as session:
                return expire_jobs(session, settings.data_dir,
                                   older_than=timedelta(hours=settings.result_retention_hours))

        removed = await asyncio.to_thread(sweep)
        if removed:
            log.info("deleted %d expired jobs and their files", removed)
        await asyncio.sleep(every_seconds)


def refresh_content(app: FastAPI) -> None:
    """Pick up new and edited summaries (cheap when nothing changed: content hashes)."""
    started = perf_counter()
    with app.state.sessions() as session:
        report = reindex(session, app.state.settings.papers_dir)
        PAPERS_INDEXED.set(count_papers(session))
    app.state.catalog.reload()
    REINDEX_SECONDS.observe(perf_counter() - started)
    log.info("content: %s", report.summary())
    for path, message in report.errors.items():
        log.warning("content error in %s: %s", path, message)
