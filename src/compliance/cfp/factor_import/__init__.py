"""Factor datasets from LCA-database exports the user licenses (ecoinvent, openLCA).

:func:`import_factors` reads one or more exports (XLSX or CSV; layouts in :mod:`.layouts`),
checks every value and unit and the GWP basis, and returns the engine's own factor dataset
(``schemas/factor-dataset/1.0.0``) as YAML text plus the parsed :class:`FactorDataset`, or, when
anything is wrong, only located issues: an import never half-applies.

Checks, each a located issue (file, sheet, cell; row and column):

* every value is a finite number (``factors.not-a-number``);
* the impact unit is a CO2e mass (``kg CO2-Eq``, ``kg CO2 eq``; ``factors.not-climate``) and the
  reference unit of every flow is a known unit (``factors.unknown-unit``); their quotient,
  resolved by pint, is a factor dimension the engine uses (per kg, kWh, m3, piece, t.km);
  flows per any other unit (m2, m2*year ...) are reported and not imported
  (``factors.unsupported-unit``, a warning);
* the GWP basis is read from the LCIA method (IPCC 2021 and EF 3.1: AR6; IPCC 2013 and EF 3.0:
  AR5). A method the importer does not know needs ``gwp_set``; a declared set that contradicts
  the method is an error (``factors.gwp-mismatch``), as are factors of several bases in one
  dataset (``factors.gwp-mixed``);
* factor ids are unique (``factors.duplicate-id``) and of the engine's id form.

The licence is the user's statement of the terms they hold the data under (required); the
dataset records, per export, its file name, SHA-256, layout, indicator and the declared database
(``importedFrom``), and every CFP result using it repeats them.
"""

from __future__ import annotations

import hashlib
import math
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

import yaml

from compliance._version import __version__
from compliance.cfp.datasets import DatasetError, FactorDataset, parse_dataset
from compliance.cfp.factor_import.layouts import (
    LAYOUT_NAMES,
    LayoutRead,
    Located,
    RawFactor,
    cell_issue,
    read_ecoinvent,
    read_openlca,
)
from compliance.cfp.factor_import.tables import Sheet, cell_ref, read_tables
from compliance.errors import Issue, Severity, UnitError
from compliance.units import Dimension, resolve_unit

__all__ = ["LAYOUTS", "FactorImport", "ImportOptions", "gwp_basis_of", "import_factors"]

_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ParseError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    OSError,
)
LAYOUTS = tuple(LAYOUT_NAMES)
"""The layouts ``import_factors`` reads: ``ecoinvent``, ``openlca``."""

