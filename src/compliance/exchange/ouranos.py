"""Ouranos CFP records -> purchased-component footprints (``pcf import --format ouranos``).

Source of the data model: the minimal Ouranos data transaction system (NTT DATA, MIT,
``ouranos-ecosystem-idi/data-transaction-system`` ``docs/openapi.yaml`` "データ連携基盤 API
3.0.0" and ``docs/tutorials``): a part is a ``traceId``; its CFP is four ``CfpModel`` entries,
``preProduction`` / ``mainProduction`` (own emissions in pre-processing / main production) and
``preComponent`` / ``mainComponent`` (from purchased components, same stages), each with a
``ghgEmission`` per ``ghgDeclaredUnit`` (``kgCO2e/kilogram``, ``kgCO2e/unit`` ...) and a DQR
``{TeR, GeR, TiR}``. A buyer reading its own part's answer gets ``preProductionResponse`` /
``mainProductionResponse`` instead.

Input (one JSON document): the verbatim bodies of the API calls a buyer makes, under four keys
(the envelope is ours; Ouranos itself has no file format)::

    {"partsStructure": <GET datatransport?dataTarget=partsStructure>,   # parent + children
     "tradeRequests": [<GET datatransport?dataTarget=tradeRequest> ...],  # child -> supplier
     "operators": [<GET authInfo?dataTarget=operator> ...],              # supplier names
     "cfp": [<GET datatransport?dataTarget=cfp> ...]}                    # CfpModel entries

Each child part becomes one :class:`~compliance.exchange.footprint.ImportedFootprint` (its
``reference`` is the child's ``traceId``) naming its purchased component (the parent part is the
battery); :func:`compliance.exchange.merge.merge_footprint` puts it into a submission:

* ``id``: ``ouranos-<traceId>`` of the child unless the caller names the component;
* ``amount``: ``amountRequired`` in ``amountRequiredUnit`` per parent (``kilogram`` -> kg,
  ``unit`` -> piece, ``kilowatt-hour``, ``megajoule``); it must be in the PCF's declared unit;
* ``footprint.value``: preProduction + mainProduction + preComponent + mainComponent (the PACT
  total, interop research 4.3); ``stageSplit``: rawMaterial = preProduction + preComponent,
  mainProduction = mainProduction + mainComponent (Ouranos' pre-processing / main production
  stages are Annex II point 4(a) / (b) of Regulation (EU) 2023/1542);
* ``dataQuality``: each of TeR, GeR, TiR averaged over the four entries weighted by their
  emissions (the contribution weighting of the PEF DQR, Recommendation (EU) 2021/2279 Annex I);
  Ouranos does not restrict the scale, so values outside PEF's 1-5 (or missing) leave the
  component without a rating and say so (a warning);
* ``supplier``: the upstream operator of the trade whose ``downstreamTraceId`` is the child
  (name from ``operators``), the CFP read for the trade's ``upstreamTraceId`` first, then for the
  child's own trace (``*Response`` entries);
* ``process``: not in Ouranos; ``other`` unless the caller gives it (the stage split, not the
  process, places the PCF).

Every problem is an issue located by JSON Pointer into the input; with any error no footprint
is produced and the submission is left as it was.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from compliance.errors import Issue, Layer, Severity
from compliance.exchange.footprint import ComponentDefaults, FootprintImport, ImportedFootprint
from compliance.models.inventory import ComponentProcess, PurchasedComponent
from compliance.units import Dimension
from compliance.validation.locating import locate_issues
from compliance.validation.parsing import (
    DEFAULT_LIMITS,
    DocumentFormat,
    ParseLimits,
    parse_document,
)

__all__ = ["read_ouranos"]

_DECLARED = {
    "kgCO2e/kilogram": "kg",
    "kgCO2e/unit": "piece",
    "kgCO2e/kilowatt-hour": "kWh",
    "kgCO2e/megajoule": "MJ",
}
_OTHER_DECLARED = {
    "kgCO2e/liter",
    "kgCO2e/cubic-meter",
    "kgCO2e/ton-kilometer",
    "kgCO2e/square-meter",
}
_AMOUNT = {"kilogram": "kg", "unit": "piece", "kilowatt-hour": "kWh", "megajoule": "MJ"}
_DIMENSION = {
    "kg": Dimension.MASS,
    "piece": Dimension.ITEMS,
    "kWh": Dimension.ENERGY,
    "MJ": Dimension.ENERGY,
}
_BASE = ("preProduction", "mainProduction", "preComponent", "mainComponent")
_RESPONSE = ("preProductionResponse", "mainProductionResponse")
_TOTALS = {"preProductionTotal", "mainProductionTotal", "preComponentTotal", "mainComponentTotal"}
_DQR = ("TeR", "GeR", "TiR")


@dataclass
class _Entry:
    pointer: str
    emission: float
    unit: str
    dqr: dict[str, Any]
    cfp_id: str | None


@dataclass
class _Reader:
    name: str
    issues: list[Issue] = field(default_factory=list)

    def error(self, code: str, pointer: str, message: str, **context: Any) -> None:
        self.issues.append(
            Issue(code, pointer, message, Severity.ERROR, Layer.SEMANTIC, context=context)
        )

    def warn(self, code: str, pointer: str, message: str) -> None:
        self.issues.append(Issue(code, pointer, message, Severity.WARNING, Layer.SEMANTIC))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _entries(doc: Mapping[str, Any], r: _Reader) -> dict[str, dict[str, _Entry]]:
    by_trace: dict[str, dict[str, _Entry]] = {}
    entries = doc.get("cfp", [])
    if not isinstance(entries, list):
        r.error("ouranos.structure", "/cfp", "'cfp' must be the array of CfpModel entries")
        return by_trace
    for i, entry in enumerate(entries):
        at = f"/cfp/{i}"
        if not isinstance(entry, dict):
            r.error("ouranos.structure", at, "a CfpModel entry must be an object")
            continue
        trace, kind = entry.get("traceId"), entry.get("cfpType")
        if not isinstance(trace, str) or not trace:
            r.error("ouranos.structure", f"{at}/traceId", "traceId is missing")
            continue
        if kind in _TOTALS:
            r.warn(
                "ouranos.not-used",
                f"{at}/cfpType",
                f"{kind} is a total computed by the platform; the four parts are used instead",
            )
            continue
        if kind not in (*_BASE, *_RESPONSE):
            r.error("ouranos.cfp-type", f"{at}/cfpType", f"unknown cfpType {kind!r}")
            continue
        emission = _number(entry.get("ghgEmission"))
        if emission is None or emission < 0:
            r.error(
                "ouranos.emission",
                f"{at}/ghgEmission",
                f"ghgEmission {entry.get('ghgEmission')!r} is not a number >= 0",
            )
            continue
        unit = entry.get("ghgDeclaredUnit")
        if unit not in _DECLARED:
            hint = (
                "a declared unit a purchased component cannot have (per kg, piece, kWh or MJ)"
                if unit in _OTHER_DECLARED
                else "not an Ouranos ghgDeclaredUnit"
            )
            r.error("ouranos.unit", f"{at}/ghgDeclaredUnit", f"{unit!r}: {hint}")
            continue
        dqr = entry.get("dqrValue")
        slot = by_trace.setdefault(trace, {})
        if kind in slot:
            r.error(
                "ouranos.duplicate",
                f"{at}/cfpType",
                f"trace {trace} has two {kind} entries (the other at {slot[kind].pointer})",
            )
            continue
        cfp_id = entry.get("cfpId")
        slot[kind] = _Entry(at, emission, unit, dqr if isinstance(dqr, dict) else {}, cfp_id)
    return by_trace


def _quality(parts: Sequence[_Entry], r: _Reader, where: str) -> dict[str, float] | None:
    """Emission-weighted TeR/GeR/TiR; ``None`` (warned) when a rating is off PEF's 1-5 scale."""
    for entry in parts:
        for key in _DQR:
            value = entry.dqr.get(key)
            if value is not None and _number(value) is None:
                r.error(
                    "ouranos.dqr",
                    f"{entry.pointer}/dqrValue/{key}",
                    f"{key} {value!r} is not a number",
                )
                return None
            number = _number(value)
            if number is None or not 1 <= number <= 5:
                r.warn(
                    "ouranos.dqr-scale",
                    f"{entry.pointer}/dqrValue/{key}",
                    f"{key} {value!r} is not a PEF rating (1-5); {where} is imported without a "
                    "data quality rating (check the scale with the supplier)",
                )
                return None
    total = sum(e.emission for e in parts)
    weights = [e.emission / total for e in parts] if total > 0 else [1 / len(parts)] * len(parts)
    return {
        key.lower(): round(
            sum(w * float(e.dqr[key]) for w, e in zip(weights, parts, strict=True)), 6
        )
        for key in _DQR
    }


