"""The result of a recycled-content calculation: per element, per line, per target, with its trace.

Masses are :class:`~compliance.units.Quantity` (kg); shares are fractions (0-1), reported in
percent with the ruleset's rounding. ``to_dict`` is the JSON form (camelCase) the CLI, the
reports and the pipeline's callers read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from compliance.errors import Issue
from compliance.models import RecoveredElement
from compliance.units import Quantity

__all__ = [
    "DeclaredComparison",
    "ElementResult",
    "LineElement",
    "RecycledOutcome",
    "RecycledResult",
    "RejectedClaim",
    "RulesetRef",
    "ScopeResult",
    "TargetCheck",
]


@dataclass(frozen=True, slots=True)
class RejectedClaim:
    """A supplier's recycled claim a due-diligence rule rejected (from the DD result)."""

    element: RecoveredElement
    supplier: str
    rule: str
    """The DD rule (finding id) that rejected it, e.g. ``CX-02``."""
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "element": self.element.value,
            "supplier": self.supplier,
            "rule": self.rule,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class LineElement:
    """One element in one BOM line: its mass and the recovered-from-waste mass counted."""

    line_id: str
    pointer: str
    """JSON Pointer of the BOM line."""
    material: str
    element: RecoveredElement
    material_mass: Quantity
    mass_fraction: float
    content_source: str
    """``stated: <source>`` or ``compound <id> (<name>), stoichiometric``."""
    element_mass: Quantity
    pre_consumer: float
    post_consumer: float
    unclassified: float
    """Share of the element recycled but not split into pre- and post-consumer."""
    recovered_pre: Quantity
    recovered_post: Quantity
    recovered_unclassified: Quantity
    steps: tuple[str, ...]
    """Each rule applied to this line and element, in order."""

    @property
    def recovered(self) -> float:
        """Recovered-from-waste mass counted, in kg."""
        return (
            self.recovered_pre.magnitude
            + self.recovered_post.magnitude
            + self.recovered_unclassified.magnitude
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "line": self.line_id,
            "pointer": self.pointer,
            "material": self.material,
            "element": self.element.value,
            "materialMass": self.material_mass.to_wire(),
            "massFraction": self.mass_fraction,
            "contentSource": self.content_source,
            "elementMass": self.element_mass.to_wire(),
            "preConsumer": self.pre_consumer,
            "postConsumer": self.post_consumer,
            "unclassified": self.unclassified,
            "recoveredPreConsumer": self.recovered_pre.to_wire(),
            "recoveredPostConsumer": self.recovered_post.to_wire(),
            "recoveredUnclassified": self.recovered_unclassified.to_wire(),
            "steps": list(self.steps),
        }


@dataclass(frozen=True, slots=True)
class ElementResult:
    """One element over the battery: total mass, recovered mass and share."""

    element: RecoveredElement
    basis: str
    total: Quantity
    recovered_pre: Quantity
    recovered_post: Quantity
    recovered_unclassified: Quantity
    share: float | None
    """Recovered / total; ``None`` when the battery holds none of the element."""
    share_pre: float | None
    share_post: float | None
    share_percent: float | None
    """``share`` in percent, rounded per the ruleset."""
    lines: tuple[LineElement, ...]

    @property
    def recovered(self) -> float:
        """Recovered-from-waste mass, in kg."""
        return (
            self.recovered_pre.magnitude
            + self.recovered_post.magnitude
            + self.recovered_unclassified.magnitude
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "element": self.element.value,
            "basis": self.basis,
            "total": self.total.to_wire(),
            "recoveredPreConsumer": self.recovered_pre.to_wire(),
            "recoveredPostConsumer": self.recovered_post.to_wire(),
            "recoveredUnclassified": self.recovered_unclassified.to_wire(),
            "share": self.share,
            "sharePreConsumer": self.share_pre,
            "sharePostConsumer": self.share_post,
            "sharePercent": self.share_percent,
            "lines": [line.to_dict() for line in self.lines],
        }


