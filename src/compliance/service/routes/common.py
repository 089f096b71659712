"""Shared pieces of the routes: paging parameters, 404 for unseen tenants, request bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, field_validator

from compliance.service.auth import Principal
from compliance.service.problems import Problem, request_issue

__all__ = [
    "Limit",
    "Offset",
    "StrictBody",
    "known_query",
    "not_found",
    "visible",
]

Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]
Limit = Annotated[int | None, Query(ge=1, le=1000, description="Page size (default 50).")]


class StrictBody(BaseModel):
    """A JSON request body: unknown fields are refused (nothing sent is silently ignored).

    No text field may hold a NUL character (PostgreSQL text cannot store it).
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("NUL characters are not allowed")
        return value


def not_found(what: str, ident: str) -> Problem:
    """The 404 problem (also for another tenant's ids: they are not revealed)."""
    return Problem(404, f"no {what} {ident!r}")


def visible(principal: Principal, org_id: str, what: str, ident: str) -> None:
    """404 unless the caller may read organisation ``org_id``."""
    if not principal.can_read(org_id):
        raise not_found(what, ident)


def _declared(dependant: Dependant) -> set[str]:
    names = {str(f.alias) for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _declared(sub)
    return names


_DECLARED: dict[int, frozenset[str]] = {}


async def known_query(request: Request) -> None:
    """Dependency of the API routes: an unknown query parameter is a 422 problem, not ignored.

    (A misspelt ``reject_invalid`` must not silently store an invalid document.)
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _DECLARED.get(id(route))
    if declared is None:
        declared = _DECLARED.setdefault(id(route), frozenset(_declared(route.dependant)))
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        raise Problem(
            422,
            f"unknown query parameter(s) {', '.join(unknown)}; this operation takes: {allowed}",
            issues=[request_issue(["query", name], "unknown parameter") for name in unknown],
        )