_FACTOR_DIMENSIONS = (
    Dimension.EMISSION_PER_MASS,
    Dimension.EMISSION_PER_ENERGY,
    Dimension.EMISSION_PER_VOLUME,
    Dimension.EMISSION_PER_ITEM,
    Dimension.EMISSION_PER_TRANSPORT,
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")
_CO2EQ = re.compile(r"CO2[\s_-]*(?:e|eq|equiv|equivalent)s?\.?(?![A-Za-z])", re.I)
_POWER = re.compile(r"([A-Za-z])([23])(?![0-9])")
"""``m2``/``m3`` as ecoinvent writes them: ``m**2``/``m**3``."""
_REFERENCE_UNITS = {
    "unit": "piece",
    "units": "piece",
    "item(s)": "piece",
    "item": "piece",
    "p": "piece",
    "pcs": "piece",
    "metric ton*km": "tkm",
    "ton kilometer": "tkm",
    "t*km": "tkm",
    "tkm": "tkm",
    "kilogram": "kg",
    "kilowatt hour": "kWh",
    "megajoule": "MJ",
    "cubic meter": "m3",
    "litre": "l",
    "liter": "l",
}
"""Reference-unit spellings of the exports that differ from the engine's (ecoinvent writes
``unit`` and ``metric ton*km``, openLCA ``Item(s)`` and ``t*km``)."""

_NON_FACTOR_UNITS = frozenset(
    {
        "m2",
        "m2*year",
        "ha",
        "km",
        "m",
        "m*year",
        "km*year",
        "kg*day",
        "hour",
        "h",
        "year",
        "person*km",
        "p*km",
        "vehicle*km",
        "guest night",
        "bq",
        "kbq",
        "eur2005",
        "usd2005",
    }
)
"""Reference units of LCA-database activities that no engine factor is per (area, land
occupation, distance, time, passenger transport, radioactivity, currency; from the unit list of
ecoinvent 3, as known to the authors): their rows are reported and skipped, not refused."""

_GWP_BY_METHOD = (
    (re.compile(r"\bIPCC\s*2021\b", re.I), "ipcc-ar6-gwp100"),
    (re.compile(r"\bEF\s*v?\s*3\.1\b|environmental footprint\s*3\.1", re.I), "ipcc-ar6-gwp100"),
    (re.compile(r"\bIPCC\s*2013\b", re.I), "ipcc-ar5-gwp100"),
    (re.compile(r"\bEF\s*v?\s*3\.0\b|environmental footprint\s*3\.0", re.I), "ipcc-ar5-gwp100"),
    (re.compile(r"\bIPCC\s*2007\b", re.I), "ipcc-ar4-gwp100"),
)
"""GWP100 basis of LCIA methods: IPCC 2021 is AR6 (WGI 2021, Table 7.15); EF 3.1 uses AR6
(JRC EF 3.1 method, 2022); IPCC 2013 is AR5 (WGI 2013, Table 8.A.1); EF 3.0 uses AR5; IPCC 2007
is AR4, which the engine has no GWP set for."""


def gwp_basis_of(method: str) -> str | None:
    """The GWP set an LCIA method characterises with, if the importer knows the method.

    >>> gwp_basis_of("IPCC 2021 no LT")
    'ipcc-ar6-gwp100'
    >>> gwp_basis_of("EF v3.0") , gwp_basis_of("ReCiPe 2016 v1.03, midpoint (H)")
    ('ipcc-ar5-gwp100', None)
    """
    return next((gwp for pattern, gwp in _GWP_BY_METHOD if pattern.search(method)), None)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the export does not say: the dataset's identity, licence and the column to read."""

    layout: str
    dataset_id: str
    version: str
    licence: str
    """The terms the user holds the data under (e.g. "ecoinvent EULA, licence no. 1234")."""
    title: str | None = None
    publisher: str | None = None
    licence_url: str | None = None
    attribution: str | None = None
    database: str | None = None
    """Database and system model, e.g. "ecoinvent 3.10 cut-off" (recorded, not checked)."""
    indicator: tuple[str, ...] | None = None
    """ecoinvent: (method, category, indicator); openLCA: (impact category,)."""
    gwp_set: str | None = None
    """Declared GWP basis; required when the method is not one the importer knows."""


@dataclass(frozen=True, slots=True)
class FactorImport:
    """The dataset (YAML text and parsed) or, on any error, ``None`` and the issues."""

    text: str | None
    dataset: FactorDataset | None
    issues: tuple[Issue, ...]
    skipped: int = 0
    """Rows not imported because their unit is not one a factor can have (warned)."""

    @property
    def ok(self) -> bool:
        """True when a dataset was produced."""
        return self.dataset is not None


@dataclass
class _Build:
    issues: list[Issue] = field(default_factory=list)
    factors: list[dict[str, Any]] = field(default_factory=list)
    seen: dict[str, Located] = field(default_factory=dict)
    skipped: int = 0


def _at(located: Located, file: str, code: str, message: str, **context: Any) -> Issue:
    severity = context.pop("severity", Severity.ERROR)
    return cell_issue(
        code, located.sheet, located.row, located.column, message, severity, file=file, **context
    )


def _impact_unit(text: str) -> str:
    return _CO2EQ.sub("CO2e", text).strip()


def _factor_unit(raw: RawFactor, build: _Build) -> str | None:
    """``<impact unit>/<reference unit>``, checked; ``None`` after recording why not."""
    impact = _impact_unit(raw.impact_unit.text)
    try:
        impact_ok = resolve_unit(impact).dimension is Dimension.EMISSION
    except UnitError:
        impact_ok = False
    if not impact_ok:
        build.issues.append(
            _at(
                raw.impact_unit,
                raw.file,
                "factors.not-climate",
                f"the impact unit {raw.impact_unit.text!r} is not a CO2e mass such as "
                "'kg CO2-Eq'; choose a climate-change indicator",
            )
        )
        return None
    reference = raw.reference_unit.text
    if reference.lower() in _NON_FACTOR_UNITS:
        _unsupported(raw, build)
        return None
    reference = _REFERENCE_UNITS.get(reference.lower(), _POWER.sub(r"\1**\2", reference))
    try:
        resolve_unit(reference)
        unit = (
            f"{impact}/({reference})"
            if " " in reference or "*" in reference
            else f"{impact}/{reference}"
        )
        resolved = resolve_unit(unit)
    except UnitError as exc:
        build.issues.append(
            _at(
                raw.reference_unit,
                raw.file,
                "factors.unknown-unit",
                f"unknown reference unit {raw.reference_unit.text!r} ({exc.message})",
            )
        )
        return None
    if resolved.dimension not in _FACTOR_DIMENSIONS:
        _unsupported(raw, build)
        return None
    return unit


def _unsupported(raw: RawFactor, build: _Build) -> None:
    build.skipped += 1
    build.issues.append(
        _at(
            raw.reference_unit,
            raw.file,
            "factors.unsupported-unit",
            f"{raw.label}: per {raw.reference_unit.text!r} is not a factor the engine uses "
            "(per kg, kWh, MJ, m3, piece or t*km); row not imported",
            severity=Severity.WARNING,
        )
    )


def _number(raw: RawFactor, build: _Build) -> float | None:
    value = raw.value.value
    number: float | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        build.issues.append(
            _at(
                raw.value,
                raw.file,
                "factors.not-a-number",
                f"{raw.label}: the value {raw.value.text!r} is not a finite number "
                "(a dot is the decimal separator)",
            )
        )
        return None
    if raw.reference_amount == 1.0:
        return number
    # per unit of the target amount; 12 significant digits drop the binary noise of the division
    return float(f"{number / raw.reference_amount:.12g}")


def _add(raw: RawFactor, build: _Build, source_label: str) -> None:
    ident = raw.id.text
    if not _ID.match(ident):
        build.issues.append(
            _at(raw.id, raw.file, "factors.bad-id", f"{ident!r} is not a usable factor id")
        )
        return
    first = build.seen.get(ident)
    if first is not None:
        build.issues.append(
            _at(
                raw.id,
                raw.file,
                "factors.duplicate-id",
                f"factor id {ident!r} already appears at {first.file + ' ' if first.file else ''}"
                f"{first.sheet}!{cell_ref(first.row, first.column)}",
            )
        )
        return
    build.seen[ident] = raw.id
    skipped = build.skipped
    unit = _factor_unit(raw, build)
    if build.skipped > skipped:
        return  # reported; its value is not read
    number = _number(raw, build)
    if number is None or unit is None:
        return
    factor: dict[str, Any] = {"id": ident, "value": f"{number!r} {unit}"}
    factor["source"] = f"{source_label}: {raw.label}"[:4000]
    if raw.geography:
        factor["geography"] = raw.geography[:300]
    build.factors.append(factor)


def _gwp(read: LayoutRead, options: ImportOptions, build: _Build) -> str | None:
    bases: dict[str, RawFactor] = {}
    known: dict[str, str | None] = {}
    for raw in read.factors:
        method = raw.method.text if raw.method is not None else ""
        if method not in known:
            known[method] = gwp_basis_of(method)
        basis = known[method]
        if basis is None and options.gwp_set is None and raw.method is not None:
            build.issues.append(
                _at(
                    raw.method,
                    raw.file,
                    "factors.gwp-undeclared",
                    f"the GWP basis of the method {method!r} is not known to the importer; "
                    "declare it (--gwp-set ipcc-ar6-gwp100 or ipcc-ar5-gwp100)",
                )
            )
            return None
        basis = basis or options.gwp_set
        if basis is not None and basis not in bases:
            bases[basis] = raw
    if len(bases) > 1:
        (first, a), (second, b) = list(bases.items())[:2]
        assert b.method is not None
        build.issues.append(
            _at(
                b.method,
                b.file,
                "factors.gwp-mixed",
                f"the method {b.method.text!r} characterises with {second}, but "
                f"{a.file} uses {first}; one dataset holds one GWP basis",
            )
        )
        return None
    basis = next(iter(bases), options.gwp_set)
    if basis is None:
        return None
    if options.gwp_set is not None and basis != options.gwp_set:
        raw = bases[basis]
        assert raw.method is not None
        build.issues.append(
            _at(
                raw.method,
                raw.file,
                "factors.gwp-mismatch",
                f"the method {raw.method.text!r} characterises with {basis}, not the declared "
                f"{options.gwp_set}",
            )
        )
        return None
    if basis not in ("ipcc-ar6-gwp100", "ipcc-ar5-gwp100"):
        raw = bases.get(basis) or read.factors[0]
        where = raw.method or raw.value
        build.issues.append(
            _at(
                where,
                raw.file,
                "factors.gwp-unsupported",
                f"GWP basis {basis} has no GWP set in the engine (ipcc-ar6-gwp100, "
                "ipcc-ar5-gwp100)",
            )
        )
        return None
    return basis


def _with_file(issue: Issue, file: str) -> Issue:
    if "file" in issue.context:
        return issue
    return Issue(
        issue.code,
        issue.pointer,
        issue.message,
        issue.severity,
        issue.layer,
        issue.line,
        issue.column,
        {**issue.context, "file": file},
    )


def import_factors(files: Sequence[tuple[str, bytes]], options: ImportOptions) -> FactorImport:
    """Convert LCA-database exports into one factor dataset (see the module documentation).

    Args:
        files: ``(file name, bytes)`` of each export; ecoinvent takes one, openLCA one per factor.
        options: Identity, licence, layout, indicator and declared GWP basis.
    """
    if options.layout not in LAYOUT_NAMES:
        raise ValueError(f"unknown layout {options.layout!r}; expected one of {LAYOUTS}")
    if not files:
        raise ValueError("import_factors needs at least one file")
    issues: list[Issue] = []
    tables: list[tuple[str, Sequence[Sheet]]] = []
    for name, data in files:
        sheets = read_tables(data, name)
        if isinstance(sheets, Issue):
            issues.append(_with_file(sheets, name))
        else:
            tables.append((name, sheets))
    if issues:
        return FactorImport(None, None, tuple(issues))
    if options.layout == "ecoinvent" and len(tables) != 1:
        raise ValueError("the ecoinvent layout reads one file")
    try:
        if options.layout == "ecoinvent":
            read = read_ecoinvent(tables[0][0], tables[0][1], options.indicator)
        else:
            read = read_openlca(tables, options.indicator)
    except _UNREADABLE as exc:  # a sheet's XML broken beyond what opening the workbook checks
        issue = Issue("factors.corrupted", "", f"the file cannot be read ({exc})", Severity.ERROR)
        return FactorImport(None, None, (_with_file(issue, files[0][0]),))
    build = _Build(issues=[_with_file(i, files[0][0]) for i in read.issues])
    if read.issues:
        return FactorImport(None, None, tuple(build.issues))
    gwp = _gwp(read, options, build)
    source_label = options.database or options.title or options.dataset_id
    for raw in read.factors:
        _add(raw, build, source_label)
    if not build.factors and not build.issues:
        build.issues.append(
            Issue(
                "factors.empty",
                "",
                "the export holds no factor rows",
                context={"file": files[0][0]},
            )
        )
    if gwp is None or any(i.severity is Severity.ERROR for i in build.issues):
        return FactorImport(None, None, tuple(build.issues), build.skipped)
    indicators = {raw.file: raw.indicator or read.indicator for raw in read.factors}
    document = _document(options, gwp, read.indicator, indicators, files, build.factors)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    name = f"{options.dataset_id}.yaml"
    try:
        dataset = parse_dataset(text.encode("utf-8"), name)
    except DatasetError as exc:  # options the dataset schema refuses (id form, licence URL ...)
        return FactorImport(None, None, (*build.issues, *exc.issues), build.skipped)
    return FactorImport(text, dataset, tuple(build.issues), build.skipped)


def _document(
    options: ImportOptions,
    gwp: str,
    indicator: str,
    indicators: dict[str, str],
    files: Sequence[tuple[str, bytes]],
    factors: list[dict[str, Any]],
) -> dict[str, Any]:
    sources = []
    for name, data in files:
        source: dict[str, Any] = {
            "file": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "layout": LAYOUT_NAMES[options.layout],
            "indicator": indicators.get(name, indicator),
        }
        if options.database:
            source["database"] = options.database
        source["importer"] = f"compliance {__version__}"
        sources.append(source)
    document: dict[str, Any] = {
        "id": options.dataset_id,
        "version": options.version,
        "title": options.title or f"{options.database or options.dataset_id}: {indicator}",
    }
    if options.publisher:
        document["publisher"] = options.publisher
    document["licence"] = options.licence
    if options.licence_url:
        document["licenceUrl"] = options.licence_url
    if options.attribution:
        document["attribution"] = options.attribution
    document["gwpSet"] = gwp
    document["importedFrom"] = sources
    document["factors"] = factors
    return document
