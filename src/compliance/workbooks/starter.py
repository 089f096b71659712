"""Starting files for ``compliance new``: a submission or questionnaire with the fields to fill.

The starting document holds every required field and the commonly needed optional ones (per
battery category); what only the supplier knows is ``null``, so the file validates except for
exactly those values, and :attr:`Starter.to_fill` lists their JSON Pointers. The YAML form
explains each field in a comment: its help from the published schema (with the Regulation
source), the expected unit of a quantity and the allowed values of a choice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compliance.models import SUBMISSION_SCHEMA_VERSION
from compliance.models.questionnaire import QUESTIONNAIRE_SCHEMA_VERSION
from compliance.workbooks.layout import Leaf, LeafKind, TemplateLayout
from compliance.workbooks.templates import (
    catalogue_questions,
    questionnaire_layout,
    submission_layout,
)

__all__ = ["CATEGORIES", "Starter", "questionnaire_starter", "submission_starter"]

CATEGORIES = ("ev", "lmt", "industrial", "stationary")

_FILL = None


@dataclass(frozen=True, slots=True)
class Starter:
    """A starting document, the pointers of its values to fill, and the help of each field."""

    kind: str
    data: dict[str, Any]
    to_fill: tuple[str, ...]
    layout: TemplateLayout
    notes: Mapping[str, str]
    """Extra comment per pointer (a question's text)."""

    def json(self) -> str:
        """The document as JSON (no comments)."""
        return json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"

    def yaml(self) -> str:
        """The document as YAML, each field with a comment explaining it."""
        lines = [
            f"# {self.kind} starting file, written by `compliance new`.",
            "# Replace every `null` (marked FILL) with your value; then run",
            "#   compliance validate FILE   (lists what is still missing, with its JSON Pointer)",
            '# Quantities are a number and a unit in one string, e.g. "450 kg" or "75 kWh".',
        ]
        lines += list(self._emit(self.data, "", 0))
        return "\n".join(lines) + "\n"

    def _comment(self, pointer: str, value: Any) -> str:
        leaf = self.layout.leaf(pointer)
        parts = []
        if pointer in self.notes:
            parts.append(self.notes[pointer])
        if value is None:
            parts.append("FILL")
        if isinstance(leaf, Leaf):
            if leaf.kind is LeafKind.QUANTITY:
                unit = f", e.g. in {leaf.canonical_unit}" if leaf.canonical_unit else ""
                parts.append(f"quantity {leaf.dimension or ''}{unit}")
            if leaf.options and len(leaf.options) <= 24:
                parts.append("one of: " + ", ".join(dict.fromkeys(leaf.options)))
            if leaf.description and pointer not in self.notes:
                parts.append(_first_sentence(leaf.description))
        return ("  # " + "; ".join(parts)) if parts else ""

    def _emit(self, node: Any, pointer: str, indent: int) -> Iterator[str]:
        pad = "  " * indent
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{pointer}/{key}"
                name = json.dumps(key) if key.startswith("$") else key
                if isinstance(value, (dict, list)) and value:
                    yield f"{pad}{name}:"
                    yield from self._emit(value, child, indent + 1)
                else:
                    yield f"{pad}{name}: {_scalar(value)}{self._comment(child, value)}"
        elif isinstance(node, list):
            for index, item in enumerate(node):
                child = f"{pointer}/{index}"
                if isinstance(item, dict) and item:
                    inner = list(self._emit(item, child, indent + 1))
                    first = inner[0].lstrip()
                    yield f"{pad}- {first}"
                    yield from inner[1:]
                else:
                    yield f"{pad}- {_scalar(item)}{self._comment(child, item)}"


def _first_sentence(text: str) -> str:
    """The first sentence of a field's help (the schema description), on one line."""
    flat = " ".join(text.split())
    end = re.search(r"(?<!e\.g)(?<!i\.e)(?<=[a-z0-9)\]])\. (?=[A-Z])", flat)
    return flat[: end.start() + 1] if end else flat


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list) and not value:
        return "[]"
    if isinstance(value, dict) and not value:
        return "{}"
    return json.dumps(value, ensure_ascii=False)


def _nulls(node: Any, pointer: str = "") -> Iterator[str]:
    if node is None:
        yield pointer
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _nulls(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nulls(value, f"{pointer}/{index}")


def submission_starter(category: str = "ev") -> Starter:
    """The starting submission of a battery category (``ev``, ``lmt``, ``industrial``...)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown battery category {category!r}: one of {', '.join(CATEGORIES)}")
    address = {"street": _FILL, "postalCode": _FILL, "city": _FILL, "country": _FILL}
    battery: dict[str, Any] = {
        "modelIdentifier": _FILL,
        "modelName": _FILL,
        "category": category,
    }
    if category == "ev":
        battery["vehicleClass"] = _FILL
    battery |= {
        "chemistry": _FILL,
        "mass": _FILL,
        "ratedCapacity": _FILL,
        "nominalVoltage": _FILL,
        "nominalEnergy": _FILL,
        "usableEnergyBol": _FILL,
    }
    warranty: dict[str, Any] = {"period": _FILL}
    if category == "ev":
        warranty["distance"] = _FILL
    data: dict[str, Any] = {
        "schemaVersion": SUBMISSION_SCHEMA_VERSION,
        "submissionId": _FILL,
        "reportingPeriod": {"start": _FILL, "end": _FILL},
        "manufacturer": {"name": _FILL, "address": dict(address), "email": _FILL},
        "plant": {"name": _FILL, "facilityId": _FILL, "address": dict(address)},
        "battery": battery,
        "warranty": warranty,
        "cfpDeclaration": {"declarationOfConformityId": _FILL, "studyUrl": _FILL},
        "billOfMaterials": [
            {
                "id": "bom-001",
                "material": _FILL,
                "mass": _FILL,
                "emissionFactor": {"value": _FILL, "source": _FILL},
            }
        ],
        "energyUse": [
            {"id": "energy-001", "carrier": "electricity", "amount": _FILL, "source": _FILL}
        ],
    }
    return Starter("Supplier submission", data, tuple(_nulls(data)), submission_layout(), {})


def questionnaire_starter() -> Starter:
    """The starting DD questionnaire: the header to fill and every question to answer."""
    answers: list[dict[str, Any]] = []
    notes: dict[str, str] = {}
    for question in catalogue_questions():
        if not question.answer_type:
            continue
        pointer = f"/answers/{len(answers)}/value"
        options = f" [{', '.join(question.options)}]" if question.options else ""
        per = (
            " (per material: one answer per material, with `material`)"
            if question.per_material
            else ""
        )
        notes[pointer] = f"{question.step} {question.text} ({question.answer_type}{options}){per}"
        answers.append({"question": question.id, "value": _FILL})
    data: dict[str, Any] = {
        "schemaVersion": QUESTIONNAIRE_SCHEMA_VERSION,
        "questionnaireId": _FILL,
        "header": {
            "supplier": {"name": _FILL, "country": _FILL},
            "roles": _FILL,
            "effectiveDate": _FILL,
            "authorizer": {"name": _FILL, "title": _FILL, "email": _FILL},
        },
        "answers": answers,
    }
    return Starter("DD questionnaire", data, tuple(_nulls(data)), questionnaire_layout(), notes)
