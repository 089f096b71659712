"""RMI EMRT 2.x / CMRT 6.x workbook -> DD questionnaire (pre-filled; the rest is asked natively).

Cells are read by position from the cell map of the detected template version
(``rules/dd/tables/rmi-templates.yaml``), never by label; the mineral of each question row is read
from the row. Mapping (dd-methodology 6.10, with conservative choices noted in rules/dd/README.md):

* Q1 -> presence (S-01); Q3 -> M2-04; Q4 -> 100 % recycled (S-05); Q5 (per mineral) -> M2-03
  (the lowest band's lower bound); Q6 'Yes' -> M2-01 = 100, 'No' -> 0 (lower bound);
* A -> M1-01; B -> M1-02 with the URL (comment column) as policy evidence; D -> M2-06 (L1 at most:
  a yes/no never earns full credit); F -> M2-08 (L1 at most); G -> M3-06; an EMRT 2.x is itself
  downstream sharing -> M5-03 'emrt-2';
* Smelter List -> processors ('Smelter Not Yet Identified' rows unidentified); Mine List -> mines;
  Product List -> scope products.

Everything else (Annex X category assessments, grievance mechanism, verification, reporting) is
left unanswered: the catalogue asks it natively. Problems are issues located at ``/<sheet>/<cell>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from compliance.dd.references import ReferenceTables, load_reference_tables
from compliance.dd.rmi_values import clean, parse_date, read_band, read_choice, read_survey_option
from compliance.dd.rmi_workbook import TemplateInfo, cell_issue, detect_template, open_workbook
from compliance.errors import Issue, Layer, Severity
from compliance.models._iso3166 import COUNTRIES
from compliance.models.dd_tables import RmiCellMap
from compliance.models.questionnaire import QUESTIONNAIRE_SCHEMA_VERSION, DdQuestionnaire

__all__ = ["ImportResult", "import_rmi_workbook"]

YNU = ("yes", "no", "unknown")
_Q1 = ("yes", "no", "unknown", "not declaring", "not applicable for this declaration")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"https?://\S+")
_ISO_NAMES = {name.lower(): code for code, name in COUNTRIES.items()}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The questionnaire built from a workbook (``None`` on errors) and every issue."""

    document: dict[str, Any] | None
    issues: tuple[Issue, ...]
    template: str | None

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


class _Reader:
    def __init__(self, book: Workbook, tables: ReferenceTables, cells: RmiCellMap) -> None:
        self.book = book
        self.tables = tables
        self.cells = cells
        self.issues: list[Issue] = []
        self.declaration: Worksheet = book["Declaration"]

    def warn(self, code: str, sheet: str, cell: str, message: str) -> None:
        self.issues.append(cell_issue(code, sheet, cell, message, Severity.WARNING))

    def error(self, code: str, sheet: str, cell: str, message: str) -> None:
        self.issues.append(cell_issue(code, sheet, cell, message))

    def text(self, cell: str) -> str | None:
        value = self.declaration[cell].value
        if value is None:
            return None
        text = " ".join(str(value).split())
        return text or None

    def header_text(self, field: str, *, required: bool) -> str | None:
        cell = self.cells.header.get(field)
        value = self.text(cell) if cell else None
        if value is None and required and cell:
            self.error(
                "rmi.required-cell", "Declaration", cell, f"{field.replace('_', ' ')} is required"
            )
        return value

    def choice(self, cell: str, options: tuple[str, ...], label: str) -> str | None:
        raw = self.declaration[cell].value
        if clean(raw) is None:
            return None
        value = read_choice(raw, options)
        if value is None:
            self.error(
                "rmi.unknown-value",
                "Declaration",
                cell,
                f"{label}: {raw!r} is not one of the template's answers ({', '.join(options)})",
            )
        return value

    def mineral(self, row: int) -> str | None:
        for column in ("B", "C"):
            name = clean(self.declaration[f"{column}{row}"].value)
            if name is None:
                continue
            found = self.tables.rmi.mineral_names.get(name.strip(" *:"))
            if found is None:
                self.warn(
                    "rmi.unknown-mineral",
                    "Declaration",
                    f"{column}{row}",
                    f"unknown mineral {name!r}",
                )
                return None
            return None if found == "ignored" else found
        return None

    def country(self, sheet: str, cell: str, value: Any) -> str | None:
        text = clean(value)
        if text is None or text in ("unknown", "n/a", "recycled", "scrap"):
            return None
        if len(text) == 2 and text.upper() in COUNTRIES:
            return text.upper()
        code = self.tables.rmi.country_names.get(text) or _ISO_NAMES.get(text)
        if code is None:
            self.warn("rmi.unknown-country", sheet, cell, f"unknown country {value!r}; left out")
        return code


