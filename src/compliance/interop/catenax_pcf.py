"""Catena-X PCF 9.0.0 payload of a battery's cradle-to-gate PCF (``io.catenax.pcf:9.0.0``).

The payload is the SAMM value-only JSON of ``urn:samm:io.catenax.pcf:9.0.0#Pcf`` (schema
``io.catenax.pcf/9.0.0/gen/Pcf-schema.json`` of eclipse-tractusx/sldt-semantic-models, the model
CX-0136 "Use Case PCF" 2.2.1 requires): JSON numbers, nested one-element arrays
(``productLifeCycleStagesAndEmissions[].productionStage[]`` ...).

What is exported, and why:

* **Declared unit: one battery** (``piece``, amount 1, ``productMassPerDeclaredUnit`` the battery
  mass). ``productionStage.pcfExcludingBiogenicUptake`` is the cradle-to-gate footprint of one
  battery: raw material acquisition + main production (Regulation (EU) 2023/1542 Annex II point
  4(a)-(b)), kg CO2e. The regulation's declared value, kg CO2e per kWh of energy delivered over
  the service life, is **never** exported as a per-kWh PCF: a Catena-X/PACT ``kilowatt hour``
  declared unit means a product measured in kWh (interop research 3.4, "semantic trap"). The
  general comment states the regulatory value and that it is a different quantity.
* **Distribution** is reported separately (``distributionStage``, ``distributionStageIncluded``
  false), as the 9.0.0 model provides; end of life is outside a cradle-to-gate PCF.
* **Biogenic uptake** is not modelled by the engine: ``pcfIncludingBiogenicUptake`` equals the
  excluding value (no uptake counted), said in the comment.
* Values the submission cannot supply (the UN M49 region, exempted emissions, waste-incineration
  allocation, packaging, company ids without a BPNL) come from :class:`CatenaxPcfMetadata`; a
  missing one is a located issue and no payload, never an invented value.
* **Deterministic id**: ``idAndVersion.id`` is a UUID (version 4 format) whose bits are the
  SHA-256 of the canonical payload without the id (RFC 8785 canonical JSON): the same footprint
  exported twice has the same id; any change gives a new id (list the old one in
  ``precedingPfIds`` and raise ``version``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

import rfc8785
from pydantic import Field, Strict

from compliance.cfp.result import CfpResult
from compliance.errors import Issue, Layer, Severity
from compliance.models import LifecycleStage, SupplierSubmission
from compliance.models.base import LongText, Text, WireModel

__all__ = [
    "CATENAX_PCF_SPEC_VERSION",
    "CatenaxPcfExport",
    "CatenaxPcfMetadata",
    "deterministic_uuid",
    "export_catenax_pcf",
]

CATENAX_PCF_SPEC_VERSION = "urn:io.catenax.pcf:datamodel:version:9.0.0"
SEMANTIC_ID = "urn:samm:io.catenax.pcf:9.0.0#Pcf"

Region = Literal[
    "Africa",
    "Americas",
    "Asia",
    "Europe",
    "Oceania",
    "Australia and New Zealand",
    "Central Asia",
    "Eastern Asia",
    "Eastern Europe",
    "Latin America and the Caribbean",
    "Melanesia",
    "Micronesia",
    "Northern Africa",
    "Northern America",
    "Northern Europe",
    "Polynesia",
    "South-eastern Asia",
    "Southern Asia",
    "Southern Europe",
    "Sub-Saharan Africa",
    "Western Asia",
    "Western Europe",
    "Global",
    "Several",
]
_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_IPCC = {"ipcc-ar6-gwp100": "AR6", "ipcc-ar5-gwp100": "AR5", "ipcc-ar4-gwp100": "AR4"}


class CatenaxPcfMetadata(WireModel):
    """What a Catena-X PCF needs that the submission does not say (a small YAML/JSON file)."""

    company_ids: tuple[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")], ...] = ()
    """Company URIs, e.g. ``urn:BPNL000000000DWF``; default: the manufacturer's BPNL."""
    product_ids: tuple[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")], ...] = ()
    """Product URIs; default: ``urn:uuid`` minted from manufacturer, model and plant."""
    geography_region_or_subregion: Region | None = None
    """UN M49 region of the plant (required by the model)."""
    exempted_emissions_percent: Annotated[float, Field(ge=0, le=10, strict=True)] | None = None
    exempted_emissions_description: LongText | None = None
    allocation_waste_incineration: (
        Literal["cut-off", "reverse cut-off", "system expansion", "polluter pays principle"] | None
    ) = None
    allocation_rules_description: LongText | None = None
    packaging_emissions_included: Annotated[bool, Strict()] | None = None
    retro_or_prospective_pcf_type: Literal[
        "Retrospective PCF",
        "Prospective PCF without forerunner",
        "Prospective PCF of further developed product with forerunner",
        "Prospective PCF for current product for future production date",
        "Progressive PCF",
    ] = "Retrospective PCF"
    status: Literal["Active", "Deprecated"] = "Active"
    version: Annotated[int, Field(ge=0, strict=True)] = 0
    preceding_pf_ids: tuple[Annotated[str, Field(pattern=_UUID)], ...] = ()
    validity_period_end: datetime | None = None
    """Default: reference period end + 3 years (the PACT default validity)."""
    cross_sectoral_standards: tuple[Text, ...] = ()
    """Default: the ruleset's title (the rules the value was computed under)."""
    pcf_legal_statement: LongText | None = None


@dataclass(frozen=True, slots=True)
class CatenaxPcfExport:
    """The payload (``None`` when a required value is missing) and the issues."""

    payload: dict[str, Any] | None
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        """True when a payload was produced."""
        return self.payload is not None


def deterministic_uuid(content: Any) -> str:
    """A UUID in version-4 format whose bits are the SHA-256 of RFC 8785 canonical JSON.

    >>> deterministic_uuid({"a": 1}) == deterministic_uuid({"a": 1})
    True
    >>> deterministic_uuid({"a": 1})[14]
    '4'
    """
    digest = bytearray(hashlib.sha256(rfc8785.dumps(content)).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x40
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _number(value: float) -> float:
    """Binary noise rounded off (10 significant digits), as the passport exports do."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    return float(f"{value:.10g}")


def _missing(pointer: str, message: str) -> Issue:
    return Issue("interop.catenax-missing", pointer, message, Severity.ERROR, Layer.RULE)


def _company_ids(sub: SupplierSubmission, meta: CatenaxPcfMetadata) -> list[str]:
    if meta.company_ids:
        return list(meta.company_ids)
    ids = []
    for ident in sub.manufacturer.identifiers:
        if ident.scheme.strip().upper() in ("BPNL", "BPN", "CATENA-X BPNL"):
            value = ident.value.strip()
            ids.append(value if value.startswith("urn:") else f"urn:{value}")
    return ids


def _product_ids(sub: SupplierSubmission, meta: CatenaxPcfMetadata) -> list[str]:
    if meta.product_ids:
        return list(meta.product_ids)
    name = "|".join(
        (
            "battery-model",
            sub.manufacturer.name,
            sub.battery.model_identifier,
            sub.plant.facility_id,
        )
    )
    return [f"urn:uuid:{deterministic_uuid(name)}"]


def export_catenax_pcf(
    sub: SupplierSubmission,
    result: CfpResult,
    meta: CatenaxPcfMetadata,
    *,
    created: datetime,
) -> CatenaxPcfExport:
    """The Catena-X PCF 9.0.0 payload of the battery's cradle-to-gate PCF.

    Args:
        sub: The submission the result was computed from.
        result: Its CFP result (any ruleset; the stage absolutes are used, never the per-kWh
            declared value).
        meta: What the submission does not say (see :class:`CatenaxPcfMetadata`).
        created: The payload's creation time (the caller reads the clock).
    """
    issues: list[Issue] = []
    period = sub.reporting_period
    if period is None:
        issues.append(
            _missing(
                "/reportingPeriod",
                "the submission has no reportingPeriod; the Catena-X model requires the "
                "reference period (referencePeriodStart/End)",
            )
        )
    region = meta.geography_region_or_subregion
    if region is None:
        issues.append(
            _missing(
                "/geographyRegionOrSubregion",
                "the UN M49 region of the plant is required (metadata "
                "geographyRegionOrSubregion, e.g. 'Western Europe')",
            )
        )
    for field, alias in (
        ("exempted_emissions_percent", "exemptedEmissionsPercent"),
        ("allocation_waste_incineration", "allocationWasteIncineration"),
        ("packaging_emissions_included", "packagingEmissionsIncluded"),
    ):
        if getattr(meta, field) is None:
            issues.append(_missing(f"/{alias}", f"metadata {alias} is required by the model"))
    company_ids = _company_ids(sub, meta)
    if not company_ids:
        issues.append(
            _missing(
                "/companyIds",
                "no company id: give metadata companyIds or a BPNL identifier of the "
                "manufacturer (/manufacturer/identifiers)",
            )
        )
    if issues or period is None or region is None:
        return CatenaxPcfExport(None, tuple(issues))

    raw = result.stage(LifecycleStage.RAW_MATERIAL).absolute
    main = result.stage(LifecycleStage.MAIN_PRODUCTION).absolute
    distribution = result.stage(LifecycleStage.DISTRIBUTION).absolute
    if {raw.unit, main.unit, distribution.unit} != {"kg CO2e"}:
        raise ValueError("stage absolutes are expected in kg CO2e")
    gate = _number(raw.value + main.value)
    if gate < 0 or distribution.value < 0:
        return CatenaxPcfExport(
            None,
            (
                Issue(
                    "interop.catenax-negative",
                    "/productionStage/pcfExcludingBiogenicUptake",
                    f"the cradle-to-gate ({gate} kg CO2e) or distribution footprint "
                    f"({distribution.value} kg CO2e) is negative; the model requires >= 0",
                    Severity.ERROR,
                    Layer.RULE,
                ),
            ),
        )
    reference_end = _midnight(period.end + timedelta(days=1))  # the model's end is exclusive
    validity_end = meta.validity_period_end or reference_end.replace(year=reference_end.year + 3)
    dq = result.data_quality
    quality: dict[str, Any] = {"primaryDataShare": _number(dq.primary_data_share * 100)}
    sources = sorted({f"{d.title} {d.version}" for d in result.datasets})
    if sources:
        quality["secondaryEmissionFactorSources"] = sources
    if dq.criteria is not None:
        for key, value in (
            ("technologicalDQR", dq.criteria.ter),
            ("geographicalDQR", dq.criteria.ger),
            ("temporalDQR", dq.criteria.tir),
        ):
            quality[key] = _number(value)
    battery = sub.battery
    country = sub.plant.address.country
    mass = _number(battery.mass.magnitude)  # canonical kg
    standards = list(meta.cross_sectoral_standards) or [result.ruleset.title]
    comment = (
        f"Cradle-to-gate PCF of one battery (model {battery.model_identifier}, plant "
        f"{sub.plant.facility_id}): raw material acquisition and main production, computed by "
        f"compliance {result.engine_version} under {result.ruleset.id} {result.ruleset.version} "
        f"({result.gwp_set.id}). Biogenic CO2 uptake is not modelled (including = excluding). "
        f"Not the regulatory carbon footprint of Regulation (EU) 2023/1542 Art. 7, "
        f"{_number(result.total_per_unit.value)} {result.total_per_unit.unit} of energy "
        "delivered over the service life, which is a different declared unit."
    )
    id_and_version: dict[str, Any] = {
        "id": "",
        "version": meta.version,
        "status": meta.status,
        "retroOrProspectivePcfType": meta.retro_or_prospective_pcf_type,
    }
    if meta.preceding_pf_ids:
        id_and_version["precedingPfIds"] = [{"id": i.lower()} for i in meta.preceding_pf_ids]
    time_entity = {
        "referencePeriodStart": _timestamp(_midnight(period.start)),
        "referencePeriodEnd": _timestamp(reference_end),
        "created": _timestamp(created),
        "validityPeriodStart": _timestamp(reference_end),
        "validityPeriodEnd": _timestamp(validity_end),
    }
    boundary: dict[str, Any] = {"exemptedEmissionsPercent": meta.exempted_emissions_percent}
    if meta.exempted_emissions_description:
        boundary["exemptedEmissionsDescription"] = meta.exempted_emissions_description
    allocation: dict[str, Any] = {"allocationWasteIncineration": meta.allocation_waste_incineration}
    if meta.allocation_rules_description:
        allocation["allocationRulesDescription"] = meta.allocation_rules_description
    general: dict[str, Any] = {"comment": comment}
    if meta.pcf_legal_statement:
        general["pcfLegalStatement"] = meta.pcf_legal_statement
    payload: dict[str, Any] = {
        "scopeOfPcfForm": [
            {"specVersion": CATENAX_PCF_SPEC_VERSION, "partialFullPcf": "Cradle-to-gate"}
        ],
        "companyAndProductInformation": [
            {
                "companyInformation": [
                    {"companyName": sub.manufacturer.name, "companyIds": company_ids}
                ],
                "productInformation": [
                    {
                        "productNameCompany": battery.model_name or battery.model_identifier,
                        "productIds": _product_ids(sub, meta),
                        "declaredUnitOfMeasurement": "piece",
                        "declaredUnitAmount": 1.0,
                        "productMassPerDeclaredUnit": mass,
                        "productDescription": (
                            f"{battery.category.value} battery, {battery.chemistry.value}, model "
                            f"{battery.model_identifier}"
                        ),
                    }
                ],
            }
        ],
        "pcfAssessmentAndMethodology": [
            {
                "dataSourcesAndQuality": [quality],
                "pcfAssessmentInformation": [
                    {
                        "technology": [
                            {
                                "ccsTechnologicalCO2CaptureIncluded": False,
                                "boundaryProcessesDescription": (
                                    "Raw material acquisition and pre-processing, main "
                                    "production (Regulation (EU) 2023/1542 Annex II point 4(a)-"
                                    "(b)); distribution reported separately; end of life and "
                                    "use excluded."
                                ),
                            }
                        ],
                        "idAndVersion": [id_and_version],
                        "boundarySpecifications": [boundary],
                        "geography": [
                            {"geographyRegionOrSubregion": region, "geographyCountry": country}
                        ],
                        "time": [time_entity],
                    }
                ],
                "pcfMethodology": [
                    {
                        "standards": [
                            {
                                "crossSectoralStandards": standards,
                                "productOrSectorSpecificRules": [
                                    f"urn:compliance:cfp-ruleset:{result.ruleset.id}:"
                                    f"{result.ruleset.version}"
                                ],
                            }
                        ],
                        "gwpCharacterizationFactorDetails": [
                            {
                                "ipccCharacterizationFactors": _IPCC.get(
                                    result.gwp_set.id, "unspecified"
                                )
                            }
                        ],
                        "massBalancingInformation": [
                            {
                                "massBalancingUsed": False,
                                "freeAttributionInMassBalancing": "not applicable",
                                "massBalancingCertificateScheme": "not applicable",
                            }
                        ],
                        "allocationInForeground": [allocation],
                    }
                ],
            }
        ],
        "general": [general],
        "carbonContent": [],
        "productLifeCycleStagesAndEmissions": [
            {
                "productionStage": [
                    {"pcfExcludingBiogenicUptake": gate, "pcfIncludingBiogenicUptake": gate}
                ],
                "distributionStage": [
                    {
                        "distributionStageIncluded": False,
                        "distributionStagePcfExcludingBiogenicUptake": _number(distribution.value),
                        "distributionStagePcfIncludingBiogenicUptake": _number(distribution.value),
                    }
                ],
                "packagingStage": [
                    {"packagingEmissionsIncluded": meta.packaging_emissions_included}
                ],
            }
        ],
    }
    stamp = time_entity.pop("created")  # the same footprint exported twice keeps its id
    id_and_version["id"] = deterministic_uuid(payload)
    time_entity["created"] = stamp
    return CatenaxPcfExport(payload, ())
