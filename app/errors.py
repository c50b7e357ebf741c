"""Error responses: JSON `{"detail": ...}` under /api and for probes, an HTML page elsewhere."""

from __future__ import annotations

import logging
import math

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from app.deps import SignInRequired
from app.services.demo_jobs import RefusedSubmission
from app.services.turing_test import TuringRefused

log = logging.getLogger("marginalia")
EXCERPT = 80  # characters of a rejected input echoed back: enough to find it, never the whole body
_JSON_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics", "/openapi.json", "/docs")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(_JSON_PREFIXES)


def _page(request: Request, status: int, title: str, message: str) -> Response:
    templates = request.app.state.templates
    context = {"title": title, "message": message, "status": status}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


async def _on_http_error(request: Request, exc: HTTPException) -> Response:
    if wants_json(request):
        return await http_exception_handler(request, exc)
    titles = {404: "Not found", 405: "Method not allowed"}
    # Starlette's own details only repeat the title ("Not Found"): say what it means instead
    plain = {404: "There is no page at this address. Try the library or the search above.",
             405: "This address does not take that kind of request."}
    message = str(exc.detail)
    if message.casefold() == titles.get(exc.status_code, "").casefold():
        message = plain[exc.status_code]
    return _page(request, exc.status_code, titles.get(exc.status_code, "Request failed"), message)


def excerpt(value: object) -> object:
    """A rejected input as it may be echoed: short text (lone surrogates escaped), a finite
    number, or only the kind of a container; never the client's whole document."""
    if isinstance(value, bool) or value is None or (isinstance(value, int) and abs(value) < 2**53):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict | list | tuple):
        return f"({'an object' if isinstance(value, dict) else 'a list'} of {len(value)})"
    text = str(value)
    text = text if len(text) <= EXCERPT else text[:EXCERPT] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def validation_problems(exc: RequestValidationError) -> list[dict]:
    """FastAPI's 422 list (type, loc, msg, input), each input cut to an excerpt."""
    return [
        {"type": error.get("type", ""), "loc": [excerpt(part) for part in error.get("loc", ())],
         "msg": excerpt(error.get("msg", "")), "input": excerpt(error.get("input"))}
        for error in exc.errors()
    ]


async def _on_invalid_request(request: Request, exc: RequestValidationError) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": validation_problems(exc)}, 422)
    problems = "; ".join(f"{(problem['loc'] or ['request'])[-1]}: {problem['msg']}"
                         for problem in validation_problems(exc))
    return _page(request, 400, "Bad request", problems)


async def _on_refused_submission(request: Request, exc: RefusedSubmission | TuringRefused) -> Response:
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    if wants_json(request):
        return JSONResponse({"detail": str(exc)}, exc.status, headers=headers)
    title = "The answer was not recorded" if isinstance(exc, TuringRefused) else "The demo could not run"
    response = _page(request, exc.status, title, str(exc))
    response.headers.update(headers or {})
    return response


async def _on_database_unavailable(request: Request, exc: OperationalError) -> Response:
    # A lost connection (PostgreSQL restarting) or a lock held past its timeout (SQLite): the
    # request did not complete; the pool reconnects on the next one (pool_pre_ping).
    log.warning("database unavailable for %s %s: %s", request.method, request.url.path, exc.orig)
    message = "The database cannot be reached right now. Try again in a few seconds."
    if wants_json(request):
        return JSONResponse({"detail": message}, 503, headers={"Retry-After": "5"})
    response = _page(request, 503, "Try again in a moment", message)
    response.headers["Retry-After"] = "5"
    return response


async def _on_sign_in_required(_request: Request, exc: SignInRequired) -> Response:
    return RedirectResponse(exc.login_url, status_code=303)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_invalid_request)
    app.add_exception_handler(RefusedSubmission, _on_refused_submission)
    app.add_exception_handler(TuringRefused, _on_refused_submission)
    app.add_exception_handler(SignInRequired, _on_sign_in_required)
    app.add_exception_handler(OperationalError, _on_database_unavailable)
