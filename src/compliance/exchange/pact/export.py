"""A battery's cradle-to-gate PCF as a PACT v3.0 or v2.3 ProductFootprint.

What is exported (``shared/docs/interop.md`` section 3.3 "semantic trap", ``cfp-methodology.md``):

* the **cradle-to-gate** emissions of one battery: the CFP result's raw material acquisition and
  pre-processing plus main product production stages (Regulation (EU) 2023/1542 Annex II point
  4(a)-(b)); distribution and end of life are not in a supplier's cradle-to-gate PCF;
* **per piece** (one battery, ``productMassPerDeclaredUnit`` = its mass) or **per kilogram** of
  battery. Never per ``kilowatt hour``: PACT's kWh declared unit is a quantity of an energy
  product, whereas the EU figure is per kWh of energy delivered over the service life; the EU
  value stays in the CFP result and the passport;
* the split into fossil/biogenic quantities is not computed by the engine: the exporter requires
  the caller's statement that the inventory has no biogenic carbon, land-use change or land
  management flows (``no_biogenic``), and the fossil carbon content of the battery (kg C, e.g. the
  graphite of the anode), which the engine does not compute either;
* PACT footprints are immutable (v3 section 7.2): the ``id`` is derived from a SHA-256 digest of
  the content (RFC 8785 canonical JSON) and the preceding ids, in the form of a UUID v4 (PACT's
  PfId), so the same content always gets the same id; given the previous export, an unchanged
  content returns it as it is, a changed one gets a new id with ``precedingPfIds``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

import rfc8785

from compliance.cfp.result import CfpResult
from compliance.errors import Issue, Layer, Severity
from compliance.exchange.pact.checks import MANDATORY_FROM, spec_generation
from compliance.exchange.pact.schemas import Generation, pact_schema, schema_issues
from compliance.exchange.pact.values import plain_decimal
from compliance.models import LifecycleStage
from compliance.models.submission import SupplierSubmission

__all__ = [
    "DeclaredUnitChoice",
    "PactExport",
    "PactExportOptions",
    "PactVersion",
    "content_digest",
    "export_pact",
]


class PactVersion(StrEnum):
    """The PACT data-model versions exported."""

    V3 = "3.0.0"
    V2 = "2.3.0"


class DeclaredUnitChoice(StrEnum):
    """The declared units a battery PCF may be exported in (never ``kilowatt hour``)."""

    PIECE = "piece"
    KILOGRAM = "kilogram"


@dataclass(frozen=True, slots=True)
class PactExportOptions:
    """What the caller states and decides (the core has no clock)."""

    version: PactVersion
    created: datetime
    """The ``created`` time of a new footprint (timezone-aware)."""
    unit: DeclaredUnitChoice = DeclaredUnitChoice.PIECE
    fossil_carbon_content: Decimal | None = None
    """kg of fossil carbon in one battery (required by PACT; not computed by the engine)."""
    no_biogenic: bool = False
    """The caller's statement: no biogenic carbon, land-use change or land-management flows."""
    previous: Mapping[str, Any] | None = None
    """The previous export of this battery, if any."""


@dataclass(frozen=True, slots=True)
class PactExport:
    """The footprint (``None`` on errors), every issue, and whether it is the previous one."""

    document: dict[str, Any] | None
    issues: tuple[Issue, ...]
    unchanged: bool = False

    @property
    def ok(self) -> bool:
        """True when a footprint was produced."""
        return self.document is not None


# UN CPC Ver. 2.1 subclass 46420 "Electric accumulators, including separators therefor".
_CPC_ACCUMULATORS = "46420"
_IDENTITY_FIELDS = (
    "id",
    "created",
    "updated",
    "precedingPfIds",
    "status",
    "statusComment",
    "version",
)
_PEF_RULESETS = ("eu-", "jrc-")
"""Rulesets following the PEF method (draft delegated act 2024; JRC CFB-EV 2023)."""


def _issue(code: str, pointer: str, message: str) -> Issue:
    return Issue(code, pointer, message, Severity.ERROR, Layer.SEMANTIC)


