"""RMI workbook import with the DD reference tables (the bundled ones by default).

The reader itself is :func:`compliance.intake.rmi.read_rmi_workbook`; it takes the template
layouts as data. This is the DD-level entry point that supplies them.
"""

from __future__ import annotations

from datetime import date

from compliance.dd.rules.references import ReferenceTables, load_reference_tables
from compliance.intake.rmi import ImportResult, read_rmi_workbook

__all__ = ["import_rmi_workbook"]


def import_rmi_workbook(
    data: bytes,
    *,
    name: str | None = None,
    as_of: date | None = None,
    tables: ReferenceTables | None = None,
) -> ImportResult:
    """Build a questionnaire from an RMI EMRT, CMRT or CRT workbook; never raises on bad input.

    Args:
        data: The workbook bytes (.xlsx).
        name: File name, recorded in ``header.template.file``.
        as_of: If given, an effective date after it is an error.
        tables: Reference tables holding the cell maps (default: bundled).
    """
    templates = (tables or load_reference_tables()).rmi
    return read_rmi_workbook(data, name=name, as_of=as_of, templates=templates)
