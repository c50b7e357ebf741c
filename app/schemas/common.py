"""Shared query-parameter and output types."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator, Field


def blank_is_none(value: object) -> object:
    # An HTML form sends `year=` for "any year"; that means no filter, not a bad integer.
    return None if value == "" else value


PageNumber = Annotated[int, Query(ge=1, le=10_000, description="1-based page number")]
PerPage = Annotated[int, Query(ge=1, le=100, description="Items per page")]
Year = Annotated[int, Field(ge=1900, le=2100)]
YearFilter = Annotated[Year | None, BeforeValidator(blank_is_none), Query(description="Publication year")]



def _in_utc(value: datetime) -> datetime:
    # The database stores UTC without a zone (app.clock.utcnow); an answer names it, so a
    # client reads an RFC 3339 instant ("...Z"), as the OpenAPI `date-time` format promises.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_in_utc)]
