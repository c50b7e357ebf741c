"""FastAPI dependencies as `Annotated` aliases, so route bodies stay short: the session, the
settings, who is asking, the demo a path names, a job the caller may see, a demo submission
read off the request."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from app.auth import resolve_viewer, verify_csrf, verify_csrf_when_signed_in
from app.db.models import Job, User
from app.schemas.client_json import check_client_json
from app.services.demo_jobs import NoSuchJob, Submission, owned_job
from app.services.job_dispatch import JobDispatcher
from app.services.paper_catalog import PaperCatalog
from app.settings import Settings
from app.templating import FragmentCache
from models.spec import DemoSpec


def base_url(request: Request) -> str:
    """The site's own address as the client reached it, without a trailing slash."""
    return str(request.base_url).rstrip("/")


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


async def _dispatcher(request: Request) -> JobDispatcher:
    return request.app.state.job_pool


async def _client(request: Request) -> str:
    """Who to count a demo run against (the per-minute limit): the peer's address."""
    return request.client.host if request.client else "unknown"


SessionDep = Annotated[Session, Depends(_session)]
SettingsDep = Annotated[Settings, Depends(_settings)]
TemplatesDep = Annotated[Jinja2Templates, Depends(_templates)]
CatalogDep = Annotated[PaperCatalog, Depends(_catalog)]
FragmentsDep = Annotated[FragmentCache, Depends(_fragments)]
DispatcherDep = Annotated[JobDispatcher, Depends(_dispatcher)]
ClientDep = Annotated[str, Depends(_client)]


async def _viewer(request: Request, session: SessionDep) -> User | None:
    # async on purpose: one indexed look-up (a fraction of a millisecond) costs less on the
    # event loop than a hop to the thread pool and back; none at all without a cookie or token.
    return resolve_viewer(request, session)


ViewerDep = Annotated[User | None, Depends(_viewer)]
# On every page router: the header shows who is signed in, and templates never query for it.
RESOLVE_VIEWER = Depends(_viewer)


async def _signed_in(viewer: ViewerDep) -> User:
    if viewer is None:
        raise HTTPException(401, "sign in or send an API token", {"WWW-Authenticate": "Bearer"})
    return viewer


UserDep = Annotated[User, Depends(_signed_in)]

READER_COOKIE = "marginalia_reader"  # an anonymous reader's Turing-test identity


@dataclass(frozen=True)
class Reader:
    """Who answers a Turing test: a signed-in user, or a browser by its reader cookie (`new`
    when this request made one up: the route must set it)."""

    id: str
    cookie: str | None = None
    new: bool = False


async def _reader(request: Request, viewer: ViewerDep) -> Reader:
    if viewer is not None:
        return Reader(f"user:{viewer.id}")
    token = request.cookies.get(READER_COOKIE, "")
    if len(token) == 32 and token.isalnum():
        return Reader(f"anon:{token}", token)
    token = secrets.token_hex(16)
    return Reader(f"anon:{token}", token, new=True)


ReaderDep = Annotated[Reader, Depends(_reader)]
CSRF = Depends(verify_csrf)  # use as `dependencies=[CSRF]` on state-changing routes
# on state-changing routes open to anonymous callers: a request with the session cookie acts
# for its user, so it needs the token; one without (curl, another site's anonymous form) is anonymous
CSRF_WHEN_SIGNED_IN = Depends(verify_csrf_when_signed_in)


async def refuse_unknown_query(request: Request) -> None:
    """An API query parameter the route does not take is a 400, not silently ignored: a
    misspelt filter (`?tags=` for `?tag=`) would otherwise answer with everything."""
    route = request.scope.get("route")
    if route is None or not request.query_params:
        return
    unknown = sorted(set(request.query_params) - _query_names(route))
    if unknown:
        takes = ", ".join(sorted(_query_names(route))) or "none"
        raise HTTPException(400, f"unknown query parameter(s) {', '.join(unknown)[:200]}; this endpoint takes {takes}")


def _query_names(route: APIRoute) -> frozenset[str]:
    known = route.__dict__.get("_query_names")  # worked out once per route, kept on it
    if known is None:
        names, pending = set(), [route.dependant]
        while pending:  # the route's own parameters and those of every dependency it uses
            dependant = pending.pop()
            names.update(param.alias for param in dependant.query_params)
            pending.extend(dependant.dependencies)
        known = route.__dict__["_query_names"] = frozenset(names)
    return known


REFUSE_UNKNOWN_QUERY = Depends(refuse_unknown_query)