def _find(items: Any, key: str, value: str) -> Mapping[str, Any] | None:
    """The first object of a list whose ``key`` is ``value``."""
    if not isinstance(items, list):
        return None
    return next((i for i in items if isinstance(i, dict) and i.get(key) == value), None)


def _supplier(
    trace: str, doc: Mapping[str, Any], r: _Reader, at: str
) -> tuple[dict[str, Any], str] | None:
    trades = doc.get("tradeRequests")
    trade = _find(trades, "downstreamTraceId", trace)
    if trade is None:
        r.error(
            "ouranos.no-supplier",
            f"{at}/traceId",
            f"no tradeRequest links part {trace} to a supplier (tradeRequests[].downstreamTraceId)",
        )
        return None
    operator_id = str(trade.get("upstreamOperatorId", ""))
    operator = _find(doc.get("operators"), "operatorId", operator_id)
    identifiers = [{"scheme": "ouranos-operator-id", "value": operator_id}]
    if operator is None or not str(operator.get("operatorName", "")).strip():
        r.warn(
            "ouranos.operator-unnamed",
            f"{at}/traceId",
            f"operator {operator_id} is not in 'operators'; the supplier is named by its id",
        )
        name = f"Ouranos operator {operator_id}"
    else:
        name = str(operator["operatorName"]).strip()
        if str(operator.get("openOperatorId", "")).strip():
            identifiers.append(
                {"scheme": "ouranos-open-operator-id", "value": str(operator["openOperatorId"])}
            )
        attribute = operator.get("operatorAttribute")
        if isinstance(attribute, dict) and str(attribute.get("globalOperatorId") or "").strip():
            identifiers.append(
                {
                    "scheme": "ouranos-global-operator-id",
                    "value": str(attribute["globalOperatorId"]),
                }
            )
    upstream = str(trade.get("upstreamTraceId") or "")
    return {"name": name, "identifiers": identifiers}, upstream


