"""Shared pieces of the routes: paging parameters, 404 for unseen tenants, request bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ConfigDict

from compliance.service.auth import Principal
from compliance.service.problems import Problem

__all__ = [
    "Limit",
    "Offset",
    "StrictBody",
    "not_found",
    "visible",
]

Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]
Limit = Annotated[int | None, Query(ge=1, le=1000, description="Page size (default 50).")]


class StrictBody(BaseModel):
    """A JSON request body: unknown fields are refused (nothing sent is silently ignored)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def not_found(what: str, ident: str) -> Problem:
    """The 404 problem (also for another tenant's ids: they are not revealed)."""
    return Problem(404, f"no {what} {ident!r}")


def visible(principal: Principal, org_id: str, what: str, ident: str) -> None:
    """404 unless the caller may read organisation ``org_id``."""
    if not principal.can_read(org_id):
        raise not_found(what, ident)
