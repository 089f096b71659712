"""Resolving factors: inline, from a dataset by reference, or a ruleset default; with checks.

Checks made here (each a located issue, never a silent number): a referenced dataset or factor
that does not exist, a factor of the wrong dimension for its line, a factor characterised with
another GWP set than the study's (unless the ruleset tolerates that dataset, which is reported),
and factors whose validity ended before the calculation date.
"""

from __future__ import annotations

from datetime import date

from compliance.cfp.datasets import CO2_ONLY, DatasetFactor, FactorDataset, FactorLibrary
from compliance.cfp.rulesets import CfpRuleset
from compliance.cfp.terms import FactorUse
from compliance.errors import Issue, Layer, Severity
from compliance.models import FactorReference, InlineFactor
from compliance.units import Dimension, Quantity

__all__ = ["FactorResolver"]

_new_tuple = tuple.__new__


def _with_validity(spec: InlineFactor) -> str:
    """The factor's source, with its declared validity period when it has one."""
    if spec.valid_from is None and spec.valid_until is None:
        return spec.source
    start = spec.valid_from.isoformat() if spec.valid_from else "..."
    end = spec.valid_until.isoformat() if spec.valid_until else "..."
    return f"{spec.source} (valid {start} to {end})"


def _issue(code: str, pointer: str, message: str, severity: Severity = Severity.ERROR) -> Issue:
    return Issue(code, pointer, message, severity, Layer.RULE)