def _fmt(value: float) -> str:
    return f"{float(f'{value:.12g}')!r}"


def _component(
    child: Mapping[str, Any],
    at: str,
    doc: Mapping[str, Any],
    cfp: Mapping[str, dict[str, _Entry]],
    r: _Reader,
) -> ImportedFootprint | None:
    trace = child.get("traceId")
    if not isinstance(trace, str) or not trace:
        r.error("ouranos.structure", f"{at}/traceId", "the child part has no traceId")
        return None
    found = _supplier(trace, doc, r, at)
    if found is None:
        return None
    supplier, upstream = found
    entries = cfp.get(upstream) or cfp.get(trace) or {}
    if all(k in entries for k in _BASE):
        parts = [entries[k] for k in _BASE]
        raw = entries["preProduction"].emission + entries["preComponent"].emission
        main = entries["mainProduction"].emission + entries["mainComponent"].emission
        kinds = " + ".join(_BASE)
    elif all(k in entries for k in _RESPONSE):
        parts = [entries[k] for k in _RESPONSE]
        raw, main = parts[0].emission, parts[1].emission
        kinds = " + ".join(_RESPONSE)
        r.warn(
            "ouranos.response-values",
            parts[0].pointer,
            f"part {trace}: only the supplier's answered stage values (*Response) are available; "
            "they are read as the whole pre-processing and main-production footprints",
        )
    else:
        have = ", ".join(sorted(entries)) or "none"
        r.error(
            "ouranos.cfp-incomplete",
            f"{at}/traceId",
            f"part {trace}: the CFP needs preProduction, mainProduction, preComponent and "
            f"mainComponent (or both *Response values) for trace {upstream or trace}; found {have}",
        )
        return None
    units = {e.unit for e in parts}
    if len(units) > 1:
        r.error(
            "ouranos.unit",
            f"{parts[-1].pointer}/ghgDeclaredUnit",
            f"part {trace}: the CFP entries use different declared units "
            f"({', '.join(sorted(units))})",
        )
        return None
    ghg_unit = units.pop()
    declared = _DECLARED[ghg_unit]
    amount_unit = _AMOUNT.get(str(child.get("amountRequiredUnit")))
    amount = _number(child.get("amountRequired"))
    if amount is None or amount <= 0:
        r.error(
            "ouranos.amount",
            f"{at}/amountRequired",
            f"amountRequired {child.get('amountRequired')!r} is not a number > 0",
        )
        return None
    if amount_unit is None or _DIMENSION[amount_unit] != _DIMENSION[declared]:
        r.error(
            "ouranos.amount",
            f"{at}/amountRequiredUnit",
            f"part {trace}: amountRequiredUnit {child.get('amountRequiredUnit')!r} does not match "
            f"the CFP's declared unit (per {declared})",
        )
        return None
    per = f"kg CO2e/{declared}"
    footprint: dict[str, Any] = {
        "value": f"{_fmt(raw + main)} {per}",
        "stageSplit": {
            "rawMaterial": f"{_fmt(raw)} {per}",
            "mainProduction": f"{_fmt(main)} {per}",
        },
        "standard": "Ouranos CFP data model (data transaction system API 3.0.0)",
        "reference": f"urn:uuid:{parts[0].cfp_id or upstream or trace}",
        "source": (
            f"Ouranos CFP of trace {upstream or trace} ({', '.join(e.pointer for e in parts)} "
            f"of {r.name})"
        ),
    }
    quality = _quality(parts, r, f"part {trace}")
    if quality is not None:
        footprint["dataQuality"] = quality
    name = str(child.get("partsName") or "").strip() or trace
    support = str(child.get("supportPartsName") or "").strip()
    defaults = ComponentDefaults(
        id=f"ouranos-{trace}"[:64],
        process=ComponentProcess.OTHER.value,
        amount=f"{_fmt(amount)} {amount_unit}",
    )
    title = f"{name} ({support})" if support else name
    component: dict[str, Any] = {
        "id": defaults.id,
        "name": title,
        "supplier": supplier,
        "process": defaults.process,
        "amount": defaults.amount,
        "footprint": footprint,
    }
    try:
        PurchasedComponent.model_validate(component)
    except ValidationError as exc:  # e.g. an amount out of range
        for error in exc.errors():
            r.error("ouranos.invalid", at, f"{'/'.join(map(str, error['loc']))}: {error['msg']}")
        return None
    return ImportedFootprint(
        pointer=at,
        reference=trace,
        product_name=title,
        supplier=supplier,
        variants={_DIMENSION[declared]: footprint},
        format="ouranos",
        details={
            "declaredUnit": ghg_unit,
            "cfpTrace": upstream or trace,
            "cfp": kinds,
            "amountRequired": defaults.amount,
        },
        component=defaults,
    )


