"""Normalising the values found in RMI EMRT/CMRT workbooks (dd-methodology 3.9).

Quirks handled: answers with stray spaces or in another case; percentages stored as numbers
(``1`` for 100 %); the two spellings of the IPC-1755 survey option; dates typed as text in
several forms or stored as Excel serial numbers; country names that differ from ISO 3166.
Ambiguous numeric dates (``03/04/2025``) are refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

__all__ = [
    "BANDS",
    "clean",
    "parse_date",
    "read_band",
    "read_choice",
    "read_survey_option",
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

BANDS = {
    "100%": 100.0,
    "greater than 90%": 90.0,
    "greater than 75%": 75.0,
    "greater than 50%": 50.0,
    "50% or less": 0.0,
    "none": 0.0,
    "did not survey": 0.0,
}
"""RMI question 5 options and the lower bound each stands for."""


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


def read_choice(value: Any, options: tuple[str, ...]) -> str | None:
    """A data-validation answer matched case- and space-insensitively (``None``: no match)."""
    text = clean(value)
    return text if text in options else None


def read_band(value: Any) -> float | None:
    """Question 5 band as its lower bound; ``1`` (Excel's 100 %) and ``"100 %"`` included.

    >>> read_band(1), read_band(" Greater than 75% "), read_band("DID NOT SURVEY")
    (100.0, 75.0, 0.0)
    >>> read_band(0.9) is None
    True
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return 100.0 if value in (1, 100) else None
    text = clean(value)
    if text is None:
        return None
    return BANDS.get(text.replace(" %", "%"))


def read_survey_option(value: Any) -> str | None:
    """Question E: ``ipc-1755``, ``other`` or ``no`` (both IPC spellings accepted).

    >>> read_survey_option("Yes, in conformance with IPC1755 (e.g. EMRT)")
    'ipc-1755'
    >>> read_survey_option("Yes, in conformance with IPC-1755 [e.g., CMRT]")
    'ipc-1755'
    >>> read_survey_option("Yes, Using Other Format (Describe)")
    'other'
    """
    text = clean(value)
    if text is None:
        return None
    squeezed = re.sub(r"[\s-]", "", text)
    if squeezed.startswith("yes") and "ipc1755" in squeezed:
        return "ipc-1755"
    if squeezed.startswith("yes") and "otherformat" in squeezed:
        return "other"
    if text == "no":
        return "no"
    return None


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
