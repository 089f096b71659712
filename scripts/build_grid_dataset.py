"""Build rules/cfp/datasets/ember-grid-intensity.json from codecarbon's copy of Ember/OWID data.

The PyPI package codecarbon (MIT) ships codecarbon/data/private_infra/global_energy_mix.json with
the life-cycle carbon intensity of electricity generation per country (Ember yearly electricity
data via Our World in Data, CC BY 4.0). This script turns it into a factor dataset once, keeping the
attribution; the engine never depends on codecarbon at run time.

Run: pip download --no-deps codecarbon==3.3.2 -d /tmp/cc
     python scripts/build_grid_dataset.py /tmp/cc/codecarbon-3.3.2-py3-none-any.whl
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "rules" / "cfp" / "datasets" / "ember-grid-intensity.json"
MEMBER = "codecarbon/data/private_infra/global_energy_mix.json"


def build(wheel: Path) -> dict[str, object]:
    data = json.loads(zipfile.ZipFile(wheel).read(MEMBER))
    factors = []
    for iso3, row in sorted(data.items()):
        country = pycountry.countries.get(alpha_3=iso3)
        intensity = row.get("carbon_intensity")
        if country is None or intensity is None:
            continue
        year = int(row["year"])
        factors.append(
            {
                "id": f"grid.{country.alpha_2}",
                "value": f"{intensity:g} g CO2e/kWh",
                "geography": country.alpha_2,
                "validFrom": f"{year}-01-01",
                "validUntil": f"{year}-12-31",
                "source": f"Ember yearly electricity data {year}, via Our World in Data",
            }
        )
    factors.sort(key=lambda f: f["id"])
    return {
        "id": "ember-grid-intensity",
        "version": "2023.1",
        "title": "Life-cycle carbon intensity of electricity generation by country",
        "publisher": "Ember; Our World in Data",
        "licence": "CC-BY-4.0",
        "licenceUrl": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": (
            "Ember (2024) Yearly Electricity Data; Energy Institute Statistical Review of World "
            "Energy; processed by Our World in Data (ourworldindata.org/grapher/"
            "carbon-intensity-electricity), CC BY 4.0. Extracted from codecarbon "
            f"{wheel.name.split('-')[1]} ({MEMBER}, MIT licence)."
        ),
        "gwpSet": "ipcc-ar5-gwp100",
        "notes": (
            "Generation (production-mix) intensity with life-cycle emission factors per "
            "technology; excludes imports and grid losses. Used as the proxy for the national "
            "consumption mix; the GWP basis of Ember's life-cycle factors is IPCC AR5 "
            "(per Climatiq's description of the source)."
        ),
        "factors": factors,
    }


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document = build(Path(sys.argv[1]))
    TARGET.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(document['factors'])} factors")  # type: ignore[arg-type]
