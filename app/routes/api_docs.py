"""Swagger UI for /openapi.json, served from vendored files (FastAPI's default uses a CDN and
an inline script, which the site's Content-Security-Policy refuses), under a bar back to the site;
and the OpenAPI document itself, with one operation per demo.

FastAPI documents `POST /api/v1/demos/{demo}` once, with no body, since the route reads its
inputs itself (JSON or a form, `deps.SubmissionDep`). The document a client sees instead has
`POST /api/v1/demos/<name>` for each demo the server runs, whose body is that demo's declared
inputs (`spec.inputs`): numbers with their ranges, choices as enums, uploads as binary parts.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from models.spec import ChoiceInput, DemoSpec, FileInput, Input, NumberInput

router = APIRouter(include_in_schema=False)
_SWAGGER = "/static/vendor/swagger-ui-5.35.0"
GENERIC_DEMO_PATH = "/api/v1/demos/{demo}"


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, "api_docs.html", {"swagger": _SWAGGER})


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """`app.openapi`: built once, then served from app.openapi_schema."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        generic = document["paths"].pop(GENERIC_DEMO_PATH)["post"]
        for spec in app.state.demos:
            document["paths"][f"/api/v1/demos/{spec.name}"] = {"post": demo_operation(generic, spec)}
        app.openapi_schema = document
    return app.openapi_schema


def demo_operation(generic: dict[str, Any], spec: DemoSpec) -> dict[str, Any]:
    operation = deepcopy(generic)
    operation["operationId"] = f"run_{spec.name.replace('-', '_')}"
    operation["summary"] = f"Run {spec.title}: 202 with the job, or the result with ?wait="
    operation["parameters"] = [p for p in operation.get("parameters", []) if p["name"] != "demo"]
    values = {name: _value_schema(declared) for name, declared in spec.inputs.items()
              if not isinstance(declared, FileInput)}
    form = {name: ({"type": "string", "format": "binary", "description": declared.description}
                   if isinstance(declared, FileInput) else _value_schema(declared))
            for name, declared in spec.inputs.items()}
    required_uploads = [name for name, declared in spec.inputs.items()
                        if isinstance(declared, FileInput) and declared.required]
    content: dict[str, Any] = {"multipart/form-data": {"schema": {
        "type": "object", "properties": form, "additionalProperties": False,
        **({"required": required_uploads} if required_uploads else {})}}}
    if not required_uploads:  # a demo that needs a file takes a form; the others JSON too
        content["application/json"] = {"schema": {"type": "object", "properties": values,
                                                  "additionalProperties": False}}
    operation["requestBody"] = {"required": False, "content": content, "description": (
        "The demo's inputs: numbers and choices have defaults; uploads marked required must be sent.")}
    return operation


def _value_schema(declared: Input) -> dict[str, Any]:
    if isinstance(declared, NumberInput):
        return {"type": "integer" if declared.integer else "number", "minimum": declared.minimum,
                "maximum": declared.maximum, "default": declared.default, "description": declared.description}
    if isinstance(declared, ChoiceInput):
        return {"type": "string", "enum": list(declared.choices), "default": declared.default,
                "description": declared.description}
    return {"description": declared.description}  # a ValueInput: the demo's own check reads it
