"""Normalising the values found in RMI EMRT/CMRT workbooks (dd-methodology 3.9).

Quirks handled: answers with stray spaces or in another case (the answer spellings themselves are
data: ``answer_sets`` in rules/dd/tables/rmi-templates.yaml); dates typed as text in several
forms or stored as Excel serial numbers; country names that differ from ISO 3166.
Ambiguous numeric dates (``03/04/2025``) are refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

__all__ = [
    "clean",
    "parse_date",
]

_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DMY = re.compile(r"^(\d{1,2})[-\s/.]([A-Za-z]{3,9})[-\s/.,]*(\d{4})$")
_MDY = re.compile(r"^([A-Za-z]{3,9})[-\s.]+(\d{1,2}),?[-\s]+(\d{4})$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_EXCEL_EPOCH = date(1899, 12, 30)


def clean(value: Any) -> str | None:
    """Cell text with spaces collapsed and lower-cased; ``None`` for an empty cell.

    >>> clean("  Yes ")
    'yes'
    >>> clean("Greater  than 90 %")
    'greater than 90 %'
    >>> clean("   ") is None
    True
    """
    if value is None:
        return None
    text = " ".join(str(value).split()).lower()
    return text or None


def parse_date(value: Any) -> date | None:
    """A date from a cell: a date, an Excel serial number or unambiguous text.

    >>> parse_date("17-Oct-2025"), parse_date("2025-10-17"), parse_date("Oct 17, 2025")
    (datetime.date(2025, 10, 17), datetime.date(2025, 10, 17), datetime.date(2025, 10, 17))
    >>> parse_date(45947)
    datetime.date(2025, 10, 17)
    >>> parse_date("03/04/2025") is None
    True
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if match := _ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DMY.match(text):
            month = _MONTHS.get(match[2].lower())
            return date(int(match[3]), month, int(match[1])) if month else None
        if match := _MDY.match(text):
            month = _MONTHS.get(match[1].lower())
            return date(int(match[3]), month, int(match[2])) if month else None
    except ValueError:
        return None
    return None