def _urn_part(text: str) -> str:
    """Percent-encode a URN namespace-specific part (RFC 8141: unreserved characters kept)."""
    safe = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return "".join(c if c in safe else "".join(f"%{b:02X}" for b in c.encode()) for c in text)


def content_digest(footprint: Mapping[str, Any]) -> str:
    """SHA-256 of a footprint's content: everything but its identity and lifecycle fields."""
    content = {k: v for k, v in footprint.items() if k not in _IDENTITY_FIELDS}
    return hashlib.sha256(rfc8785.dumps(content)).hexdigest()


def _pf_id(digest: str, preceding: list[str]) -> str:
    seed = hashlib.sha256(f"{digest}|{','.join(preceding)}".encode()).digest()
    return str(uuid.UUID(bytes=seed[:16], version=4))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_pact(
    submission: SupplierSubmission, result: CfpResult, options: PactExportOptions
) -> PactExport:
    """The PACT footprint of a computed battery; located issues instead of a half footprint."""
    issues: list[Issue] = []
    if options.created.tzinfo is None:
        raise ValueError("export_pact: created must be timezone-aware")
    period = submission.reporting_period
    if period is None:
        issues.append(
            _issue(
                "pact.export-period-missing",
                "/reportingPeriod",
                "PACT needs the reference period of the footprint: give reportingPeriod",
            )
        )
    if options.fossil_carbon_content is None or options.fossil_carbon_content < 0:
        issues.append(
            _issue(
                "pact.export-fact-missing",
                "",
                "PACT requires fossilCarbonContent (kg of fossil carbon in the product, e.g. the "
                "graphite of the anode), which the engine does not compute: state it (zero or "
                "more)",
            )
        )
    if not options.no_biogenic:
        issues.append(
            _issue(
                "pact.export-fact-missing",
                "",
                "PACT reports fossil and biogenic emissions apart, which the engine does not "
                "compute: state that the inventory has no biogenic carbon, land-use change or "
                "land-management flows (then all emissions are fossil), or do not export",
            )
        )
    stages = {s.stage: s for s in result.stages}
    gate = (
        stages[LifecycleStage.RAW_MATERIAL].absolute.value
        + stages[LifecycleStage.MAIN_PRODUCTION].absolute.value
    )
    if gate < 0:
        issues.append(
            _issue(
                "pact.export-negative",
                "",
                f"the cradle-to-gate footprint is negative ({gate:g} kg CO2e); PACT's fossil "
                "emissions must be zero or more",
            )
        )
    if issues or period is None or options.fossil_carbon_content is None:
        return PactExport(None, tuple(issues))
    mass = submission.battery.mass.magnitude  # canonical kg
    per_kg = options.unit is DeclaredUnitChoice.KILOGRAM
    value = gate / mass if per_kg else gate
    carbon = (
        options.fossil_carbon_content / Decimal(repr(mass))
        if per_kg
        else (options.fossil_carbon_content)
    )
    after = period.end + timedelta(days=1)  # PACT's end is exclusive
    ref_start = datetime(period.start.year, period.start.month, period.start.day, tzinfo=UTC)
    ref_end = datetime(after.year, after.month, after.day, tzinfo=UTC)
    v3 = options.version is PactVersion.V3
    if not v3 and ref_end > MANDATORY_FROM:
        return PactExport(
            None,
            (
                _issue(
                    "pact.export-incomplete",
                    "/reportingPeriod/end",
                    "PACT 2.3 makes dqi mandatory for reference periods including 2025-01-01 or "
                    "later, with coverage, completeness and reliability ratings the engine does "
                    "not compute; export PACT 3.0 (pact3) instead",
                ),
            ),
        )
    document = _document(submission, result, options, value, carbon, mass, ref_start, ref_end)
    return _identify(document, options, v3)


