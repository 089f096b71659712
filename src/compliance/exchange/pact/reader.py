"""PACT v2.0-2.3 / v3.0 ProductFootprints -> purchased-component footprints of a submission.

Accepted files: one ProductFootprint, a JSON array of them, or a PACT API response
(``{"data": [...]}`` of ListFootprints, ``{"data": {...}}`` of GetFootprint). Each footprint is
schema-checked (bundled schemas), then checked by :mod:`compliance.exchange.pact.checks`, then
mapped (interop.md sections 1.2-1.4):

* **value**: ``pcfExcludingBiogenicUptake`` (v3) / ``pCfExcludingBiogenic`` (v2), the headline
  PCF, in kg CO2e per declared unit;
* **declared unit**: v3's declared unit is ``declaredUnitAmount`` x ``declaredUnitOfMeasurement``
  (v3 ``productMassPerDeclaredUnit``: "The 'declared unit' is the declaredUnitAmount times
  declaredUnitOfMeasurement"), so the value is divided by the amount to give the PCF per piece /
  kg / kWh; v2's declared unit is one ``declaredUnit`` and ``unitaryProductAmount`` counts how
  many the product contains (v2.3 CarbonFootprint), so the value is already per unit;
  ``piece`` -> per piece (and per kg when the mass is declared), ``kilogram`` -> per kg,
  ``liter``/``cubic meter``/``square meter`` -> per kg through ``productMassPerDeclaredUnit``,
  ``kilowatt hour``/``megajoule`` -> per kWh / MJ of an energy product; logistics and service
  units (``ton kilometer``, ``hour``, ``megabit second``) are no purchased component;
* **DQR**: v3 DQRs (1-5) are TeR/GeR/TiR as given; v2 DQRs (1-3, "good" to "poor") are rescaled
  linearly to the PEF 1-5 scale (2 x DQR - 1), and the rescaling is reported (interop.md 1.4:
  "do not copy v2 DQR values across without rescaling or flagging them");
* **primary-data share**: percent -> fraction;
* **stage**: PACT has no stage split (interop.md 4.3); the purchased component's ``process`` maps
  the PCF to a life-cycle stage (ruleset ``component-stages``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from compliance.errors import Issue, Layer, Severity
from compliance.exchange.footprint import FootprintImport, ImportedFootprint
from compliance.exchange.pact.checks import Checked, check_footprint, spec_generation
from compliance.exchange.pact.schemas import Generation, pact_schema, schema_issues
from compliance.exchange.pact.values import plain_decimal as _plain
from compliance.models._iso3166 import COUNTRIES
from compliance.units import Dimension
from compliance.validation.locating import locate_issues
from compliance.validation.parsing import (
    DEFAULT_LIMITS,
    DocumentFormat,
    ParseLimits,
    parse_document,
)

__all__ = ["read_pact", "read_pact_data"]

_PER = {
    "piece": (Dimension.ITEMS, "kg CO2e/piece"),
    "kilogram": (Dimension.MASS, "kg CO2e/kg"),
    "kilowatt hour": (Dimension.ENERGY, "kg CO2e/kWh"),
    "megajoule": (Dimension.ENERGY, "kg CO2e/MJ"),
}
_BY_MASS = ("liter", "cubic meter", "square meter")
_TEXT_MAX = 300


def _issue(code: str, pointer: str, message: str, severity: Severity = Severity.ERROR) -> Issue:
    return Issue(code, pointer, message, severity, Layer.SEMANTIC)


def _footprints(data: Any) -> tuple[list[tuple[str, Any]], Issue | None]:
    """(pointer, footprint) pairs of the accepted file shapes."""
    if isinstance(data, Mapping) and "data" in data and "pcf" not in data:
        inner = data["data"]
        if isinstance(inner, list):
            return [(f"/data/{i}", pf) for i, pf in enumerate(inner)], None
        if isinstance(inner, Mapping):
            return [("/data", inner)], None
    if isinstance(data, list):
        return [(f"/{i}", pf) for i, pf in enumerate(data)], None
    if isinstance(data, Mapping) and "pcf" in data:
        return [("", data)], None
    return [], _issue(
        "pact.not-footprint",
        "",
        'not a PACT ProductFootprint, an array of them, or a PACT API response {"data": ...}',
    )


def read_pact(
    data: bytes,
    *,
    name: str | None = None,
    as_of: date | None = None,
    only: str | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
) -> FootprintImport:
    """Read a PACT file (JSON bytes); never raises on bad input.

    Args:
        data: The file's bytes.
        name: The file name (messages).
        as_of: The date the footprints are to be used on: expired ones are errors.
        only: Read only the footprint with this id (the others are not checked).
        limits: Parser limits.
    """
    parsed = parse_document(data, name=name, format=DocumentFormat.JSON, limits=limits)
    if not parsed.ok:
        return FootprintImport((), parsed.issues, parsed.text)
    result = read_pact_data(parsed.data, name=name, as_of=as_of, only=only)
    issues = result.issues
    if issues and parsed.text is not None:
        issues = tuple(locate_issues(issues, parsed.text, DocumentFormat.JSON))
    return FootprintImport(result.footprints, issues, parsed.text)


def read_pact_data(
    data: Any, *, name: str | None = None, as_of: date | None = None, only: str | None = None
) -> FootprintImport:
    """Read already parsed PACT data (see :func:`read_pact`)."""
    pairs, problem = _footprints(data)
    if problem is not None:
        return FootprintImport((), (problem,))
    if not pairs:
        return FootprintImport(
            (), (_issue("pact.not-footprint", "", "the file holds no footprint"),)
        )
    issues: list[Issue] = []
    seen: dict[str, str] = {}
    footprints: list[ImportedFootprint] = []
    for pointer, pf in pairs:
        if not isinstance(pf, Mapping):
            issues.append(_issue("pact.not-footprint", pointer, "a footprint must be an object"))
            continue
        pf_id = pf.get("id")
        if isinstance(pf_id, str):
            key = pf_id.lower()
            if key in seen:
                issues.append(
                    _issue(
                        "pact.duplicate-id",
                        f"{pointer}/id",
                        f"id {pf_id} is used twice in this file (first at {seen[key] or '/'})",
                    )
                )
            seen.setdefault(key, pointer)
        if only is not None and not (isinstance(pf_id, str) and pf_id.lower() == only.lower()):
            continue
        found, mapped = _one(pf, pointer, name, as_of)
        issues.extend(found)
        if mapped is not None:
            footprints.append(mapped)
    if only is not None and only.lower() not in seen:
        issues.append(
            _issue(
                "pact.footprint-not-found",
                "",
                f"no footprint with id {only} in this file; it holds {', '.join(seen) or 'none'}",
            )
        )
    ok = not any(i.severity is Severity.ERROR for i in issues)
    return FootprintImport(tuple(footprints) if ok else (), tuple(issues))


def _one(
    pf: Mapping[str, Any], pointer: str, name: str | None, as_of: date | None
) -> tuple[list[Issue], ImportedFootprint | None]:
    spec = pf.get("specVersion")
    generation = spec_generation(spec)
    if generation is None:
        return [
            _issue(
                "pact.spec-version",
                f"{pointer}/specVersion",
                f"specVersion {spec!r} is not a supported PACT version (2.0.0-2.3.x, 3.0.x)",
            )
        ], None
    schema = pact_schema(generation)
    lenient = (
        frozenset({"ipccCharacterizationFactorsSources"})
        if str(spec)[:3]
        in (
            "2.0",
            "2.1",
        )
        else frozenset()
    )
    issues = [
        _spelling(i, pointer) if generation is Generation.V2 else i
        for i in schema_issues(pf, schema, base=pointer, skip_required=lenient)
    ]
    checked = check_footprint(pf, schema, base=pointer, as_of=as_of)
    issues.extend(checked.issues)
    if any(i.severity is Severity.ERROR for i in issues):
        return issues, None
    mapped = _map(pf, pointer, generation, checked, name, issues)
    return issues, mapped


_STANDARD = re.compile(r"/pcf/crossSectoralStandards/\d+$")


def _spelling(issue: Issue, base: str) -> Issue:
    """A v2.3 ``crossSectoralStandards`` value outside the OpenAPI enum is accepted.

    The v2.3 HTML spells the values differently from its OpenAPI file ("GHGP Product",
    "PACT Methodology 2.0", "PAS2050"; interop.md section 1.2), and v3 says receivers MUST accept
    unknown values; the value is kept as given (a warning), not refused.
    """
    relative = issue.pointer[len(base) :]
    if issue.context.get("keyword") != "enum" or not _STANDARD.search(relative):
        return issue
    return Issue(
        "pact.lenient",
        issue.pointer,
        "a crossSectoralStandards value outside the v2.3 OpenAPI list, accepted (the v2.3 text "
        "spells the standards differently and receivers accept unknown values)",
        Severity.WARNING,
        Layer.SCHEMA,
        context=issue.context,
    )


def _map(
    pf: Mapping[str, Any],
    pointer: str,
    generation: Generation,
    checked: Checked,
    name: str | None,
    issues: list[Issue],
) -> ImportedFootprint | None:
    pcf = pf["pcf"]
    d = checked.decimals
    v3 = generation is Generation.V3
    unit = pcf["declaredUnitOfMeasurement" if v3 else "declaredUnit"]
    amount_key = "declaredUnitAmount" if v3 else "unitaryProductAmount"
    amount = d[amount_key]
    value = d["pcfExcludingBiogenicUptake" if v3 else "pCfExcludingBiogenic"]
    mass = d.get("productMassPerDeclaredUnit")
    if v3:
        per_unit = value / amount
        mass_per_unit = mass / amount if mass is not None else None
    else:
        per_unit = value
        mass_per_unit = mass
        if amount != 1:
            issues.append(
                _issue(
                    "pact.declared-unit",
                    f"{pointer}/pcf/unitaryProductAmount",
                    f"PACT v2 values are per one {unit}; the product holds {amount} of them "
                    "(unitaryProductAmount), which does not change the value per unit",
                    Severity.INFO,
                )
            )
    unit_pointer = f"{pointer}/pcf/{'declaredUnitOfMeasurement' if v3 else 'declaredUnit'}"
    quality = _quality(pcf, checked, generation, pointer, issues)
    variants: dict[Dimension, dict[str, Any]] = {}
    if unit in _PER:
        dimension, per = _PER[unit]
        variants[dimension] = _footprint(f"{_plain(per_unit)} {per}", quality)
        if unit in ("kilowatt hour", "megajoule"):
            issues.append(
                _issue(
                    "pact.energy-declared-unit",
                    unit_pointer,
                    f"a PCF per {unit} is the footprint of an energy product (e.g. electricity), "
                    "not of a battery per kWh of capacity; use it for a component bought by "
                    "the kWh or MJ",
                    Severity.WARNING,
                )
            )
    if unit in ("piece", *_BY_MASS) and mass_per_unit is not None and mass_per_unit > 0:
        variants[Dimension.MASS] = _footprint(
            f"{_plain(per_unit / mass_per_unit)} kg CO2e/kg", quality
        )
        if unit in _BY_MASS:
            issues.append(
                _issue(
                    "pact.declared-unit",
                    unit_pointer,
                    f"the PCF per {unit} is used per kg through productMassPerDeclaredUnit "
                    f"({_plain(mass_per_unit)} kg per {unit})",
                    Severity.INFO,
                )
            )
    if not variants:
        why = (
            "needs productMassPerDeclaredUnit above 0 to be used per kg"
            if unit in _BY_MASS
            else "is a logistics or service unit, not a purchased battery component"
        )
        issues.append(_issue("pact.declared-unit", unit_pointer, f"declared unit {unit!r} {why}"))
        return None
    supplier = _supplier(pf, pcf)
    spec = str(pf["specVersion"])
    standards = pcf.get("crossSectoralStandards") or pcf.get("crossSectoralStandardsUsed") or []
    standard = f"PACT {spec}" + (f" ({', '.join(map(str, standards))})" if standards else "")
    validity = checked.validity
    details = {
        "specVersion": spec,
        "declaredUnit": f"{_plain(amount)} {unit}" if v3 else f"1 {unit}",
        "status": str(pf.get("status")),
        "referencePeriod": f"{pcf['referencePeriodStart']} to {pcf['referencePeriodEnd']}",
    }
    if validity is not None:
        details["validUntil"] = validity[1].isoformat()
    source = (
        f"PACT {spec} ProductFootprint {pf['id']} of {pf['companyName']!s} "
        f"({str(pf['productNameCompany'])[:200]}), reference period "
        f"{pcf['referencePeriodStart']} to {pcf['referencePeriodEnd']}"
        + (f", imported from {name}" if name else "")
    )
    for variant in variants.values():
        variant["standard"] = standard[:_TEXT_MAX]
        variant["reference"] = f"urn:uuid:{str(pf['id']).lower()}"
        variant["source"] = source[:4000]
    return ImportedFootprint(
        pointer=pointer,
        reference=str(pf["id"]).lower(),
        product_name=str(pf["productNameCompany"]).strip()[:_TEXT_MAX] or str(pf["id"]),
        supplier=supplier,
        variants=variants,
        format="pact",
        details=details,
    )


def _footprint(value: str, quality: Mapping[str, Any]) -> dict[str, Any]:
    return {"value": value, **quality}


def _quality(
    pcf: Mapping[str, Any],
    checked: Checked,
    generation: Generation,
    pointer: str,
    issues: list[Issue],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    share = checked.decimals.get("primaryDataShare")
    raw_share = pcf.get("primaryDataShare")
    if share is None and isinstance(raw_share, int | float) and not isinstance(raw_share, bool):
        share = Decimal(str(raw_share))
    if share is not None:
        out["primaryDataShare"] = float(share / 100)
        if 0 < share <= 1:
            issues.append(
                _issue(
                    "pact.share-looks-like-fraction",
                    f"{pointer}/pcf/primaryDataShare",
                    f"primaryDataShare {raw_share} is read as {raw_share} % (PACT gives percent); "
                    f"if the supplier meant the fraction {raw_share} ({float(share) * 100:g} %), "
                    "ask them to correct it",
                    Severity.WARNING,
                )
            )
    dqi = pcf.get("dqi")
    if generation is Generation.V3 and checked.dqi:
        d = checked.dqi
        if all(k in d for k in ("technologicalDQR", "geographicalDQR", "temporalDQR")):
            out["dataQuality"] = {
                "ter": float(d["technologicalDQR"]),
                "ger": float(d["geographicalDQR"]),
                "tir": float(d["temporalDQR"]),
            }
    elif generation is Generation.V2 and isinstance(dqi, Mapping):
        v2 = {k: dqi.get(k) for k in ("technologicalDQR", "geographicalDQR", "temporalDQR")}
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in v2.values()):

            def rescale(v: Any) -> float:
                return round(2 * float(v) - 1, 6)

            out["dataQuality"] = {
                "ter": rescale(v2["technologicalDQR"]),
                "ger": rescale(v2["geographicalDQR"]),
                "tir": rescale(v2["temporalDQR"]),
            }
            issues.append(
                _issue(
                    "pact.dqr-rescaled",
                    f"{pointer}/pcf/dqi",
                    "PACT v2 DQRs (1-3) rescaled to the PEF 1-5 scale as 2 x DQR - 1: TeR "
                    f"{v2['technologicalDQR']} -> {out['dataQuality']['ter']:g}, GeR "
                    f"{v2['geographicalDQR']} -> {out['dataQuality']['ger']:g}, TiR "
                    f"{v2['temporalDQR']} -> {out['dataQuality']['tir']:g}",
                    Severity.INFO,
                )
            )
    return out


def _supplier(pf: Mapping[str, Any], pcf: Mapping[str, Any]) -> dict[str, Any]:
    party: dict[str, Any] = {"name": str(pf["companyName"]).strip()[:_TEXT_MAX]}
    country = pcf.get("geographyCountry")
    if isinstance(country, str) and country in COUNTRIES:
        party["country"] = country
    ids = [str(urn) for urn in pf.get("companyIds", []) if isinstance(urn, str)]
    if ids:
        party["identifiers"] = [{"scheme": "URN", "value": urn[:200]} for urn in ids]
    return party