class SignInRequired(Exception):
    """A page for signed-in readers asked for anonymously: app.errors redirects to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.login_url = f"/login?next={quote(next_path)}"


async def _signed_in_page(request: Request, viewer: ViewerDep) -> User:
    if viewer is None:
        raise SignInRequired(request.url.path if request.method == "GET" else "/settings")
    return viewer


PageUserDep = Annotated[User, Depends(_signed_in_page)]


# --- demos and jobs -----------------------------------------------------------------------
def _live_demo(request: Request, demo: str) -> DemoSpec:
    for spec in request.app.state.demos:
        if spec.name == demo:
            return spec
    raise HTTPException(404, f"no demo called {demo!r} runs on this server")


def _any_demo(request: Request, demo: str) -> DemoSpec:
    """A demo this server runs, or one announced as planned."""
    for spec in (*request.app.state.demos, *request.app.state.planned_demos):
        if spec.name == demo:
            return spec
    raise HTTPException(404, f"There is no demo called “{demo}”.")


DemoDep = Annotated[DemoSpec, Depends(_live_demo)]
AnyDemoDep = Annotated[DemoSpec, Depends(_any_demo)]


async def _owned_job(job_id: str, session: SessionDep, viewer: ViewerDep) -> Job:
    try:
        return owned_job(session, job_id, viewer)
    except NoSuchJob:
        raise HTTPException(404, f"no job {job_id!r}") from None


OwnedJobDep = Annotated[Job, Depends(_owned_job)]

NOT_INPUTS = ("csrf_token",)  # form fields a page adds that are not a demo's inputs


async def _submission(request: Request, settings: SettingsDep) -> Submission:
    """A demo's inputs as the request sent them: a multipart or urlencoded form (files and
    values), or a JSON object. Only HTTP is parsed here; app.services.demo_jobs checks them."""
    limit = int(settings.upload_limit_mb * 2**20)
    submission = Submission()
    if request.headers.get("content-type", "").startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()  # parsed once and cached (the CSRF check may have read it)
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if not value.filename:
                    continue  # a file field the form left empty
                data = await value.read(limit + 1)
                if len(data) > limit:
                    raise HTTPException(413, f"{name}: the upload is larger than {limit // 2**20} MB")
                submission.uploads[name] = data
            elif name not in NOT_INPUTS:
                submission.params[name] = value
    elif (await request.body()).strip():
        media_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise HTTPException(415, f"a body of type {media_type or '(none)'} is not read: send the inputs as "
                                     "JSON (application/json) or as a form (multipart/form-data)")
        try:
            submission.params = await request.json()
        except ValueError:
            raise HTTPException(400, "the body is not valid JSON") from None
        except RecursionError:
            raise HTTPException(400, "the JSON is nested too deeply") from None
        if not isinstance(submission.params, dict):
            raise HTTPException(422, "send the inputs as a JSON object")
        try:
            check_client_json(submission.params)
        except ValueError as problem:
            raise HTTPException(422, str(problem)) from None
    return submission


SubmissionDep = Annotated[Submission, Depends(_submission)]


# --- annotation import: the uploaded document --------------------------------------------
MAX_IMPORT_BYTES = 5 * 1024 * 1024
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file
_TOO_LARGE = f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB"


async def limit_import_size(request: Request) -> None:
    """Refuses an announced oversized body before anything (the CSRF check included) reads it."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_IMPORT_BYTES + _MULTIPART_OVERHEAD:
        raise HTTPException(413, _TOO_LARGE)


async def uploaded_json(request: Request) -> Any:
    """The document from the multipart field `file`, or the request body itself."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        upload = (await request.form()).get("file")
        if upload is None:
            raise HTTPException(400, "send the file in a form field named `file`")
        raw = await upload.read(MAX_IMPORT_BYTES + 1) if isinstance(upload, UploadFile) else upload.encode()
    else:
        raw = await _read_body(request)
    if len(raw) > MAX_IMPORT_BYTES:
        raise HTTPException(413, _TOO_LARGE)
    if not raw.strip():
        raise HTTPException(400, "the file is empty; send a JSON document")
    try:
        return check_client_json(json.loads(raw))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise HTTPException(400, f"the file is not valid JSON: {exc.msg} ({where})") from None
    except UnicodeDecodeError:
        raise HTTPException(400, "the file is not UTF-8 text; send a JSON document") from None
    except RecursionError:
        raise HTTPException(400, "the JSON is nested too deeply") from None
    except ValueError as problem:  # check_client_json's
        raise HTTPException(400, f"the file is not usable: {problem}") from None


async def _read_body(request: Request) -> bytes:
    # Streamed with a cap: a chunked request announces no length for limit_import_size to check.
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_IMPORT_BYTES:
            raise HTTPException(413, _TOO_LARGE)
        chunks.append(chunk)
    return b"".join(chunks)


LIMIT_IMPORT_SIZE = Depends(limit_import_size)
ImportDocumentDep = Annotated[Any, Depends(uploaded_json)]
