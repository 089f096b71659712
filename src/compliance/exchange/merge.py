"""Put one imported supplier footprint into a submission's purchased components, all or nothing.

The component is found by id. An existing component keeps its name, amount and process unless new
ones are given, and gets the supplier and footprint of the import; a new component needs its
``process`` (which maps the PCF to a life-cycle stage, Annex II point 4) and ``amount`` (quantity
per battery). The footprint variant whose unit matches the amount is used; the merged submission
is validated like any submission, and is returned only when valid.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compliance.errors import Issue, Layer, Severity, UnitError
from compliance.exchange.footprint import ImportedFootprint
from compliance.pipeline import run_submission
from compliance.units import Dimension, parse_quantity_string, resolve_unit

__all__ = ["ComponentTarget", "MergeResult", "merge_footprint"]


@dataclass(frozen=True, slots=True)
class ComponentTarget:
    """Which purchased component receives the footprint, and what a new one needs."""

    component_id: str
    process: str | None = None
    """``ComponentProcess`` value (``cell-manufacture`` ...); required for a new component."""
    amount: str | None = None
    """Quantity per battery (``"96 piece"``, ``"12 kg"``); required for a new component."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged submission (``None`` on any error) and every issue."""

    document: dict[str, Any] | None
    issues: tuple[Issue, ...]
    created: bool = False

    @property
    def ok(self) -> bool:
        """True when the document was merged."""
        return self.document is not None


def _error(code: str, pointer: str, message: str) -> MergeResult:
    return MergeResult(None, (Issue(code, pointer, message, Severity.ERROR, Layer.SEMANTIC),))


def _dimension(amount: Any) -> Dimension | None:
    try:
        if isinstance(amount, str):
            _, unit = parse_quantity_string(amount)
        elif isinstance(amount, Mapping) and isinstance(amount.get("unit"), str):
            unit = amount["unit"]
        else:
            return None
        return resolve_unit(unit).dimension
    except (ValueError, UnitError):
        return None


def merge_footprint(
    submission: Any, footprint: ImportedFootprint, target: ComponentTarget, *, name: str
) -> MergeResult:
    """The submission with ``footprint`` in component ``target``; the input is not changed.

    Args:
        submission: The parsed submission document.
        footprint: The imported footprint.
        target: The component and, for a new one, its process and amount.
        name: The submission's file name (issue messages).
    """
    if not isinstance(submission, Mapping):
        return _error("exchange.submission-invalid", "", "the submission is not an object")
    document = copy.deepcopy(dict(submission))
    components = document.get("purchasedComponents", [])
    if not isinstance(components, list):
        return _error(
            "exchange.submission-invalid",
            "/purchasedComponents",
            "purchasedComponents is not a list",
        )
    index = next(
        (
            i
            for i, c in enumerate(components)
            if isinstance(c, Mapping) and c.get("id") == target.component_id
        ),
        None,
    )
    issues: list[Issue] = []
    created = index is None
    old: Mapping[str, Any] = components[index] if index is not None else {}
    pointer = f"/purchasedComponents/{len(components) if index is None else index}"
    amount = target.amount if target.amount is not None else old.get("amount")
    process = target.process if target.process is not None else old.get("process")
    if created:
        missing = [n for n, v in (("process", process), ("amount", amount)) if v is None]
        if missing:
            known = [c.get("id") for c in components if isinstance(c, Mapping)]
            return _error(
                "exchange.component-incomplete",
                "/purchasedComponents",
                f"{name} has no purchased component {target.component_id!r} "
                f"(it has {', '.join(map(str, known)) or 'none'}); a new one needs its "
                f"{' and '.join(missing)} (the process maps the PCF to a life-cycle stage; the "
                "amount is the quantity per battery)",
            )
    dimension = _dimension(amount)
    variant = footprint.variants.get(dimension) if dimension is not None else None
    if variant is None:
        offered = ", ".join(d.label for d in footprint.variants)
        given = dimension.label if dimension is not None else "not a quantity"
        return _error(
            "exchange.unit-mismatch",
            f"{pointer}/amount",
            f"the component amount {amount!r} ({given}) cannot use the footprint "
            f"{footprint.declared['value']!r}: it is usable per {offered}; give the amount in "
            "that unit",
        )
    entry: dict[str, Any] = dict(old)
    supplier = dict(footprint.supplier)
    old_supplier = old.get("supplier")
    if (
        "country" not in supplier
        and isinstance(old_supplier, Mapping)
        and "country" in old_supplier
    ):
        supplier["country"] = old_supplier["country"]
    old_footprint = old.get("footprint")
    if isinstance(old_footprint, Mapping) and "stageSplit" in old_footprint:
        issues.append(
            Issue(
                "exchange.split-replaced",
                f"{pointer}/footprint/stageSplit",
                "the previous footprint's stage split is replaced: the imported PCF is mapped to "
                f"a stage by the component's process ({process})",
                Severity.INFO,
                Layer.SEMANTIC,
            )
        )
    entry.update(
        {
            "id": target.component_id,
            "name": old.get("name", footprint.product_name),
            "supplier": supplier,
            "process": process,
            "amount": amount,
            "footprint": dict(variant),
        }
    )
    ordered = {k: entry[k] for k in ("id", "name", "supplier", "process", "amount", "footprint")}
    ordered.update({k: v for k, v in entry.items() if k not in ordered})
    if index is None:
        components = [*components, ordered]
    else:
        components = [*components[:index], ordered, *components[index + 1 :]]
    document["purchasedComponents"] = components
    run = run_submission(document, name=name)
    issues.extend(run.validation.issues)
    if not run.ok:
        return MergeResult(None, tuple(issues), created)
    return MergeResult(document, tuple(issues), created)