class FactorResolver:
    """Turns factor specifications into :class:`FactorUse`, collecting issues and datasets used."""

    def __init__(
        self, library: FactorLibrary, ruleset: CfpRuleset, gwp_set: str, as_of: date
    ) -> None:
        self.library = library
        self.ruleset = ruleset
        self.gwp_set = gwp_set
        self.as_of = as_of
        self.issues: list[Issue] = []
        self.used: dict[str, FactorDataset] = {}
        self._reported: set[str] = set()
        self._tolerated = {t.dataset: t.justification for t in ruleset.gwp.tolerated_datasets}

    # -- public ----------------------------------------------------------------------------

    def spec(
        self,
        spec: InlineFactor | FactorReference | None,
        pointer: str,
        allowed: tuple[Dimension, ...],
    ) -> FactorUse | None:
        """An inline factor or a dataset reference given on a line (``None`` if not given)."""
        if spec is None:
            return None
        if type(spec) is FactorReference:
            return self.reference(spec.dataset, spec.factor_id, pointer, allowed, spec.version)
        inline: InlineFactor = spec  # type: ignore[assignment] # not a reference: inline
        spec = inline
        value: Quantity = inline.value  # type: ignore[attr-defined] # every inline factor has one
        if value.dimension not in allowed:
            self._dimension_ok(value, allowed, f"{pointer}/value")
            return None
        if spec.gwp_set is not None and spec.gwp_set not in (self.gwp_set, CO2_ONLY):
            self.issues.append(
                _issue(
                    "cfp.gwp-mixed",
                    f"{pointer}/gwpSet",
                    f"the factor was characterised with {spec.gwp_set}, the study uses "
                    f"{self.gwp_set}; a study never mixes GWP sets",
                )
            )
            return None
        if spec.valid_from is not None and spec.valid_from > self.as_of:
            self.issues.append(
                _issue(
                    "cfp.factor-not-yet-valid",
                    f"{pointer}/validFrom",
                    f"the factor is valid from {spec.valid_from}, after {self.as_of}",
                    Severity.WARNING,
                )
            )
        if spec.valid_until is not None and spec.valid_until < self.as_of:
            self.issues.append(
                _issue(
                    "cfp.factor-outdated",
                    f"{pointer}/validUntil",
                    f"the factor was valid until {spec.valid_until}, before {self.as_of}",
                    Severity.WARNING,
                )
            )
        # tuple.__new__ builds the named tuple without its Python-level __new__ (2x faster on
        # this hot path); the field order is FactorUse's.
        return _new_tuple(
            FactorUse,
            (
                value.magnitude,
                value.dimension.canonical_unit,
                pointer,
                _with_validity(spec),
                None,
                value,
                spec.data_quality,
                1.0 if spec.primary_data else 0.0,
                spec.uncertainty,
                None,
            ),
        )

    def reference(
        self,
        dataset_id: str,
        factor_id: str,
        pointer: str,
        allowed: tuple[Dimension, ...],
        version: str | None = None,
    ) -> FactorUse | None:
        """A factor from a dataset; ``pointer`` locates the line (or reference) asking for it."""
        dataset = self.library.get(dataset_id)
        if dataset is None:
            known = ", ".join(sorted(self.library.datasets)) or "none"
            self.issues.append(
                _issue(
                    "cfp.dataset-unknown",
                    pointer,
                    f"factor dataset {dataset_id!r} is not available (loaded: {known})",
                )
            )
            return None
        if version is not None and version != dataset.version:
            self.issues.append(
                _issue(
                    "cfp.dataset-version",
                    pointer,
                    f"the line pins {dataset_id} version {version!r}, "
                    f"the loaded version is {dataset.version!r}",
                )
            )
            return None
        factor = dataset.index.get(factor_id)
        if factor is None:
            self.issues.append(
                _issue(
                    "cfp.factor-missing",
                    pointer,
                    f"dataset {dataset.label} has no factor {factor_id!r}",
                )
            )
            return None
        if not self._dimension_ok(factor.value, allowed, pointer, dataset.label):
            return None
        if not self._gwp_ok(dataset, pointer):
            return None
        self.used[dataset.id] = dataset
        self._check_validity(dataset, factor)
        return FactorUse(
            factor.value.magnitude,
            factor.value.canonical_unit,
            f"{dataset.label}#{factor.id}",
            factor.source,
            dataset.label,
            factor.value,
            factor.data_quality,
            0.0,
            factor.uncertainty,
        )

    def error(self, code: str, pointer: str, message: str) -> None:
        """Record an error found while resolving a line."""
        self.issues.append(_issue(code, pointer, message))

    def note(self, code: str, pointer: str, message: str, severity: Severity) -> None:
        """Record a warning or information once."""
        key = f"{code}|{pointer}|{message}"
        if key not in self._reported:
            self._reported.add(key)
            self.issues.append(_issue(code, pointer, message, severity))

    # -- checks ------------------------------------------------------------------------------

    def _dimension_ok(
        self, value: Quantity, allowed: tuple[Dimension, ...], pointer: str, where: str = ""
    ) -> bool:
        if value.dimension in allowed:
            return True
        expected = " or ".join(d.canonical_unit for d in allowed)
        origin = f" from {where}" if where else ""
        self.issues.append(
            _issue(
                "units.dimensionality",
                pointer,
                f"the factor {value.value:g} {value.unit}{origin} is {value.dimension.label}; "
                f"this line needs a factor in {expected}",
            )
        )
        return False

    def _gwp_ok(self, dataset: FactorDataset, pointer: str) -> bool:
        if dataset.gwp_set in (self.gwp_set, CO2_ONLY):
            return True
        justification = self._tolerated.get(dataset.id)
        if justification is None:
            self.issues.append(
                _issue(
                    "cfp.gwp-mixed",
                    pointer,
                    f"dataset {dataset.label} was characterised with {dataset.gwp_set}, the "
                    f"study uses {self.gwp_set}; a study never mixes GWP sets",
                )
            )
            return False
        self.note(
            "cfp.gwp-basis-tolerated",
            "",
            f"dataset {dataset.label} uses {dataset.gwp_set} while the study uses "
            f"{self.gwp_set}; tolerated by {self.ruleset.id}: {justification}",
            Severity.WARNING,
        )
        return True

    def _check_validity(self, dataset: FactorDataset, factor: DatasetFactor) -> None:
        if factor.valid_until is not None and factor.valid_until < self.as_of:
            self.note(
                "cfp.factor-outdated",
                "",
                f"dataset {dataset.label}: factors valid until {factor.valid_until} are used on "
                f"{self.as_of} (the most recent data available in the dataset)",
                Severity.INFO,
            )
