"""Seeded synthetic corpus: supplier submissions and DD questionnaires, a share of them invalid.

Every document is built from the structure of a bundled example (issue 17 item 7):

* submissions start from ``examples/submissions/valid`` (the M1 NMC811 pack, the M3 LFP bus
  system, the LMT e-bike battery): manufacturer, plant, passport block, energy use, process
  emissions, transport and purchased components are kept; the category is drawn from ev, lmt,
  industrial and stationary (industrial and stationary get the LMT example's explicit
  functional-unit override, EV a vehicle class), the chemistry from every value of
  :class:`compliance.models.Chemistry`, and the bill of materials is replaced by 50 to 2,000 lines
  (log-uniform; ``--min-lines``/``--max-lines``) of every material category, masses in g, kg or t
  adding up to 85 % of the battery mass, emission factors in mixed units, and the Circular
  Footprint Formula's input and recycling sides on every line;
* questionnaires start from ``examples/questionnaires/valid`` (strong supplier, weak
  yes-to-everything, honest red flag) with their own id, supplier name and country;
* ``--invalid-share`` of each (default 5 %) get one schema-level defect (a negative mass, an
  unknown unit, a missing required field, a number as a string; an unknown question, a missing
  header field), so they are invalid under plain JSON Schema and under the engine alike;
* one in ten documents is written as YAML.

The same ``--seed`` gives the same files, byte for byte.

Run: python benchmarks/make_corpus.py OUT [--submissions 200] [--questionnaires 50] [--seed 17]
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compliance.models import Chemistry
from compliance.models.inventory import MaterialCategory

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SUBMISSION_TEMPLATES = ("nmc811-m1-ev.json", "lfp-m3-bus.yaml", "lmt-ebike.json")
QUESTIONNAIRE_TEMPLATES = (
    "strong-supplier.json",
    "weak-yes-to-everything.json",
    "honest-red-flag.json",
)
CATEGORIES = ("ev", "lmt", "industrial", "stationary")
MASS_UNITS = (("kg", 1.0), ("g", 1000.0), ("t", 0.001))
FACTOR_UNITS = (
    ("kg CO2e/kg", 1.0),
    ("t CO2e/t", 1.0),
    ("kg CO2e/t", 1000.0),
    ("g CO2e/kg", 1000.0),
)
SUBMISSION_DEFECTS = ("negative-mass", "unknown-unit", "missing-plant", "string-number")
QUESTIONNAIRE_DEFECTS = ("unknown-question", "missing-effective-date")
COUNTRIES = ("DE", "FR", "PL", "HU", "SE", "FI", "CZ", "ES", "IT", "NL", "JP", "KR", "CN", "US")


@dataclass(frozen=True)
class Generated:
    """One file of the corpus and what was planted in it."""

    path: Path
    kind: str
    """``submission`` or ``questionnaire``."""
    defect: str | None
    lines: int = 0


def _load(path: Path) -> Any:
    text = path.read_text("utf-8")
    return yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)


def _templates() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    submissions = [_load(EXAMPLES / "submissions" / "valid" / n) for n in SUBMISSION_TEMPLATES]
    questionnaires = [
        _load(EXAMPLES / "questionnaires" / "valid" / n) for n in QUESTIONNAIRE_TEMPLATES
    ]
    return submissions, questionnaires


def _mass_kg(text: Any) -> float:
    """The battery mass of a template in kg (``"480 kg"``, ``"3 600 g"``, ``{value, unit}``)."""
    if isinstance(text, dict):
        value, unit = float(text["value"]), text["unit"]
    else:
        number, unit = str(text).rsplit(" ", 1)
        value = float(number.replace(" ", ""))
    return value * {"kg": 1.0, "g": 0.001, "t": 1000.0}[unit]


def _factor(rng: random.Random, low: float, high: float) -> dict[str, str]:
    unit, scale = rng.choice(FACTOR_UNITS)
    return {"value": f"{rng.uniform(low, high) * scale:.6g} {unit}", "source": "synthetic corpus"}


def _bom(rng: random.Random, lines: int, battery_kg: float) -> list[dict[str, Any]]:
    weights = [rng.uniform(0.2, 1.0) for _ in range(lines)]
    scale = 0.85 * battery_kg / sum(weights)
    categories = list(MaterialCategory)
    bom = []
    for index, weight in enumerate(weights):
        unit, factor = rng.choice(MASS_UNITS)
        bom.append(
            {
                "id": f"line-{index:04d}",
                "material": f"synthetic material {index}",
                "category": categories[index % len(categories)].value,
                "mass": f"{weight * scale * factor:.6g} {unit}",
                "emissionFactor": _factor(rng, 1, 30),
                "circularity": {
                    "recycledContent": round(rng.uniform(0, 0.5), 4),
                    "allocationFactor": round(rng.uniform(0.2, 0.8), 4),
                    "qualityRatioInput": round(rng.uniform(0.7, 1), 4),
                    "recycledInputFactor": _factor(rng, 0.5, 5),
                    "recyclingOutputRate": round(rng.uniform(0, 0.95), 4),
                    "recyclingEolFactor": _factor(rng, 0.2, 3),
                    "substitutedVirginFactor": _factor(rng, 1, 30),
                    "qualityRatioOutput": round(rng.uniform(0.7, 1), 4),
                },
            }
        )
    return bom


def _lines(rng: random.Random, low: int, high: int) -> int:
    return round(math.exp(rng.uniform(math.log(low), math.log(high))))


def make_submission(
    rng: random.Random, templates: list[dict[str, Any]], index: int, lines: int, defect: str | None
) -> dict[str, Any]:
    """One submission from a template: category, chemistry, BOM of ``lines`` lines, a defect."""
    category = CATEGORIES[index % len(CATEGORIES)]
    if category == "lmt":
        template = templates[2]
    elif category == "ev":
        template = templates[index % 2]
    else:
        template = templates[rng.randrange(2)]
    doc = copy.deepcopy(template)
    doc.pop("$schema", None)
    doc["submissionId"] = f"CORPUS-S-{index:06d}"
    battery = doc["battery"]
    battery["category"] = category
    battery["chemistry"] = list(Chemistry)[index % len(Chemistry)].value
    battery["modelIdentifier"] = f"CORPUS-{category.upper()}-{index:06d}"
    if battery["chemistry"] == "other":
        battery["chemistryDescription"] = "Synthetic corpus: a chemistry outside the list"
    if category != "ev":
        battery.pop("vehicleClass", None)
        doc["functionalUnit"] = {
            "cyclesPerYear": rng.choice((100, 200, 250, 300, 365)),
            "serviceLife": f"{rng.choice((8, 10, 12, 15))} year",
            "justification": "Synthetic corpus: the manufacturer's declared duty cycle.",
        }
    doc["manufacturer"]["address"]["country"] = rng.choice(COUNTRIES[:10])
    doc["billOfMaterials"] = _bom(rng, lines, _mass_kg(battery["mass"]))
    if defect == "negative-mass":
        doc["billOfMaterials"][rng.randrange(lines)]["mass"] = "-1.5 kg"
    elif defect == "unknown-unit":
        doc["billOfMaterials"][rng.randrange(lines)]["mass"] = "12 kgs"
    elif defect == "missing-plant":
        del doc["plant"]
    elif defect == "string-number":
        line = doc["billOfMaterials"][rng.randrange(lines)]
        line["circularity"]["recycledContent"] = str(line["circularity"]["recycledContent"])
    return doc


def make_questionnaire(
    rng: random.Random, templates: list[dict[str, Any]], index: int, defect: str | None
) -> dict[str, Any]:
    """One questionnaire from a template, with its own id and supplier, and maybe a defect."""
    doc = copy.deepcopy(templates[index % len(templates)])
    doc.pop("$schema", None)
    doc["questionnaireId"] = f"CORPUS-Q-{index:06d}"
    doc["header"]["supplier"] = {
        "name": f"Synthetic supplier {index} Ltd",
        "country": rng.choice(COUNTRIES),
    }
    if defect == "unknown-question":
        doc["answers"].append({"question": "9(z)", "value": "yes"})
    elif defect == "missing-effective-date":
        del doc["header"]["effectiveDate"]
    return doc


def _write(path: Path, doc: dict[str, Any], as_yaml: bool) -> Path:
    if as_yaml:
        path = path.with_suffix(".yaml")
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    else:
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


def generate(
    out: Path,
    *,
    submissions: int,
    questionnaires: int,
    seed: int = 17,
    invalid_share: float = 0.05,
    min_lines: int = 50,
    max_lines: int = 2000,
) -> list[Generated]:
    """Write the corpus under ``out`` (``s*.json|yaml``, ``q*.json|yaml``); what was written."""
    rng = random.Random(seed)
    sub_templates, q_templates = _templates()
    out.mkdir(parents=True, exist_ok=True)
    made: list[Generated] = []
    for index in range(submissions):
        lines = _lines(rng, min_lines, max_lines)
        defect = rng.choice(SUBMISSION_DEFECTS) if rng.random() < invalid_share else None
        doc = make_submission(rng, sub_templates, index, lines, defect)
        path = _write(out / f"s{index:06d}.json", doc, rng.random() < 0.1)
        made.append(Generated(path, "submission", defect, lines))
    for index in range(questionnaires):
        defect = rng.choice(QUESTIONNAIRE_DEFECTS) if rng.random() < invalid_share else None
        doc = make_questionnaire(rng, q_templates, index, defect)
        path = _write(out / f"q{index:06d}.json", doc, rng.random() < 0.1)
        made.append(Generated(path, "questionnaire", defect))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--questionnaires", type=int, default=50)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--invalid-share", type=float, default=0.05)
    parser.add_argument("--min-lines", type=int, default=50)
    parser.add_argument("--max-lines", type=int, default=2000)
    args = parser.parse_args()
    made = generate(
        args.out,
        submissions=args.submissions,
        questionnaires=args.questionnaires,
        seed=args.seed,
        invalid_share=args.invalid_share,
        min_lines=args.min_lines,
        max_lines=args.max_lines,
    )
    invalid = sum(g.defect is not None for g in made)
    size = sum(g.path.stat().st_size for g in made)
    print(f"wrote {len(made)} files ({invalid} invalid, {size / 2**20:.1f} MiB) to {args.out}")


if __name__ == "__main__":
    main()
