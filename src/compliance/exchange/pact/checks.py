"""The PACT rules the schemas cannot express, for one footprint (v2.0-2.3 and v3.0).

Sources (``shared/docs/interop.md``, research of the PACT Technical Specifications):

* decimal strings and their sign rules: section 1.6 (3.0.3 named decimal types; the schemas'
  ``x-comment``); a mass is never negative;
* v3 DQRs 1 to 5 and percentages 0 to 100: section 1.3; v2 DQRs 1 to 3 are in the v2.3 schema;
* validity: "if absent, the footprint is valid for 3 years from ``referencePeriodEnd``. Start >=
  refEnd; end <= refEnd + 3 years" (section 1.2); a footprint whose validity ended on or before
  the ``as_of`` date is expired;
* "O*" fields of v2.x: "optional only for reference periods that end before 2025. For reference
  periods that include 2025-01-01 or later, the field MUST be defined"; before 2025 at least one of
  ``primaryDataShare`` or ``dqi`` (section 1.2);
* leniency for genuine 2.0/2.1 data: their OpenAPI files require
  ``ipccCharacterizationFactorsSources`` without defining it (it arrived in 2.2), so it is not
  required of them (section 1.6); the
  mandatory-from-2025 rule is reported as a warning for them (the fields' definitions were
  settled in 2.2/2.3).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from compliance.errors import Issue, Layer, Severity
from compliance.exchange.pact.schemas import Generation, PactSchema
from compliance.exchange.pact.values import DecimalProblem, Sign, parse_datetime, parse_decimal

__all__ = ["Checked", "check_footprint", "spec_generation"]

O_STAR_FIELDS = (
    "pCfIncludingBiogenic",
    "dLucGhgEmissions",
    "landManagementGhgEmissions",
    "otherBiogenicGhgEmissions",
    "biogenicCarbonWithdrawal",
    "biogenicAccountingMethodology",
    "primaryDataShare",
    "dqi",
)
"""v2.3 fields marked O*: mandatory for reference periods including 2025-01-01 or later."""

MANDATORY_FROM = datetime(2025, 1, 1, tzinfo=UTC)
LENIENT_VERSIONS = ("2.0", "2.1")
"""Versions whose OpenAPI requires the undefined ``ipccCharacterizationFactorsSources``."""
_V3_DQRS = ("technologicalDQR", "geographicalDQR", "temporalDQR")


def spec_generation(spec_version: object) -> Generation | None:
    """The generation of a ``specVersion`` (``2.0.0``-``2.3.x`` -> V2, ``3.0.x`` -> V3).

    >>> spec_generation("2.3.1"), spec_generation("3.0.0"), spec_generation("1.0.0")
    (<Generation.V2: '2'>, <Generation.V3: '3'>, None)
    """
    if not isinstance(spec_version, str):
        return None
    parts = spec_version.split("-", 1)[0].split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    major, minor = int(parts[0]), int(parts[1])
    if major == 2 and minor <= 3:
        return Generation.V2
    if major == 3 and minor == 0:
        return Generation.V3
    return None


@dataclass(slots=True)
class Checked:
    """The parsed values of one footprint and the issues found."""

    decimals: dict[str, Decimal] = field(default_factory=dict)
    """``pcf`` decimal property -> value (only the valid ones)."""
    dqi: dict[str, Decimal] = field(default_factory=dict)
    times: dict[str, datetime] = field(default_factory=dict)
    validity: tuple[datetime, datetime] | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


def _present(obj: Mapping[str, Any], key: str) -> bool:
    """PACT v3: "undefined" is absent or ``null``."""
    return obj.get(key) is not None


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def check_footprint(
    pf: Mapping[str, Any], schema: PactSchema, *, base: str, as_of: date | None
) -> Checked:
    """Every PACT rule the schema cannot check, on one (schema-checked) footprint.

    Args:
        pf: The ProductFootprint object.
        schema: The schema of its generation (gives the decimal fields and sign rules).
        base: Its pointer in the file.
        as_of: The date the footprint is to be used on (expiry); ``None``: no expiry check.
    """
    out = Checked()

    def issue(
        code: str, pointer: str, message: str, severity: Severity = Severity.ERROR, **ctx: Any
    ) -> None:
        out.issues.append(
            Issue(code, base + pointer, message, severity, Layer.SEMANTIC, context=ctx)
        )

    pcf = pf.get("pcf")
    if not isinstance(pcf, Mapping):
        return out
    v3 = schema.generation is Generation.V3
    props = schema.defs["CarbonFootprint"]["properties"]
    for name, prop in props.items():
        if prop.get("format") != "decimal" or not _present(pcf, name):
            continue
        _decimal(pcf[name], f"/pcf/{name}", name, schema.signs.get(name), out, issue)
    mass = out.decimals.get("productMassPerDeclaredUnit")
    if mass is not None and mass < 0:
        issue("pact.sign", "/pcf/productMassPerDeclaredUnit", "a mass must be zero or more")
    if v3:
        for name in ("exemptedEmissionsPercent", "primaryDataShare"):
            _range(out.decimals.get(name), f"/pcf/{name}", Decimal(0), Decimal(100), issue)
        dqi = pcf.get("dqi")
        if isinstance(dqi, Mapping):
            for name in _V3_DQRS:
                if _present(dqi, name):
                    value = _decimal(dqi[name], f"/pcf/dqi/{name}", name, None, out, issue)
                    if value is not None:
                        out.dqi[name] = value
                        _range(value, f"/pcf/dqi/{name}", Decimal(1), Decimal(5), issue)
    else:
        _v2_rules(pf, pcf, out, issue)
    _periods(pf, pcf, out, issue, as_of)
    if pf.get("status") == "Deprecated":
        issue(
            "pact.deprecated",
            "/status",
            "the supplier has deprecated this footprint; ask for its successor",
            Severity.WARNING,
        )
    return out


_Issue = Callable[..., None]


def _decimal(
    raw: Any, pointer: str, name: str, sign: Sign | None, out: Checked, issue: _Issue
) -> Decimal | None:
    value = parse_decimal(raw)
    if isinstance(value, DecimalProblem):
        issue("pact.decimal", pointer, value.message)
        return None
    if sign is not None and not sign.holds(value):
        issue("pact.sign", pointer, f"{name} must be {sign.wording}, got {raw}", rule=sign.value)
        return None
    out.decimals.setdefault(name, value)
    return value


def _range(value: Decimal | None, pointer: str, low: Decimal, high: Decimal, issue: _Issue) -> None:
    if value is not None and not low <= value <= high:
        issue("pact.range", pointer, f"must lie between {low} and {high}, got {value}")


def _v2_rules(pf: Mapping[str, Any], pcf: Mapping[str, Any], out: Checked, issue: _Issue) -> None:
    spec = str(pf.get("specVersion", ""))
    lenient = spec.startswith(LENIENT_VERSIONS)
    if pcf.get("packagingEmissionsIncluded") is False and _present(pcf, "packagingGhgEmissions"):
        issue(
            "pact.packaging",
            "/pcf/packagingGhgEmissions",
            "packagingGhgEmissions must be absent when packagingEmissionsIncluded is false",
        )
    exempted = pcf.get("exemptedEmissionsPercent")
    if isinstance(exempted, int | float) and not isinstance(exempted, bool) and exempted > 5:
        issue(
            "pact.range",
            "/pcf/exemptedEmissionsPercent",
            f"{exempted} % exempted: the v2 specification text allows at most 5 % (its OpenAPI "
            "file allows 100)",
            Severity.WARNING,
        )
    if spec.startswith("2.3") and not _present(pcf, "crossSectoralStandards"):
        issue(
            "pact.mandatory-field",
            "/pcf/crossSectoralStandards",
            "crossSectoralStandards is mandatory in the v2.3 specification text (optional in its "
            "OpenAPI file)",
            Severity.WARNING,
        )
    if lenient and not _present(pcf, "ipccCharacterizationFactorsSources"):
        issue(
            "pact.lenient",
            "/pcf/ipccCharacterizationFactorsSources",
            f"not required of a {spec} footprint (the field arrived in 2.2; the 2.0/2.1 OpenAPI "
            "files require it without defining it); characterizationFactors is used",
            Severity.INFO,
        )
    ref_end = parse_datetime(pcf.get("referencePeriodEnd"))
    has_quality = _present(pcf, "primaryDataShare") or _present(pcf, "dqi")
    if ref_end is not None and ref_end > MANDATORY_FROM:
        missing = [name for name in O_STAR_FIELDS if not _present(pcf, name)]
        for name in missing:
            issue(
                "pact.mandatory-o-star",
                f"/pcf/{name}",
                f"{name} is mandatory for reference periods including 2025-01-01 or later "
                f"(period ends {pcf.get('referencePeriodEnd')})"
                + ("; accepted from a 2.0/2.1 footprint" if lenient else ""),
                Severity.WARNING if lenient else Severity.ERROR,
            )
    elif not has_quality:
        issue(
            "pact.mandatory-field",
            "/pcf/primaryDataShare",
            "give primaryDataShare or dqi (at least one is required before 2025)",
        )


def _periods(
    pf: Mapping[str, Any],
    pcf: Mapping[str, Any],
    out: Checked,
    issue: _Issue,
    as_of: date | None,
) -> None:
    for owner, pointer, name in (
        (pf, "", "created"),
        (pf, "", "updated"),
        (pf, "", "validityPeriodStart"),
        (pf, "", "validityPeriodEnd"),
        (pcf, "/pcf", "referencePeriodStart"),
        (pcf, "/pcf", "referencePeriodEnd"),
    ):
        if not _present(owner, name):
            continue
        moment = parse_datetime(owner[name])
        if moment is None:
            issue(
                "pact.datetime",
                f"{pointer}/{name}",
                f"{owner[name]!r} is not an ISO 8601 date-time with a time zone "
                "(e.g. 2025-01-01T00:00:00Z)",
            )
        else:
            out.times[name] = moment
    ref_start, ref_end = out.times.get("referencePeriodStart"), out.times.get("referencePeriodEnd")
    if ref_start is None or ref_end is None:
        return
    if ref_end <= ref_start:
        issue(
            "pact.period",
            "/pcf/referencePeriodEnd",
            "referencePeriodEnd (exclusive) must come after referencePeriodStart",
        )
        return
    start = out.times.get("validityPeriodStart", ref_end)
    latest = _add_years(ref_end, 3)
    end = out.times.get("validityPeriodEnd", latest)
    if start < ref_end:
        issue(
            "pact.validity",
            "/validityPeriodStart",
            "the validity period may not start before referencePeriodEnd",
        )
    if end > latest:
        issue(
            "pact.validity",
            "/validityPeriodEnd",
            f"the validity period may end at most 3 years after referencePeriodEnd "
            f"({latest.isoformat()})",
        )
    if end <= start:
        issue("pact.validity", "/validityPeriodEnd", "the validity period ends before it starts")
        return
    out.validity = (start, end)
    if as_of is None:
        return
    day = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    pointer = (
        "/validityPeriodEnd" if "validityPeriodEnd" in out.times else "/pcf/referencePeriodEnd"
    )
    if end <= day:
        issue(
            "pact.expired",
            pointer,
            f"the footprint expired on {end.date().isoformat()} (validity "
            f"{start.date().isoformat()} to {end.date().isoformat()}; as of {as_of.isoformat()})"
            + ("" if "validityPeriodEnd" in out.times else ", 3 years after its reference period"),
            valid_until=end.isoformat(),
        )
    elif start.date() > as_of:
        issue(
            "pact.not-yet-valid",
            "/validityPeriodStart",
            f"the validity starts on {start.date().isoformat()}, after {as_of.isoformat()}",
            Severity.WARNING,
        )