def _document(
    submission: SupplierSubmission,
    result: CfpResult,
    options: PactExportOptions,
    value: float,
    carbon: Decimal,
    mass: float,
    ref_start: datetime,
    ref_end: datetime,
) -> dict[str, Any]:
    v3 = options.version is PactVersion.V3
    battery = submission.battery
    maker = submission.manufacturer
    company_ids = [
        f"urn:pact:company:customcode:vendor-assigned:{_urn_part(i.scheme)}-{_urn_part(i.value)}"
        for i in maker.identifiers
    ] or [f"urn:pact:company:customcode:vendor-assigned:{_urn_part(maker.name)}"]
    product_ids = [
        f"urn:pact:product:customcode:vendor-assigned:{_urn_part(battery.model_identifier)}"
    ]
    gwp = result.gwp_set.id.split("-")
    ar = next((p.upper() for p in gwp if p.startswith("ar")), "AR6")
    pef = result.ruleset.id.startswith(_PEF_RULESETS)
    unit_word = "battery" if options.unit is DeclaredUnitChoice.PIECE else "kg of battery"
    if not v3:
        unit_word = (
            f"kg of battery (one battery is {mass:g} kg, unitaryProductAmount)"
            if options.unit is DeclaredUnitChoice.PIECE
            else "kg of battery"
        )
    boundary = (
        "Cradle-to-gate: raw material acquisition and pre-processing, and main product "
        "production (Regulation (EU) 2023/1542 Annex II point 4(a)-(b)); distribution, use and "
        f"end of life excluded. Computed by compliance {result.engine_version} under ruleset "
        f"{result.ruleset.id} {result.ruleset.version} ({result.ruleset.status}), GWP "
        f"{result.gwp_set.id}."
    )
    comment = (
        f"Per {unit_word}. The declarant states that the inventory has no biogenic carbon, "
        "land-use change or land-management flows, so all emissions are fossil. The EU "
        "Batteries Regulation carbon footprint per kWh of lifetime energy is not this value; "
        "see the battery passport."
    )
    share = result.data_quality.primary_data_share * 100
    criteria = result.data_quality.criteria
    pcf: dict[str, Any]
    if v3:
        pcf = {
            "declaredUnitOfMeasurement": options.unit.value,
            "declaredUnitAmount": "1",
            "productMassPerDeclaredUnit": "1"
            if options.unit is DeclaredUnitChoice.KILOGRAM
            else plain_decimal(mass),
            "referencePeriodStart": _iso(ref_start),
            "referencePeriodEnd": _iso(ref_end),
            "geographyCountry": submission.plant.address.country,
            "boundaryProcessesDescription": boundary,
            "pcfExcludingBiogenicUptake": plain_decimal(value),
            "pcfIncludingBiogenicUptake": plain_decimal(value),
            "fossilGhgEmissions": plain_decimal(value),
            "fossilCarbonContent": plain_decimal(carbon),
            "biogenicCarbonContent": "0",
            "packagingEmissionsIncluded": False,
            "ipccCharacterizationFactors": [ar],
            "crossSectoralStandards": ["PEF"] if pef else ["ISO14067"],
            "exemptedEmissionsPercent": "0",
            "exemptedEmissionsDescription": "No emissions exempted by the calculation.",
            "primaryDataShare": plain_decimal(round(share, 4)),
        }
        if criteria is not None:
            pcf["dqi"] = {
                "technologicalDQR": plain_decimal(round(criteria.ter, 3)),
                "geographicalDQR": plain_decimal(round(criteria.ger, 3)),
                "temporalDQR": plain_decimal(round(criteria.tir, 3)),
            }
        head: dict[str, Any] = {"specVersion": options.version.value}
    else:
        # v2 has no ``piece`` (ADR 0033 added it in v3): a battery is ``unitaryProductAmount`` kg
        # of product, and the values are per kg.
        kg = Decimal(repr(mass))
        per_kg = value if options.unit is DeclaredUnitChoice.KILOGRAM else value / mass
        carbon_kg = carbon if options.unit is DeclaredUnitChoice.KILOGRAM else carbon / kg
        pcf = {
            "declaredUnit": "kilogram",
            "unitaryProductAmount": "1"
            if options.unit is DeclaredUnitChoice.KILOGRAM
            else plain_decimal(kg),
            "productMassPerDeclaredUnit": "1",
            "pCfExcludingBiogenic": plain_decimal(per_kg),
            "pCfIncludingBiogenic": plain_decimal(per_kg),
            "fossilGhgEmissions": plain_decimal(per_kg),
            "fossilCarbonContent": plain_decimal(carbon_kg),
            "biogenicCarbonContent": "0",
            "packagingEmissionsIncluded": False,
            "characterizationFactors": ar if ar in ("AR5", "AR6") else "AR6",
            "ipccCharacterizationFactorsSources": [ar],
            "crossSectoralStandardsUsed": ["ISO Standard 14044"] if pef else ["ISO Standard 14067"],
            "crossSectoralStandards": ["PEF"] if pef else ["ISO14067"],
            "boundaryProcessesDescription": boundary,
            "referencePeriodStart": _iso(ref_start),
            "referencePeriodEnd": _iso(ref_end),
            "geographyCountry": submission.plant.address.country,
            "exemptedEmissionsPercent": 0,
            "exemptedEmissionsDescription": "No emissions exempted by the calculation.",
            "primaryDataShare": round(share, 4),
        }
        head = {"specVersion": options.version.value, "version": 0}
    document: dict[str, Any] = {
        **head,
        "companyName": maker.name,
        "companyIds": company_ids,
        "productDescription": (
            f"{battery.category.value} battery {battery.model_identifier}, "
            f"{battery.chemistry.value}, {mass:g} kg"
        ),
        "productIds": product_ids,
        "productClassifications": [f"urn:pact:productclassification:un-cpc:{_CPC_ACCUMULATORS}"],
        "productNameCompany": battery.model_name or battery.model_identifier,
        "comment": comment,
        "pcf": pcf,
    }
    if not v3:
        document["productCategoryCpc"] = _CPC_ACCUMULATORS
    return document


