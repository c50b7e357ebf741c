"""Swagger UI for /openapi.json, served from vendored files (FastAPI's default uses a CDN and
an inline script, which the site's Content-Security-Policy refuses), under a bar back to the site."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
_SWAGGER = "/static/vendor/swagger-ui-5.35.0"


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, "api_docs.html", {"swagger": _SWAGGER})
