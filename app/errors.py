"""Error responses: JSON `{"detail": ...}` under /api and for probes, an HTML page elsewhere."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

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
    return _page(request, exc.status_code, titles.get(exc.status_code, "Request failed"), str(exc.detail))


async def _on_invalid_request(request: Request, exc: RequestValidationError) -> Response:
    if wants_json(request):
        return await request_validation_exception_handler(request, exc)
    problems = "; ".join(
        f"{err['loc'][-1]}: {err['msg']}" for err in exc.errors()
    )
    return _page(request, 400, "Bad request", problems)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_invalid_request)