def _identify(document: dict[str, Any], options: PactExportOptions, v3: bool) -> PactExport:
    digest = content_digest(document)
    previous = options.previous
    preceding: list[str] = []
    if previous is not None:
        prev_id = previous.get("id")
        generation = Generation.V3 if v3 else Generation.V2
        if not isinstance(prev_id, str) or spec_generation(previous.get("specVersion")) is None:
            return PactExport(
                None,
                (
                    _issue(
                        "pact.previous-invalid",
                        "/id",
                        "the previous export has no valid id or specVersion",
                    ),
                ),
            )
        if spec_generation(previous.get("specVersion")) is not generation:
            return PactExport(
                None,
                (
                    _issue(
                        "pact.previous-invalid",
                        "/specVersion",
                        f"the previous export is PACT "
                        f"{previous.get('specVersion')}, not {options.version.value}",
                    ),
                ),
            )
        ids = {str(p).lower() for p in previous.get("productIds", []) if isinstance(p, str)}
        if not ids & {p.lower() for p in document["productIds"]}:
            return PactExport(
                None,
                (
                    _issue(
                        "pact.previous-other-product",
                        "/productIds",
                        "the previous export is of another product (no productId in common)",
                    ),
                ),
            )
        if content_digest(previous) == digest:
            return PactExport(dict(previous), (), unchanged=True)
        older = previous.get("precedingPfIds") or []
        preceding = [prev_id, *(str(p) for p in older if str(p) != prev_id)]
    out: dict[str, Any] = {"id": _pf_id(digest, preceding), "specVersion": document["specVersion"]}
    if preceding:
        out["precedingPfIds"] = preceding
    if not v3:
        out["version"] = 0
    out["created"] = _iso(options.created)
    out["status"] = "Active"
    out.update({k: v for k, v in document.items() if k not in out})
    schema = pact_schema(Generation.V3 if v3 else Generation.V2)
    problems = schema_issues(out, schema)
    if problems:  # an engine defect: never hand out a footprint the schema rejects
        raise AssertionError(f"PACT export is not schema-valid: {problems}")
    return PactExport(out, ())
