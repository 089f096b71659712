"""What a document is: submission, DD questionnaire, passport, RMI workbook, template, PACT.

One detector for every command (issue 17 item 2): a command given a document of another kind
reports one located issue (``document.wrong-kind``: "this is a DD questionnaire; use
``compliance dd``") instead of a pile of schema errors, and ``compliance validate`` dispatches by
kind.

Detection order:

1. a workbook (ZIP bytes): the document-kind keyword our Excel templates carry in their
   properties (``docProps/core.xml``), else an RMI reporting template (a ``Declaration`` sheet);
2. the declared ``$schema`` (a URL, a relative path or our ``urn:compliance:schema:...`` id)
   naming one of the published schemas;
3. the shape: the required top-level members of each kind (a submission has ``manufacturer``,
   ``plant`` and ``battery``; a questionnaire ``header`` and ``answers``; a passport
   ``passportIdentifier`` and ``provenance``, a sealed passport document ``passport``, ``version``
   and ``digest``; a PACT (v2, v3) or Catena-X (7) product footprint ``specVersion`` and ``pcf``,
   Catena-X 9 ``companyAndProductInformation`` and ``productLifeCycleStagesAndEmissions``; a list
   of footprints or the PACT API's ``{"data": [...]}``).

Pure: reads the bytes it is given, nothing else.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from compliance.errors import Issue, Layer, Severity

__all__ = [
    "TEMPLATE_KEYWORD_PREFIX",
    "DocumentKind",
    "detect_data_kind",
    "detect_kind",
    "is_workbook",
    "wrong_kind_issue",
]

TEMPLATE_KEYWORD_PREFIX = "urn:compliance:template:"
"""Keyword our Excel templates carry in their core properties, followed by the kind value."""

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocumentKind(StrEnum):
    """The document kinds the engine recognises."""

    SUBMISSION = "supplier-submission"
    QUESTIONNAIRE = "dd-questionnaire"
    PASSPORT = "passport"
    PASSPORT_DOCUMENT = "passport-document"
    RMI_WORKBOOK = "rmi-workbook"
    SUBMISSION_WORKBOOK = "supplier-submission-xlsx"
    QUESTIONNAIRE_WORKBOOK = "dd-questionnaire-xlsx"
    PACT_FOOTPRINT = "pact-footprint"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """What a person calls it ("a DD questionnaire")."""
        return _LABELS[self]

    @property
    def command(self) -> str | None:
        """The command that reads this kind (``None``: none does)."""
        return _COMMANDS[self]

    @property
    def data_kind(self) -> DocumentKind:
        """The JSON kind a workbook form carries (a kind itself otherwise)."""
        return _WORKBOOK_DATA.get(self, self)


_LABELS = {
    DocumentKind.SUBMISSION: "a supplier submission",
    DocumentKind.QUESTIONNAIRE: "a DD questionnaire",
    DocumentKind.PASSPORT: "a battery passport",
    DocumentKind.PASSPORT_DOCUMENT: "a sealed battery passport document",
    DocumentKind.RMI_WORKBOOK: "an RMI reporting template (EMRT/CMRT/CRT workbook)",
    DocumentKind.SUBMISSION_WORKBOOK: "a supplier-submission Excel workbook",
    DocumentKind.QUESTIONNAIRE_WORKBOOK: "a DD questionnaire Excel workbook",
    DocumentKind.PACT_FOOTPRINT: "a PACT / Catena-X product carbon footprint",
    DocumentKind.UNKNOWN: "not a document kind this engine knows",
}
_COMMANDS: dict[DocumentKind, str | None] = {
    DocumentKind.SUBMISSION: "compliance cfp",
    DocumentKind.QUESTIONNAIRE: "compliance dd",
    DocumentKind.PASSPORT: "compliance validate",
    DocumentKind.PASSPORT_DOCUMENT: "compliance passport verify",
    DocumentKind.RMI_WORKBOOK: "compliance dd import",
    DocumentKind.SUBMISSION_WORKBOOK: "compliance cfp",
    DocumentKind.QUESTIONNAIRE_WORKBOOK: "compliance dd",
    DocumentKind.PACT_FOOTPRINT: None,
    DocumentKind.UNKNOWN: None,
}
_WORKBOOK_DATA = {
    DocumentKind.SUBMISSION_WORKBOOK: DocumentKind.SUBMISSION,
    DocumentKind.QUESTIONNAIRE_WORKBOOK: DocumentKind.QUESTIONNAIRE,
}

# `$schema` values: our ids (urn:compliance:schema:<kind>:<version>) and paths or URLs of the
# published files (schemas/<kind>/<version>/schema.json).
_SCHEMA_NAMES = (
    ("passport-document", DocumentKind.PASSPORT_DOCUMENT),
    ("supplier-submission", DocumentKind.SUBMISSION),
    ("dd-questionnaire", DocumentKind.QUESTIONNAIRE),
    ("passport", DocumentKind.PASSPORT),
)
_SCHEMA_RE = re.compile(
    r"(?:urn:compliance:schema:|(?:^|/))"
    r"(passport-document|supplier-submission|dd-questionnaire|passport)[:/]"
)

_SHAPES: tuple[tuple[frozenset[str], DocumentKind], ...] = (
    (frozenset({"passport", "version", "digest"}), DocumentKind.PASSPORT_DOCUMENT),
    (frozenset({"passportIdentifier", "provenance"}), DocumentKind.PASSPORT),
    (frozenset({"header", "answers"}), DocumentKind.QUESTIONNAIRE),
    (frozenset({"manufacturer", "plant", "battery"}), DocumentKind.SUBMISSION),
    (frozenset({"specVersion", "pcf"}), DocumentKind.PACT_FOOTPRINT),
    # Catena-X PCF 9 (io.catenax.pcf:9.0.0): the PACT data model regrouped.
    (
        frozenset({"companyAndProductInformation", "productLifeCycleStagesAndEmissions"}),
        DocumentKind.PACT_FOOTPRINT,
    ),
)
# Weaker signs, used when no full shape matches (a half-written document still says what it is).
_HINTS: tuple[tuple[str, DocumentKind], ...] = (
    ("answers", DocumentKind.QUESTIONNAIRE),
    ("questionnaireId", DocumentKind.QUESTIONNAIRE),
    ("passportIdentifier", DocumentKind.PASSPORT),
    ("billOfMaterials", DocumentKind.SUBMISSION),
    ("battery", DocumentKind.SUBMISSION),
    ("pcf", DocumentKind.PACT_FOOTPRINT),
)


def is_workbook(data: bytes) -> bool:
    """True for ZIP (``.xlsx``) or OLE (``.xls``, encrypted workbook) bytes."""
    return data.startswith((_ZIP_MAGIC, _CFB_MAGIC))


def _workbook_kind(data: bytes) -> DocumentKind:
    """Kind of a workbook from its core properties and sheet list (nothing inflated beyond)."""
    if data.startswith(_CFB_MAGIC):
        return DocumentKind.UNKNOWN
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            core = (
                _small_entry(archive, "docProps/core.xml") if "docProps/core.xml" in names else b""
            )
            book = _small_entry(archive, "xl/workbook.xml") if "xl/workbook.xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, zlib.error):
        return DocumentKind.UNKNOWN
    found = re.search(rb"urn:compliance:template:([a-z-]+)", core)
    if found is not None:
        value = found[1].decode("ascii")
        for kind in (DocumentKind.SUBMISSION_WORKBOOK, DocumentKind.QUESTIONNAIRE_WORKBOOK):
            if value == kind.value:
                return kind
    if re.search(rb'<sheet [^>]*name="Declaration"', book):
        return DocumentKind.RMI_WORKBOOK
    return DocumentKind.UNKNOWN


def _small_entry(archive: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> bytes:
    """An entry's bytes when it inflates to at most ``limit`` (else nothing: no zip bomb)."""
    if archive.getinfo(name).file_size > limit:
        return b""
    # zipfile stops inflating at the declared size (then fails the CRC): bounded by ``limit``.
    return archive.read(name)


