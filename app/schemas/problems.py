"""What the API answers when it refuses, for the OpenAPI document: every 4xx body is
`{"detail": ...}`, a sentence, or (422 from input validation) a list of short problem items
(`app.errors.validation_problems`). Each route lists the refusals it can give (`problems(...)`),
so the document promises what the code sends and nothing else.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ProblemItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str
    input: Any = None  # an excerpt of what was sent, at most 80 characters


class Problem(BaseModel):
    detail: str | list[ProblemItem]


_WHY = {
    400: "The input is well-formed but unusable, or a query parameter the route does not take",
    401: "No credentials, or a wrong or revoked token",
    403: "Not allowed: someone else's annotation, an admin-only action, or a missing CSRF token",
    404: "No such thing, or nothing the caller may see",
    412: "If-Match names an older version: someone changed it since",
    413: "The body or an upload is larger than the limit",
    415: "An upload is not a format the demo reads",
    422: "The input does not fit the schema (the items name each problem) or the demo's inputs",
    429: "Too many requests: wait Retry-After seconds",
    503: "The database or the job queue cannot be reached: retry after Retry-After seconds",
    507: "The server has no disk space left for the upload; nothing was stored",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem, "description": _WHY[code]} for code in codes}


def jsonld_content(description: str) -> dict[str, Any]:
    """A W3C JSON-LD response (application/ld+json with the anno.jsonld profile)."""
    return {"description": description, "content": {"application/ld+json": {"schema": {"type": "object"}}}}
