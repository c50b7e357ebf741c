"""FastAPI dependencies as `Annotated` aliases, so route bodies stay short."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from app.auth import resolve_viewer, verify_csrf
from app.db.models import User

from app.services.paper_catalog import PaperCatalog
from app.settings import Settings
from app.templating import FragmentCache


async def _session(request: Request) -> AsyncIterator[Session]:
    # async on purpose: creating and closing a session does no real I/O, and a sync
    # generator would cost two thread-pool hops per request.
    with request.app.state.sessions() as session:
        yield session


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def _templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


async def _catalog(request: Request) -> PaperCatalog:
    return request.app.state.catalog


async def _fragments(request: Request) -> FragmentCache:
    return request.app.state.fragments


SessionDep = Annotated[Session, Depends(_session)]
SettingsDep = Annotated[Settings, Depends(_settings)]
TemplatesDep = Annotated[Jinja2Templates, Depends(_templates)]
CatalogDep = Annotated[PaperCatalog, Depends(_catalog)]
FragmentsDep = Annotated[FragmentCache, Depends(_fragments)]


async def _viewer(request: Request, session: SessionDep) -> User | None:
    # async on purpose: one indexed look-up (a fraction of a millisecond) costs less on the
    # event loop than a hop to the thread pool and back.
    return resolve_viewer(request, session)


ViewerDep = Annotated[User | None, Depends(_viewer)]


async def _signed_in(viewer: ViewerDep) -> User:
    if viewer is None:
        raise HTTPException(401, "sign in or send an API token", {"WWW-Authenticate": "Bearer"})
    return viewer


UserDep = Annotated[User, Depends(_signed_in)]
CSRF = Depends(verify_csrf)  # use as `dependencies=[CSRF]` on state-changing routes