def _email(reader: _Reader, field: str) -> str | None:
    value = reader.header_text(field, required=False)
    if value is not None and not _EMAIL.match(value):
        cell = reader.cells.header[field]
        reader.warn("rmi.invalid-email", "Declaration", cell, f"{value!r} is not an e-mail address")
        return None
    return value


def _header(reader: _Reader, info: TemplateInfo, name: str | None) -> dict[str, Any] | None:
    company = reader.header_text("company_name", required=True)
    authorizer = reader.header_text("authorizer", required=True)
    cell = reader.cells.header["effective_date"]
    raw_date = reader.declaration[cell].value
    effective = parse_date(raw_date)
    if effective is None:
        if raw_date is None:
            reader.error("rmi.required-cell", "Declaration", cell, "effective date is required")
        else:
            reader.error(
                "rmi.date",
                "Declaration",
                cell,
                f"{raw_date!r} is not a date (use DD-MMM-YYYY, e.g. 17-Oct-2025)",
            )
    if company is None or authorizer is None or effective is None:
        return None
    contact_name = reader.header_text("contact_name", required=False)
    contact: dict[str, Any] | None = None
    if contact_name:
        contact = {"name": contact_name}
        if email := _email(reader, "contact_email"):
            contact["email"] = email
        if phone := reader.header_text("contact_phone", required=False):
            contact["phone"] = phone[:60]
    person: dict[str, Any] = {"name": authorizer}
    if title := reader.header_text("authorizer_title", required=False):
        person["title"] = title
    if email := _email(reader, "authorizer_email"):
        person["email"] = email
    header: dict[str, Any] = {
        "supplier": {"name": company[:300]},
        "roles": ["trader"],
        "effectiveDate": effective.isoformat(),
        "authorizer": person,
        "template": {
            "kind": info.kind,
            "version": info.version,
            **({"file": name} if name else {}),
        },
    }
    if contact:
        header["contact"] = contact
    return header


def _scope(reader: _Reader, products: list[dict[str, Any]]) -> dict[str, Any] | None:
    scope = clean(reader.header_text("scope", required=False))
    if scope is None:
        return None
    kind = {"a": "company", "b": "products", "c": "user-defined"}.get(scope[:1])
    if kind is None:
        reader.warn(
            "rmi.unknown-value", "Declaration", reader.cells.header["scope"], "unknown scope"
        )
        return None
    result: dict[str, Any] = {"kind": kind}
    if description := reader.header_text("scope_description", required=False):
        result["description"] = description[:4000]
    if kind == "products" and products:
        result["products"] = products
    return result


def _rows(reader: _Reader, first: int, last: int) -> dict[str, tuple[int, Any]]:
    """Answers of one per-mineral question block: material -> (row, raw value)."""
    found: dict[str, tuple[int, Any]] = {}
    for row in range(first, last + 1):
        material = reader.mineral(row)
        if material is not None:
            found[material] = (row, reader.declaration[f"D{row}"].value)
    return found


def _list_rows(sheet: Worksheet, first: int = 5) -> list[tuple[int, tuple[Any, ...]]]:
    rows = []
    for index, values in enumerate(
        sheet.iter_rows(min_row=first, max_col=17, values_only=True), start=first
    ):
        if any(clean(v) for v in values):
            rows.append((index, values))
    return rows


def _material(reader: _Reader, sheet: str, cell: str, value: Any) -> str | None:
    name = clean(value)
    if name is None:
        return None
    found = reader.tables.rmi.mineral_names.get(name)
    if found is None:
        reader.warn("rmi.unknown-mineral", sheet, cell, f"unknown metal {name!r}; row left out")
    return None if found in (None, "ignored") else found


def _processors(reader: _Reader) -> list[dict[str, Any]]:
    if "Smelter List" not in reader.book.sheetnames:
        return []
    processors = []
    for row, v in _list_rows(reader.book["Smelter List"]):
        material = _material(reader, "Smelter List", f"B{row}", v[1])
        if material is None:
            continue
        lookup, name = clean(v[2]) or "", " ".join(str(v[3] or "").split())
        unidentified = "not yet identified" in lookup or clean(name) in (None, "unknown")
        item: dict[str, Any] = {
            "id": f"smelter-row-{row}",
            "material": material,
            "name": (name or str(v[2] or "Smelter not yet identified"))[:300],
            "identified": not unidentified,
        }
        facility = str(v[5] or v[0] or "").strip()
        if facility:
            item["facilityId"] = facility[:64]
        if country := reader.country("Smelter List", f"E{row}", v[4]):
            item["country"] = country
        if recycled := read_choice(v[15], YNU):
            item["feedstockFullyRecycled"] = recycled
        processors.append(item)
    return processors