def read_ouranos(
    data: bytes,
    *,
    name: str | None = None,
    only: str | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
) -> FootprintImport:
    """The footprints of the children of an Ouranos parts structure; never raises on bad input.

    Args:
        data: The JSON bundle (see the module documentation).
        name: The file name, for sources and messages.
        only: Read only the child part with this ``traceId`` (the others are not checked).
        limits: Parser limits.
    """
    r = _Reader(name or "the Ouranos bundle")
    parsed = parse_document(data, name=name, format=DocumentFormat.JSON, limits=limits)
    if not parsed.ok:
        return FootprintImport((), parsed.issues, parsed.text)
    doc = parsed.data
    structure = doc.get("partsStructure") if isinstance(doc, dict) else None
    children = structure.get("childrenPartsModel") if isinstance(structure, dict) else None
    if not isinstance(children, list) or not children:
        r.error(
            "ouranos.structure",
            "/partsStructure/childrenPartsModel",
            "no child parts: 'partsStructure' must be the body of GET "
            "datatransport?dataTarget=partsStructure with at least one child",
        )
        return _result([], r, parsed.text)
    cfp = _entries(doc, r)
    footprints: list[ImportedFootprint] = []
    seen: dict[str, str] = {}
    for i, child in enumerate(children):
        at = f"/partsStructure/childrenPartsModel/{i}"
        if not isinstance(child, dict):
            r.error("ouranos.structure", at, "a child part must be an object")
            continue
        trace = str(child.get("traceId"))
        if trace in seen:
            r.error(
                "ouranos.duplicate",
                f"{at}/traceId",
                f"part {trace} is listed twice (also {seen[trace]})",
            )
            continue
        seen[trace] = at
        if only is not None and trace.lower() != only.lower():
            continue
        footprint = _component(child, at, doc, cfp, r)
        if footprint is not None:
            footprints.append(footprint)
    if only is not None and only.lower() not in {t.lower() for t in seen}:
        r.error(
            "ouranos.part-not-found",
            "/partsStructure/childrenPartsModel",
            f"no child part with traceId {only} in this bundle; it has {', '.join(seen) or 'none'}",
        )
    return _result(footprints, r, parsed.text)


def _result(footprints: list[ImportedFootprint], r: _Reader, text: str | None) -> FootprintImport:
    issues = tuple(r.issues)
    if issues and text is not None:
        issues = tuple(locate_issues(issues, text, DocumentFormat.JSON))
    ok = not any(i.severity is Severity.ERROR for i in issues)
    return FootprintImport(tuple(footprints) if ok else (), issues, text)
