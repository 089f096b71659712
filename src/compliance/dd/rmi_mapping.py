"""Mapping RMI template questions onto the catalogue (dd-methodology 6.10, conservatively).

Q1 -> presence (S-01); Q3 -> M2-04; Q4 -> the 100 % recycled claim (S-05); Q5 (per mineral)
-> M2-03 as the lowest band's lower bound; Q6 'Yes' -> M2-01 = 100, 'No' -> 0 (lower bound);
A -> M1-01; B -> M1-02 with the URL from the comment as policy evidence; D -> M2-06 and
F -> M2-08 at L1 at most (a yes/no never earns full credit); G -> M3-06; E 'No' -> M2-03 = 0 when
Q5 gives nothing; an EMRT 2.x is itself downstream sharing -> M5-03 'emrt-2'. Everything else is
asked natively.
"""

from __future__ import annotations

import re
from typing import Any

from compliance.dd.rmi_reader import WorkbookReader, mineral_rows
from compliance.dd.rmi_values import clean, read_band, read_survey_option
from compliance.dd.rmi_workbook import TemplateInfo

__all__ = ["map_answers"]

YNU = ("yes", "no", "unknown")
_Q1 = ("yes", "no", "unknown", "not declaring", "not applicable for this declaration")
_URL = re.compile(r"https?://\S+")


def map_answers(
    reader: WorkbookReader, info: TemplateInfo
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Materials, answers and evidence pre-filled from the template's questions."""
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
    q1 = mineral_rows(reader, *rows["Q1"])
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
        for material, (row, _) in mineral_rows(reader, *rows["Q4"]).items():
            if material in materials and (v := reader.choice(f"D{row}", YNU, "question 4")):
                materials[material]["fullyRecycled"] = v
        for material, (row, _) in mineral_rows(reader, *rows["Q3"]).items():
            if material in materials and (v := reader.choice(f"D{row}", YNU, "question 3")):
                answers.append(
                    {
                        "question": "M2-04",
                        "material": material,
                        "value": v,
                        "comment": f"Imported from {info.kind.upper()} {info.version} question 3",
                    }
                )
        for material, (row, _) in mineral_rows(reader, *rows["Q6"]).items():
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
        for material, (row, raw) in mineral_rows(reader, *rows["Q5"]).items():
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
