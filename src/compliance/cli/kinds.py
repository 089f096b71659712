"""What a file is: a supplier submission, a DD questionnaire, or something else (light detection).

:func:`document_kind` is the one place the commands ask; a fuller detector can replace it whole.
The order: the document's ``$schema`` (the published schema ids and file names), then its shape
(the top-level members each kind requires), then the file's name by the repository convention
(a file under a ``submissions/`` or ``questionnaires/`` directory, or named
``*.submission.json|yaml|yml`` / ``*.questionnaire.json|yaml|yml``). A file that is not JSON or
YAML at all is :attr:`DocumentKind.UNPARSED`: every command checks it (and reports why it cannot
be read), so a broken submission is never skipped as "not a submission".
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from compliance.validation import ParseLimits
from compliance.validation.parsing import parse_document

__all__ = ["DocumentKind", "document_kind"]


class DocumentKind(StrEnum):
    """The kinds of file a command can meet."""

    SUBMISSION = "supplier-submission"
    QUESTIONNAIRE = "dd-questionnaire"
    UNPARSED = "unparsed"
    """Not readable as JSON or YAML (checked, so that its parse errors are reported)."""
    OTHER = "other"
    """JSON or YAML, but neither kind (``package.json``, ``.pre-commit-config.yaml`` ...)."""


_SCHEMA_NAMES = {
    "supplier-submission": DocumentKind.SUBMISSION,
    "dd-questionnaire": DocumentKind.QUESTIONNAIRE,
}
_SUBMISSION_MEMBERS = frozenset(
    {"battery", "billOfMaterials", "energyUse", "manufacturer", "plant"}
)
_QUESTIONNAIRE_MEMBERS = frozenset({"questionnaireId", "header", "answers", "materials"})
_BY_NAME = re.compile(
    r"(?:^|[/\\])(?:(?P<sub>submissions)|(?P<q>questionnaires))[/\\]"
    r"|\.(?:(?P<sub2>submission)|(?P<q2>questionnaire))\.(?:json|ya?ml)$",
    re.IGNORECASE,
)


def _by_name(label: str) -> DocumentKind | None:
    kind = None
    for match in _BY_NAME.finditer(label):  # the innermost directory or the suffix decides
        sub = match.group("sub") or match.group("sub2")
        kind = DocumentKind.SUBMISSION if sub else DocumentKind.QUESTIONNAIRE
    return kind


def _by_content(data: Any) -> DocumentKind | None:
    if not isinstance(data, dict):
        return None
    schema = data.get("$schema")
    if isinstance(schema, str):
        for name, kind in _SCHEMA_NAMES.items():
            if name in schema:
                return kind
    keys = data.keys()
    if "schemaVersion" not in keys:
        return None
    questionnaire = len(_QUESTIONNAIRE_MEMBERS & keys)
    submission = len(_SUBMISSION_MEMBERS & keys)
    if questionnaire > submission:
        return DocumentKind.QUESTIONNAIRE
    if submission:
        return DocumentKind.SUBMISSION
    return None


def document_kind(label: str, data: bytes, limits: ParseLimits) -> DocumentKind:
    """The kind of the file ``label`` holding ``data``.

    >>> from compliance.validation import DEFAULT_LIMITS
    >>> document_kind("package.json", b'{"name": "web", "version": "1.0.0"}', DEFAULT_LIMITS)
    <DocumentKind.OTHER: 'other'>
    >>> document_kind("q.json", b'{"schemaVersion": "1.0.0", "header": {}}', DEFAULT_LIMITS)
    <DocumentKind.QUESTIONNAIRE: 'dd-questionnaire'>
    >>> document_kind("submissions/a.json", b'{"name": "web"}', DEFAULT_LIMITS)
    <DocumentKind.SUBMISSION: 'supplier-submission'>
    """
    parsed = parse_document(data, name=label, limits=limits)
    if not parsed.ok:
        return _by_name(label) or DocumentKind.UNPARSED
    return _by_content(parsed.data) or _by_name(label) or DocumentKind.OTHER