def _mines(reader: _Reader, processors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not reader.cells.mine_list or "Mine List" not in reader.book.sheetnames:
        return []
    mines = []
    for row, v in _list_rows(reader.book["Mine List"]):
        material = _material(reader, "Mine List", f"A{row}", v[0])
        if material is None or clean(v[2]) is None:
            continue
        item: dict[str, Any] = {
            "id": f"mine-row-{row}",
            "material": material,
            "name": " ".join(str(v[2]).split())[:300],
        }
        smelter = clean(v[1])
        ref = next(
            (
                p["id"]
                for p in processors
                if p["material"] == material and clean(p["name"]) == smelter
            ),
            None,
        )
        if ref:
            item["processor"] = ref
        if v[3]:
            item["mineId"] = str(v[3]).strip()[:64]
        if country := reader.country("Mine List", f"F{row}", v[5]):
            item["country"] = country
        mines.append(item)
    return mines


def _products(reader: _Reader) -> list[dict[str, Any]]:
    if "Product List" not in reader.book.sheetnames:
        return []
    products = []
    for _, v in _list_rows(reader.book["Product List"]):
        if clean(v[1]) is None:
            continue
        item = {"number": str(v[1]).strip()[:300]}
        for key, index in (("name", 2), ("requesterNumber", 3), ("requesterName", 4)):
            if reader.cells.template == "emrt" and clean(v[index]):
                item[key] = str(v[index]).strip()[:300]
        products.append(item)
    return products


def _answers(
    reader: _Reader, info: TemplateInfo
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    cells, rows = reader.cells, reader.cells.question_rows
    materials: dict[str, dict[str, Any]] = {}
    answers: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    selected = set()
    for cell in cells.minerals_in_scope:
        name = clean(reader.declaration[cell].value)
        if name and not name.startswith("(delete"):
            found = reader.tables.rmi.mineral_names.get(name)
            if found and found != "ignored":
                selected.add(found)
    q1 = _rows(reader, *rows["Q1"])
    for material in sorted(selected | set(q1)):
        row, raw = q1.get(material, (0, None))
        value = reader.choice(f"D{row}", _Q1, "question 1") if row else None
        present = {"yes": "yes", "no": "no"}.get(value or "", "unknown")
        if value is None and clean(raw) is None:
            where = f"D{row or rows['Q1'][0]}"
            reader.warn(
                "rmi.required-cell",
                "Declaration",
                where,
                f"question 1 is not answered for {material}",
            )
        materials[material] = {"material": material, "present": present}
    if cells.template == "emrt":
        for material, (row, _) in _rows(reader, *rows["Q4"]).items():
            if material in materials and (v := reader.choice(f"D{row}", YNU, "question 4")):
                materials[material]["fullyRecycled"] = v
        for material, (row, _) in _rows(reader, *rows["Q3"]).items():
            if material in materials and (v := reader.choice(f"D{row}", YNU, "question 3")):
                answers.append(
                    {
                        "question": "M2-04",
                        "material": material,
                        "value": v,
                        "comment": f"Imported from {info.kind.upper()} {info.version} question 3",
                    }
                )
        for material, (row, _) in _rows(reader, *rows["Q6"]).items():
            v = reader.choice(f"D{row}", YNU, "question 6")
            if material in materials and v in ("yes", "no"):
                answers.append(
                    {
                        "question": "M2-01",
                        "material": material,
                        "value": 100.0 if v == "yes" else 0.0,
                        "comment": f"Imported from question 6 ('{v}'); 'no' read as 0 %, "
                        "the lower bound, until the share is given",
                    }
                )
        bands = []
        for material, (row, raw) in _rows(reader, *rows["Q5"]).items():
            if clean(raw) is None or material not in materials:
                continue
            band = read_band(raw)
            if band is None:
                reader.error(
                    "rmi.unknown-value",
                    "Declaration",
                    f"D{row}",
                    f"question 5: {raw!r} is not one of the template's answers",
                )
            else:
                bands.append(band)
        if bands:
            answers.append(
                {
                    "question": "M2-03",
                    "value": min(bands),
                    "comment": "Imported from question 5 (lowest band over the minerals, "
                    "read as its lower bound)",
                }
            )
    company = cells.company_questions
    a = reader.choice(company["A"], ("yes", "no"), "question A") if "A" in company else None
    b = reader.choice(company["B"], ("yes", "no"), "question B") if "B" in company else None
    url_refs: list[str] = []
    if "B" in company:
        comment = reader.declaration["G" + company["B"][1:]].value
        match = _URL.search(str(comment or ""))
        if match:
            evidence.append(
                {
                    "id": "rmi-policy-url",
                    "type": "policy",
                    "uri": match[0][:2000],
                    "title": "Sourcing policy URL from the template's question B",
                }
            )
            url_refs = ["rmi-policy-url"]
        elif b == "yes":
            reader.warn(
                "rmi.missing-url",
                "Declaration",
                "G" + company["B"][1:],
                "question B is 'Yes' but no URL is given in the comment",
            )
    if a:
        answers.append({"question": "M1-01", "value": a, "evidence": url_refs})
    if b:
        answers.append({"question": "M1-02", "value": b, "evidence": url_refs})
    for letter, question in (("D", "M2-06"), ("F", "M2-08")):
        if letter in company and (
            v := reader.choice(company[letter], ("yes", "no"), f"question {letter}")
        ):
            answers.append(
                {
                    "question": question,
                    "value": "L1" if v == "yes" else "L0",
                    "comment": f"Imported from question {letter} ('{v}'): a yes/no answer "
                    "counts as L1 at most until documented",
                }
            )
    if "G" in company and (v := reader.choice(company["G"], ("yes", "no"), "question G")):
        answers.append({"question": "M3-06", "value": v})
    if "E" in company:
        raw = reader.declaration[company["E"]].value
        if clean(raw) and read_survey_option(raw) is None:
            reader.error(
                "rmi.unknown-value",
                "Declaration",
                company["E"],
                f"question E: {raw!r} is not one of the template's answers",
            )
        elif read_survey_option(raw) == "no" and not any(x["question"] == "M2-03" for x in answers):
            answers.append(
                {
                    "question": "M2-03",
                    "value": 0.0,
                    "comment": "Imported from question E ('No': no supplier survey)",
                }
            )
    if cells.template == "emrt":
        answers.append(
            {
                "question": "M5-03",
                "value": "emrt-2",
                "comment": f"The supplier provided an EMRT {info.version}",
            }
        )
    return list(materials.values()), answers, evidence


def import_rmi_workbook(
    data: bytes,
    *,
    name: str | None = None,
    as_of: date | None = None,
    tables: ReferenceTables | None = None,
) -> ImportResult:
    """Build a questionnaire from an RMI EMRT 2.x or CMRT 6.x workbook; never raises on bad input.

    Args:
        data: The workbook bytes (.xlsx).
        name: File name, recorded in ``header.template.file``.
        as_of: If given, an effective date after it is an error.
        tables: Reference tables holding the cell maps (default: bundled).
    """
    tables = tables or load_reference_tables()
    book = open_workbook(data)
    if isinstance(book, Issue):
        return ImportResult(None, (book,), None)
    info = detect_template(book)
    if isinstance(info, Issue):
        return ImportResult(None, (info,), None)
    label = f"{info.kind.upper()} {info.version}"
    cells = next(
        (t for t in tables.rmi.templates if t.template == info.kind and info.version in t.versions),
        None,
    )
    if cells is None:
        supported = "; ".join(
            f"{t.template.upper()} {', '.join(t.versions)}" for t in tables.rmi.templates
        )
        issue = Issue(
            "rmi.unsupported-version",
            "",
            f"{label} is not supported (supported: {supported})",
            Severity.ERROR,
            Layer.IO,
            context={"found": info.where},
        )
        return ImportResult(None, (issue,), label)
    reader = _Reader(book, tables, cells)
    header = _header(reader, info, name)
    products = _products(reader)
    materials, answers, evidence = _answers(reader, info)
    processors = _processors(reader)
    mines = _mines(reader, processors)
    if header is not None and as_of is not None and header["effectiveDate"] > as_of.isoformat():
        reader.error(
            "rmi.date",
            "Declaration",
            cells.header["effective_date"],
            f"the effective date {header['effectiveDate']} is after {as_of}",
        )
    reader.issues.append(
        Issue(
            "rmi.not-mapped",
            "",
            "roles are not in the template: set to 'trader'"
            " (no role-based exemptions); correct header.roles if needed",
            Severity.INFO,
            Layer.PARSE,
        )
    )
    if header is None or any(i.severity is Severity.ERROR for i in reader.issues):
        return ImportResult(None, tuple(reader.issues), label)
    document: dict[str, Any] = {"schemaVersion": QUESTIONNAIRE_SCHEMA_VERSION, "header": header}
    if scope := _scope(reader, products):
        document["scope"] = scope
    for key, value in (
        ("materials", materials),
        ("answers", answers),
        ("processors", processors),
        ("mines", mines),
        ("evidence", evidence),
    ):
        if value:
            document[key] = value
    try:
        DdQuestionnaire.model_validate(document)
    except ValidationError as exc:
        problem = Issue(
            "rmi.invalid-output",
            "",
            f"the imported data is not a valid questionnaire: "
            f"{exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}",
            Severity.ERROR,
            Layer.PARSE,
        )
        return ImportResult(None, (*reader.issues, problem), label)
    return ImportResult(document, tuple(reader.issues), label)
