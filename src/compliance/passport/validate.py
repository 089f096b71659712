"""Validate a stored passport (or sealed passport document) against its published schema.

``compliance validate`` dispatches here when the document kind detector
(:mod:`compliance.validation.kinds`) finds a passport: the same parse, JSON Schema and model
layers as a submission, issues located by line and column. The integrity of a sealed document
(digest, signature) is ``compliance passport verify``'s job.
"""

from __future__ import annotations

from pydantic import BaseModel

from compliance.passport.integrity import PassportDocument
from compliance.passport.model import PASSPORT_SCHEMA_ID, Passport
from compliance.validation.documents import load_document
from compliance.validation.kinds import DocumentKind
from compliance.validation.report import ValidationReport

__all__ = ["validate_passport"]

_SCHEMAS: dict[DocumentKind, tuple[str, type[BaseModel], str]] = {
    DocumentKind.PASSPORT: ("schemas/passport/1.0.0/schema.json", Passport, PASSPORT_SCHEMA_ID),
    DocumentKind.PASSPORT_DOCUMENT: (
        "schemas/passport-document/1.0.0/schema.json",
        PassportDocument,
        "urn:compliance:schema:passport-document:1.0.0",
    ),
}


def validate_passport(data: bytes, *, name: str, kind: DocumentKind) -> ValidationReport:
    """Schema and model issues of a passport (``kind``: passport or passport-document)."""
    path, model, schema_id = _SCHEMAS[kind]
    _, issues = load_document(data, name=name, model=model, schema=path)
    return ValidationReport(tuple(issues), kind.value, schema_id, None, name)
