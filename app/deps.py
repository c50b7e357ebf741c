"""FastAPI dependencies as `Annotated` aliases, so route bodies stay short."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from app.services.paper_catalog import PaperCatalog
from app.settings import Settings
from app.templating import FragmentCache


def _session(request: Request) -> Iterator[Session]:
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
