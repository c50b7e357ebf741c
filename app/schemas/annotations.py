"""What clients send for an annotation (W3C Web Annotation JSON), parsed into a draft.

Server-owned fields a client may echo back (`@context`, `id`, `type`, `created`, `creator`,
...) are accepted and ignored, so an annotation read from the API can be sent back as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.db.values import Visibility
from app.schemas.client_json import check_client_json

MAX_TAGS = 20
MAX_COMMENT = 20_000
MAX_QUOTE = 4_000
MAX_OFFSET = 10_000_000  # a character offset into a summary (the longest is ~60,000 characters)
MAX_NAME = 100  # a W3C type, format, purpose or motivation
_TAG = re.compile(r"^[a-z0-9][a-z0-9+.-]{0,49}$")
_ANNOTATION_IRI = re.compile(r"(?:^|/annotations/)([0-9a-f]{32})/?$")



class InvalidAnnotation(ValueError):
    """The request's annotation is malformed; the message says what to fix (HTTP 400/422)."""


Iri = Annotated[str, Field(max_length=500)]  # a parent annotation's IRI, as a reply's target


class SelectorIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str = Field(max_length=MAX_NAME)
    exact: str | None = Field(None, max_length=MAX_QUOTE)
    prefix: str | None = Field(None, max_length=200)
    suffix: str | None = Field(None, max_length=200)
    start: int | None = Field(None, ge=0, le=MAX_OFFSET)
    end: int | None = Field(None, ge=0, le=MAX_OFFSET)


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    source: str = Field(max_length=500)
    selector: list[SelectorIn] | SelectorIn | None = None


class BodyIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str = Field("TextualBody", max_length=MAX_NAME)
    value: str = Field("", max_length=MAX_COMMENT)
    format: str | None = Field(None, max_length=MAX_NAME)
    purpose: str | None = Field(None, max_length=MAX_NAME)


Bodies = Annotated[list[BodyIn], Field(max_length=MAX_TAGS + 10)]  # the tags and a few comment bodies


class AnnotationIn(BaseModel):
    """POST and PUT body. `target` is a paper passage, or the parent's IRI for a reply."""

    model_config = ConfigDict(extra="ignore")
    motivation: str | None = Field(None, max_length=MAX_NAME)
    body: Bodies | BodyIn | None = None
    target: TargetIn | Iri | list[TargetIn | Iri]
    visibility: Visibility = Visibility.PRIVATE

    _clean = model_validator(mode="before")(check_client_json)

    @model_validator(mode="after")
    def _one_target(self) -> AnnotationIn:
        if isinstance(self.target, list):
            if len(self.target) != 1:
                raise ValueError("an annotation has exactly one target")
            self.target = self.target[0]
        return self


class AnnotationPatch(BaseModel):
    """PATCH body: only what may change after creation."""

    model_config = ConfigDict(extra="ignore")
    body: Bodies | BodyIn | None = None
    visibility: Visibility | None = None

    _clean = model_validator(mode="before")(check_client_json)


@dataclass(frozen=True)
class Passage:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class AnnotationDraft:
    comment: str
    tags: tuple[str, ...]
    visibility: Visibility
    paper_ref: str | None = None  # slug or page URL, for a passage annotation
    passage: Passage | None = None
    parent_id: str | None = None  # for a reply
    motivation: str = field(default="")


def parse_bodies(body: list[BodyIn] | BodyIn | None) -> tuple[str, tuple[str, ...]]:
    """(markdown comment, tags) from W3C bodies: tagging bodies are tags, the rest comment."""
    bodies = body if isinstance(body, list) else [body] if body else []
    comments, tags = [], []
    for item in bodies:
        if item.type != "TextualBody":
            raise InvalidAnnotation(f"body type {item.type!r} is not supported; use TextualBody")
        if item.purpose == "tagging":
            tags.append(normalize_tag(item.value))
        elif item.value.strip():
            comments.append(item.value)
    if len(tags) > MAX_TAGS:
        raise InvalidAnnotation(f"at most {MAX_TAGS} tags")
    return "\n\n".join(comments), tuple(dict.fromkeys(tags))


def normalize_tag(raw: str) -> str:
    tag = "-".join(raw.strip().lower().split())
    if not _TAG.match(tag):
        raise InvalidAnnotation(f"tag {raw!r}: use 1-50 lowercase letters, digits, '-', '+' or '.'")
    return tag


def draft_from(payload: AnnotationIn) -> AnnotationDraft:
    comment, tags = parse_bodies(payload.body)
    target = payload.target
    if isinstance(target, str):
        parent = parent_id_from(target)
        if parent is None:
            raise InvalidAnnotation("a target given as a string must be an annotation's IRI (a reply)")
        return _with_motivation(AnnotationDraft(comment, tags, payload.visibility, parent_id=parent), payload)
    if (parent := parent_id_from(target.source)) is not None:
        return _with_motivation(AnnotationDraft(comment, tags, payload.visibility, parent_id=parent), payload)
    return _with_motivation(
        AnnotationDraft(comment, tags, payload.visibility, paper_ref=target.source, passage=_passage(target)),
        payload,
    )


def _passage(target: TargetIn) -> Passage:
    selectors = target.selector if isinstance(target.selector, list) else [target.selector] if target.selector else []
    quote = next((s for s in selectors if s.type == "TextQuoteSelector"), None)
    position = next((s for s in selectors if s.type == "TextPositionSelector"), None)
    if quote is None or not (quote.exact or "").strip():
        raise InvalidAnnotation("target.selector needs a TextQuoteSelector with a non-empty `exact`")
    start = end = None
    if position is not None and position.start is not None and position.end is not None:
        if position.end <= position.start:
            raise InvalidAnnotation("TextPositionSelector needs start < end")
        start, end = position.start, position.end
    return Passage(quote.exact, quote.prefix or "", quote.suffix or "", start, end)


def _with_motivation(draft: AnnotationDraft, payload: AnnotationIn) -> AnnotationDraft:
    if draft.parent_id:
        motivation = "replying"
        if not draft.comment.strip():
            raise InvalidAnnotation("a reply needs some text")
    elif draft.comment.strip():
        motivation = "commenting"
    elif draft.tags:
        motivation = "tagging"
    else:
        motivation = "highlighting"
    allowed = {"highlighting", "commenting", "tagging", "replying"}
    if payload.motivation is not None and payload.motivation not in allowed:
        raise InvalidAnnotation(f"motivation must be one of {sorted(allowed)}")
    return AnnotationDraft(**{**draft.__dict__, "motivation": motivation})


def parent_id_from(iri: str) -> str | None:
    match = _ANNOTATION_IRI.search(iri.strip())
    return match.group(1) if match else None


def paper_slug_from(ref: str) -> str:
    """`http://host/papers/dcgan#x`, `/papers/dcgan` or `dcgan` -> `dcgan`."""
    path = ref.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return path.rsplit("/papers/", 1)[-1] if "/papers/" in path else path.rsplit("/", 1)[-1]


__all__ = ["AnnotationIn", "AnnotationPatch", "AnnotationDraft", "InvalidAnnotation", "ValidationError"]
