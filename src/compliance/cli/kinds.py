"""What a file is, at the edge: the core detector plus the repository's file-name convention.

The kind is :func:`compliance.validation.kinds.detect_kind`'s (a workbook's template keyword,
the declared ``$schema``, then the shape), the one detector of every command (``validate``,
``cfp``, ``dd``, ``batch`` and ``--skip-unknown``). The edge adds only what needs a file name:
when the content does not say, a file under a ``submissions/`` or ``questionnaires/`` directory,
or named ``*.submission.json|yaml|yml`` / ``*.questionnaire.json|yaml|yml``, is that kind.

``None`` is a file that is neither a workbook nor readable JSON/YAML and whose name says
nothing: every command checks it (and reports why it cannot be read), so a broken submission is
never skipped as "not a submission".
"""

from __future__ import annotations

import re

from compliance.validation import DocumentFormat, ParseLimits
from compliance.validation.kinds import DocumentKind, detect_data_kind, detect_kind, is_workbook
from compliance.validation.parsing import parse_document

__all__ = ["DocumentKind", "document_kind", "is_questionnaire"]

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


def document_kind(
    label: str, data: bytes, limits: ParseLimits, input_format: DocumentFormat | None = None
) -> DocumentKind | None:
    """The kind of the file ``label`` holding ``data`` (``None``: unreadable, name silent).

    >>> from compliance.validation import DEFAULT_LIMITS
    >>> document_kind("package.json", b'{"name": "web", "version": "1.0.0"}', DEFAULT_LIMITS)
    <DocumentKind.UNKNOWN: 'unknown'>
    >>> document_kind("q.json", b'{"schemaVersion": "1.0.0", "header": {}, "answers": {}}',
    ...               DEFAULT_LIMITS)
    <DocumentKind.QUESTIONNAIRE: 'dd-questionnaire'>
    >>> document_kind("submissions/a.json", b'{"name": "web"}', DEFAULT_LIMITS)
    <DocumentKind.SUBMISSION: 'supplier-submission'>
    >>> document_kind("a.json", b'{', DEFAULT_LIMITS) is None
    True
    """
    if is_workbook(data):
        return detect_kind(data)
    parsed = parse_document(data, name=label, format=input_format, limits=limits)
    if not parsed.ok:
        return _by_name(label)
    kind = detect_data_kind(parsed.data)
    if kind is DocumentKind.UNKNOWN:
        return _by_name(label) or kind
    return kind


def is_questionnaire(kind: DocumentKind | None) -> bool:
    """A DD questionnaire, as JSON/YAML or as the Excel template."""
    return kind is not None and kind.data_kind is DocumentKind.QUESTIONNAIRE