@dataclass(frozen=True, slots=True)
class TargetCheck:
    """One Art. 8(2)/(3) minimum for one element."""

    target: str
    paragraph: str
    element: RecoveredElement
    minimum: float
    applies_from: date
    applies_to_category: bool
    """The battery's category (and capacity) is within the paragraph's scope."""
    in_force: bool
    """``as_of`` is on or after ``applies_from``."""
    met: bool | None
    """``None`` when the battery holds none of the element (nothing to meet)."""
    margin_points: float | None
    """Share minus minimum, in percentage points (negative: short)."""
    shortfall: Quantity | None
    """Extra recovered mass needed to meet the minimum (kg), when short."""
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "target": self.target,
            "paragraph": self.paragraph,
            "element": self.element.value,
            "minimum": self.minimum,
            "appliesFrom": self.applies_from.isoformat(),
            "appliesToCategory": self.applies_to_category,
            "inForce": self.in_force,
            "met": self.met,
            "marginPoints": self.margin_points,
            "shortfall": None if self.shortfall is None else self.shortfall.to_wire(),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class ScopeResult:
    """Whether Art. 8 covers the battery, and why."""

    covered: bool
    reason: str
    documentation_from: date | None
    """Art. 8(1) documentation date for the category (``None``: not covered)."""
    documentation_condition: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "covered": self.covered,
            "reason": self.reason,
            "documentationFrom": (
                None if self.documentation_from is None else self.documentation_from.isoformat()
            ),
            "documentationCondition": self.documentation_condition,
        }


@dataclass(frozen=True, slots=True)
class DeclaredComparison:
    """The supplier's declared share (passport block) beside the computed one."""

    element: RecoveredElement
    declared_pre: float
    declared_post: float
    computed_pre: float | None
    computed_post: float | None
    status: str
    """``consistent``, ``lower`` (declared below computed), ``unsupported`` (above it) or
    ``no-element`` (declared for an element the battery does not hold)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "element": self.element.value,
            "declaredPreConsumer": self.declared_pre,
            "declaredPostConsumer": self.declared_post,
            "computedPreConsumer": self.computed_pre,
            "computedPostConsumer": self.computed_post,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class RulesetRef:
    """The ruleset and compound table a result used."""

    id: str
    version: str
    status: str
    sha256: str
    compounds_version: str
    compounds_sha256: str
    origin: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "version": self.version,
            "status": self.status,
            "sha256": self.sha256,
            "compounds": {"version": self.compounds_version, "sha256": self.compounds_sha256},
            "origin": self.origin,
        }


@dataclass(frozen=True, slots=True)
class RecycledResult:
    """Recycled content of one battery model from one plant (Art. 8)."""

    ruleset: RulesetRef
    battery_model: str
    category: str
    as_of: date
    scope: ScopeResult
    elements: tuple[ElementResult, ...]
    targets: tuple[TargetCheck, ...]
    declared: tuple[DeclaredComparison, ...]
    rejected_claims: tuple[RejectedClaim, ...]
    """DD-rejected claims applied to a line (their supplier holds the element); the result was
    computed without them. A rejection matching no line is an issue instead."""
    rules: tuple[tuple[str, str], ...]
    """(rule, source) of every ruleset choice the calculation applied."""
    percent_decimals: int
    """Decimals of the reported percentages (the ruleset's rounding)."""

    def element(self, element: RecoveredElement) -> ElementResult | None:
        """The result of one element, if the battery holds it."""
        return next((e for e in self.elements if e.element is element), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "ruleset": self.ruleset.to_dict(),
            "batteryModel": self.battery_model,
            "category": self.category,
            "asOf": self.as_of.isoformat(),
            "scope": self.scope.to_dict(),
            "elements": [e.to_dict() for e in self.elements],
            "targets": [t.to_dict() for t in self.targets],
            "declared": [d.to_dict() for d in self.declared],
            "rejectedClaims": [c.to_dict() for c in self.rejected_claims],
            "rules": [{"rule": r, "source": s} for r, s in self.rules],
        }


@dataclass(frozen=True, slots=True)
class RecycledOutcome:
    """The result (``None`` when an error stopped the calculation) and the issues found."""

    result: RecycledResult | None
    issues: tuple[Issue, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "result": None if self.result is None else self.result.to_dict(),
            "issues": [i.to_dict() for i in self.issues],
        }
