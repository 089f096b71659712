"""Ouranos CFP records -> purchased-component PCFs of a supplier submission.

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

Each child part becomes one purchased component (the parent part is the battery):

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
* ``process``: not in Ouranos; ``other`` unless the caller maps the trace (the stage split, not
  the process, places the PCF).

Every problem is an issue located by JSON Pointer into the input; with any error no component
is produced and the submission is left as it was.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from compliance.errors import Issue, Layer, Severity
from compliance.models.inventory import ComponentProcess, PurchasedComponent

__all__ = ["OuranosImport", "merge_components", "read_ouranos"]

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
_DIMENSION = {"kg": "mass", "piece": "items", "kWh": "energy", "MJ": "energy"}
_BASE = ("preProduction", "mainProduction", "preComponent", "mainComponent")
_RESPONSE = ("preProductionResponse", "mainProductionResponse")
_TOTALS = {"preProductionTotal", "mainProductionTotal", "preComponentTotal", "mainComponentTotal"}
_DQR = ("TeR", "GeR", "TiR")


@dataclass(frozen=True, slots=True)
class OuranosImport:
    """The purchased components (wire form) or, on any error, none; and every issue."""

    components: tuple[dict[str, Any], ...]
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


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
    processes: Mapping[str, str],
    r: _Reader,
) -> dict[str, Any] | None:
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
    elif all(k in entries for k in _RESPONSE):
        parts = [entries[k] for k in _RESPONSE]
        raw, main = parts[0].emission, parts[1].emission
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
    declared = _DECLARED[units.pop()]
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
    process = processes.get(trace, ComponentProcess.OTHER.value)
    return {
        "id": f"ouranos-{trace}"[:64],
        "name": f"{name} ({support})" if support else name,
        "supplier": supplier,
        "process": process,
        "amount": f"{_fmt(amount)} {amount_unit}",
        "footprint": footprint,
    }


def read_ouranos(
    data: bytes, name: str, *, processes: Mapping[str, str] | None = None
) -> OuranosImport:
    """The purchased components of the children of an Ouranos parts structure.

    Args:
        data: The JSON bundle (see the module documentation).
        name: The file name, for sources and messages.
        processes: ``traceId -> ComponentProcess`` value for parts whose process is known.
    """
    r = _Reader(name)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        r.error("parse.encoding", "", "the file is not UTF-8")
        return OuranosImport((), tuple(r.issues))
    except RecursionError:
        r.issues.append(
            Issue(
                "parse.too-deep", "", "the JSON is nested too deeply", Severity.ERROR, Layer.PARSE
            )
        )
        return OuranosImport((), tuple(r.issues))
    except json.JSONDecodeError as exc:
        r.issues.append(
            Issue(
                "parse.invalid-json",
                "",
                exc.msg,
                Severity.ERROR,
                Layer.PARSE,
                exc.lineno,
                exc.colno,
            )
        )
        return OuranosImport((), tuple(r.issues))
    structure = doc.get("partsStructure") if isinstance(doc, dict) else None
    children = structure.get("childrenPartsModel") if isinstance(structure, dict) else None
    if not isinstance(children, list) or not children:
        r.error(
            "ouranos.structure",
            "/partsStructure/childrenPartsModel",
            "no child parts: 'partsStructure' must be the body of GET "
            "datatransport?dataTarget=partsStructure with at least one child",
        )
        return OuranosImport((), tuple(r.issues))
    known = {p.value for p in ComponentProcess}
    for trace, process in (processes or {}).items():
        if process not in known:
            raise ValueError(f"unknown process {process!r} for {trace}")
    cfp = _entries(doc, r)
    components: list[dict[str, Any]] = []
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
        component = _component(child, at, doc, cfp, processes or {}, r)
        if component is None:
            continue
        try:
            PurchasedComponent.model_validate(component)
        except ValidationError as exc:  # e.g. an amount out of range
            for error in exc.errors():
                r.error(
                    "ouranos.invalid", at, f"{'/'.join(map(str, error['loc']))}: {error['msg']}"
                )
            continue
        components.append(component)
    if any(i.severity is Severity.ERROR for i in r.issues):
        return OuranosImport((), tuple(r.issues))
    return OuranosImport(tuple(components), tuple(r.issues))


def merge_components(
    submission: Mapping[str, Any], imported: OuranosImport
) -> tuple[dict[str, Any] | None, tuple[Issue, ...]]:
    """A copy of the submission document with the components appended (nothing on conflict)."""
    if not imported.ok:
        return None, imported.issues
    existing = submission.get("purchasedComponents", [])
    if not isinstance(existing, list):
        existing = []
    index = {c.get("id"): i for i, c in enumerate(existing) if isinstance(c, dict)}
    clashes = [
        Issue(
            "ouranos.duplicate",
            f"/purchasedComponents/{index[comp['id']]}/id",
            f"the submission already has a purchased component {comp['id']!r}; nothing imported",
            Severity.ERROR,
            Layer.SEMANTIC,
        )
        for comp in imported.components
        if comp["id"] in index
    ]
    if clashes:
        return None, (*imported.issues, *clashes)
    merged = dict(submission)
    merged["purchasedComponents"] = [*existing, *imported.components]
    return merged, imported.issues