def detect_data_kind(data: Any) -> DocumentKind:
    """Kind of parsed JSON/YAML data: by ``$schema``, then by shape.

    >>> detect_data_kind({"$schema": "https://x.org/schemas/dd-questionnaire/1.0.0/schema.json"})
    <DocumentKind.QUESTIONNAIRE: 'dd-questionnaire'>
    >>> detect_data_kind({"schemaVersion": "1.0.0", "manufacturer": {}, "plant": {}, "battery": {}})
    <DocumentKind.SUBMISSION: 'supplier-submission'>
    >>> detect_data_kind([{"specVersion": "2.0.0", "pcf": {}}]).value
    'pact-footprint'
    >>> detect_data_kind({"a": 1}).value
    'unknown'
    """
    if isinstance(data, list):
        # A PACT list of footprints, or the PACT API's {"data": [...]} (below).
        items = [item for item in data[:5] if isinstance(item, Mapping)]
        if items and all(detect_data_kind(item) is DocumentKind.PACT_FOOTPRINT for item in items):
            return DocumentKind.PACT_FOOTPRINT
        return DocumentKind.UNKNOWN
    if not isinstance(data, Mapping):
        return DocumentKind.UNKNOWN
    declared = data.get("$schema")
    if isinstance(declared, str):
        match = _SCHEMA_RE.search(declared)
        if match is not None:
            return dict(_SCHEMA_NAMES)[match[1]]
    keys = set(data)
    for shape, kind in _SHAPES:
        if shape <= keys:
            return kind
    if isinstance(data.get("data"), list) and data["data"]:
        return detect_data_kind(data["data"])
    for key, kind in _HINTS:
        if key in keys:
            return kind
    return DocumentKind.UNKNOWN


def detect_kind(data: bytes | Mapping[str, Any], *, parsed: Any = None) -> DocumentKind:
    """Kind of a document given as bytes (a workbook, JSON or YAML) or as parsed data.

    Args:
        data: The raw bytes, or the parsed mapping.
        parsed: The parsed data of text bytes when the caller already has it; otherwise text is
            parsed here (JSON or YAML, with the default limits).
    """
    if isinstance(data, bytes):
        if is_workbook(data):
            return _workbook_kind(data)
        if parsed is None:
            from compliance.validation.parsing import parse_document

            result = parse_document(data)
            if not result.ok:
                return DocumentKind.UNKNOWN
            parsed = result.data
        return detect_data_kind(parsed)
    return detect_data_kind(data)


def wrong_kind_issue(found: DocumentKind, expected: DocumentKind) -> Issue:
    """The one issue a command reports for a document of another kind.

    >>> wrong_kind_issue(DocumentKind.QUESTIONNAIRE, DocumentKind.SUBMISSION).message
    'this is a DD questionnaire, not a supplier submission; use `compliance dd`'
    """
    use = f"; use `{found.command}`" if found.command else ""
    if found is DocumentKind.UNKNOWN:
        message = f"this is not {expected.label}: neither its $schema nor its shape says so"
    else:
        message = f"this is {found.label}, not {expected.label}{use}"
    return Issue(
        "document.wrong-kind",
        "",
        message,
        Severity.ERROR,
        Layer.SCHEMA,
        context={"kind": found.value, "expected": expected.value},
    )
