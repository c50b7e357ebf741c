"""Shared query-parameter types."""

from typing import Annotated

from fastapi import Query
from pydantic import BeforeValidator, Field


def blank_is_none(value: object) -> object:
    # An HTML form sends `year=` for "any year"; that means no filter, not a bad integer.
    return None if value == "" else value


PageNumber = Annotated[int, Query(ge=1, le=10_000, description="1-based page number")]
PerPage = Annotated[int, Query(ge=1, le=100, description="Items per page")]
Year = Annotated[int, Field(ge=1900, le=2100)]
YearFilter = Annotated[Year | None, BeforeValidator(blank_is_none), Query(description="Publication year")]

