"""Mapping RMI template answers onto the catalogue (dd-methodology 6.10, conservatively).

Each question's meaning is data (``meaning`` in ``rules/dd/tables/rmi-templates.yaml``):
presence -> the material's ``present`` (S-01; 'Not declaring' / 'Not applicable' read as unknown);
cahra -> M2-04; fully-recycled -> the 100 % recycled claim (S-05); survey-band (per mineral) ->
M2-03 as the lowest band's lower bound; processors-identified 'Yes' -> M2-01 = 100, 'No' -> 0
(lower bound); policy -> M1-01; policy-public -> M1-02 with the URL from the comment as policy
evidence; dd-measures -> M2-06 and review -> M2-08 at L1 at most (a yes/no never earns full
credit); corrective-action -> M3-06; supplier-survey 'No' -> M2-03 = 0 when no band gives it; the
template itself is downstream sharing -> M5-03 (``information_sharing``). Answers without a
meaning, or whose wording differs in the version (``unmapped``), are asked natively and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from compliance.errors import Issue, Layer, Severity
from compliance.intake.rmi.reader import DECLARATION, Answer, WorkbookReader
from compliance.intake.rmi.values import clean
from compliance.intake.rmi.workbook import TemplateInfo

__all__ = ["Mapped", "map_answers"]

_URL = re.compile(r"https?://\S+")
_PRESENT = {"yes": "yes", "no": "no"}
_LADDER = {"dd-measures": "M2-06", "review": "M2-08"}
_YES_NO = {"policy": "M1-01", "policy-public": "M1-02", "corrective-action": "M3-06"}


@dataclass
class Mapped:
    """Materials, answers and evidence pre-filled from the template."""

    materials: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _selected(reader: WorkbookReader) -> set[str]:
    """Catalogue materials selected in the 'minerals in scope' cells (EMRT 2.x)."""
    selected = set()
    for cell in reader.layout.minerals_in_scope:
        name = clean(reader.value(cell))
        if name and not name.startswith("(delete"):
            material = reader.material(name)
            if isinstance(material, str):
                selected.add(material)
    return selected


def _by_meaning(
    reader: WorkbookReader, answers: dict[tuple[str, str | None], Answer]
) -> dict[str, list[Answer]]:
    meanings = {q.id: q.meaning for q in reader.layout.questions}
    grouped: dict[str, list[Answer]] = {}
    for answer in answers.values():
        meaning = meanings[answer.question]
        if meaning is None or answer.question in reader.template.unmapped:
            continue
        grouped.setdefault(meaning, []).append(answer)
    return grouped


def _materials(
    reader: WorkbookReader, presence: list[Answer], mapped: Mapped
) -> dict[str, dict[str, Any]]:
    rows = {a.material: a for a in presence if a.material is not None}
    materials: dict[str, dict[str, Any]] = {}
    for material in sorted(_selected(reader) | set(rows)):
        answer = rows.get(material)
        if answer is None or (answer.value is None and clean(answer.raw) is None):
            first = next(q for q in reader.layout.questions if q.meaning == "presence")
            cell = answer.cell if answer else (first.cell or f"D{(first.rows or (0,))[0]}")
            reader.warn(
                "rmi.required-cell",
                DECLARATION,
                cell,
                f"question 1 is not answered for {material}",
            )
        value = answer.value if answer else None
        materials[material] = {
            "material": material,
            "present": _PRESENT.get(value or "", "unknown"),
        }
    mapped.materials = list(materials.values())
    return materials


def _policy_url(reader: WorkbookReader, answer: Answer, mapped: Mapped) -> list[str]:
    row = answer.cell[1:]
    comment_cell = f"{reader.layout.comment_column}{row}"
    match = _URL.search(str(reader.value(comment_cell) or ""))
    if match:
        mapped.evidence.append(
            {
                "id": "rmi-policy-url",
                "type": "policy",
                "uri": match[0][:2000],
                "title": "Sourcing policy URL from the template's question B",
            }
        )
        return ["rmi-policy-url"]
    if answer.value == "yes":
        reader.warn(
            "rmi.missing-url",
            DECLARATION,
            comment_cell,
            f"question {answer.question} is 'Yes' but no URL is given in the comment",
        )
    return []


def map_answers(
    reader: WorkbookReader, info: TemplateInfo, answers: dict[tuple[str, str | None], Answer]
) -> Mapped:
    """The questionnaire parts the template answers; the rest is asked natively."""
    mapped = Mapped()
    label = f"{info.kind.upper()} {info.version}"
    grouped = _by_meaning(reader, answers)
    materials = _materials(reader, grouped.get("presence", []), mapped)
    for answer in grouped.get("fully-recycled", []):
        if answer.material in materials and answer.value:
            materials[answer.material]["fullyRecycled"] = answer.value
    for answer in grouped.get("cahra", []):
        if answer.material in materials and answer.value:
            mapped.answers.append(
                {
                    "question": "M2-04",
                    "material": answer.material,
                    "value": answer.value,
                    "comment": f"Imported from {label} question {answer.question} "
                    f"({answer.raw!r}, {DECLARATION}!{answer.cell})",
                }
            )
    for answer in grouped.get("processors-identified", []):
        if answer.material in materials and answer.value in ("yes", "no"):
            mapped.answers.append(
                {
                    "question": "M2-01",
                    "material": answer.material,
                    "value": 100.0 if answer.value == "yes" else 0.0,
                    "comment": f"Imported from question {answer.question} ('{answer.value}'); "
                    "'no' read as 0 %, the lower bound, until the share is given",
                }
            )
    bounds = reader.rmi.band_lower_bounds
    bands = [
        bounds[a.value]
        for a in grouped.get("survey-band", [])
        if a.value is not None and a.material in materials
    ]
    if bands:
        mapped.answers.append(
            {
                "question": "M2-03",
                "value": min(bands),
                "comment": "Imported from the survey-response question (lowest band over the "
                "minerals, read as its lower bound)",
            }
        )
    refs: list[str] = []
    public = next((a for a in grouped.get("policy-public", [])), None)
    if public is not None and not public.not_applicable:
        refs = _policy_url(reader, public, mapped)
    for meaning, question in _YES_NO.items():
        for answer in grouped.get(meaning, []):
            if answer.value in ("yes", "no"):
                item: dict[str, Any] = {"question": question, "value": answer.value}
                if meaning.startswith("policy"):
                    item["evidence"] = refs
                mapped.answers.append(item)
    for meaning, question in _LADDER.items():
        for answer in grouped.get(meaning, []):
            if answer.value in ("yes", "no"):
                mapped.answers.append(
                    {
                        "question": question,
                        "value": "L1" if answer.value == "yes" else "L0",
                        "comment": f"Imported from question {answer.question} ('{answer.value}'): "
                        "a yes/no answer counts as L1 at most until documented",
                    }
                )
    survey = next((a for a in grouped.get("supplier-survey", [])), None)
    if survey is not None and survey.value == "no" and not bands:
        mapped.answers.append(
            {
                "question": "M2-03",
                "value": 0.0,
                "comment": f"Imported from question {survey.question} ('No': no supplier survey)",
            }
        )
    if reader.template.information_sharing:
        mapped.answers.append(
            {
                "question": "M5-03",
                "value": reader.template.information_sharing,
                "comment": f"The supplier provided an {label}",
            }
        )
    _report_unmapped(reader, answers, grouped)
    return mapped


def _report_unmapped(
    reader: WorkbookReader,
    answers: dict[tuple[str, str | None], Answer],
    grouped: dict[str, list[Answer]],
) -> None:
    used = {(a.question, a.mineral) for m in grouped.values() for a in m}
    left = sorted(
        {
            a.question
            for key, a in answers.items()
            if key not in used and a.value is not None and not a.not_applicable
        }
    )
    if left:
        reader.issues.append(
            Issue(
                "rmi.not-mapped",
                "",
                f"questions {', '.join(left)} are read but have no catalogue equivalent in this "
                "version; they are asked natively",
                Severity.INFO,
                Layer.PARSE,
                context={"questions": left},
            )
        )
