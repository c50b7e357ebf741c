"""Liveness, readiness and Prometheus metrics."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError

from app.deps import SessionDep
from app.metrics import exposition
from app.services.paper_read import count_papers

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="The database answers and the library is loaded")
def readyz(session: SessionDep) -> Response:
    try:
        papers = count_papers(session)
    except SQLAlchemyError as exc:
        return JSONResponse({"status": "unavailable", "detail": f"database: {exc.__class__.__name__}"}, 503)
    return JSONResponse({"status": "ready", "papers": papers})


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics(request: Request) -> Response:  # sync: it reads the jobs table
    return Response(exposition(request.app.state.sessions), media_type=CONTENT_TYPE_LATEST)
