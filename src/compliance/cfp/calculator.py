"""``compute_cfp``: a validated submission + a ruleset + factor datasets -> ``CfpResult``.

Pure: every input (ruleset, GWP set, datasets, ``as_of``) is an argument. The footprint is

    CFP [kg CO2e / FU] = (E_RM + E_MP + E_DI + E_EoL) [kg CO2e] / E_total [kWh]

(Regulation (EU) 2023/1542 Art. 7(1)(d), Annex II; draft delegated act 2024), with every stage a
sum of :class:`~compliance.cfp.terms.Term` contributions. Problems are located issues; a result
is only produced when no error was found (never a silently wrong number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError

from compliance._version import __version__
from compliance.cfp.datasets import FactorLibrary
from compliance.cfp.finite import non_finite_issues, overflow_issue
from compliance.cfp.functional_unit import FunctionalUnit, derive_functional_unit
from compliance.cfp.gwp import GwpSet, load_gwp_set
from compliance.cfp.inventory import Inventory, build_inventory
from compliance.cfp.result import CfpResult
from compliance.cfp.result_builder import build_result
from compliance.cfp.rulesets import CfpRuleset
from compliance.errors import Issue, Layer, Severity
from compliance.models import SupplierSubmission

__all__ = ["CfpOutcome", "compute_cfp"]


def _issue(code: str, pointer: str, message: str, severity: Severity = Severity.ERROR) -> Issue:
    return Issue(code, pointer, message, severity, Layer.RULE)


def _scope_issues(sub: SupplierSubmission, ruleset: CfpRuleset, as_of: date) -> list[Issue]:
    issues = []
    category = sub.battery.category
    if category not in ruleset.categories:
        covered = ", ".join(c.value for c in ruleset.categories)
        declared = sub.functional_unit
        justified = (
            declared is not None
            and declared.justification is not None
            and (
                declared.cycles_per_year is not None
                or ruleset.functional_unit.strategy != "lifetime-energy"
            )
        )
        severity = Severity.WARNING if justified else Severity.ERROR
        hint = (
            ""
            if justified
            else ("; declare functionalUnit.cyclesPerYear with a justification to apply it anyway")
        )
        issues.append(
            _issue(
                "cfp.category-not-covered",
                "/battery/category",
                f"{ruleset.id} covers {covered} batteries, not {category.value}{hint}",
                severity,
            )
        )
    for override in ruleset.provenance.overrides:
        issues.append(
            _issue(
                "cfp.choice-override",
                "",
                f"{override.axis} choice {override.choice} taken from ruleset {override.ruleset} "
                f"instead of {ruleset.id}'s own (a method choice overridden by the user)",
                Severity.WARNING,
            )
        )
    if as_of < ruleset.effective_from or (
        ruleset.effective_until is not None and as_of > ruleset.effective_until
    ):
        issues.append(
            _issue(
                "cfp.ruleset-not-effective",
                "",
                f"{ruleset.id} applies from {ruleset.effective_from}"
                + (f" until {ruleset.effective_until}" if ruleset.effective_until else "")
                + f"; the calculation date is {as_of}",
                Severity.WARNING,
            )
        )
    return issues


@dataclass(frozen=True)
class CfpOutcome:
    """A result (``None`` when an error was found) and every issue of the calculation."""

    result: CfpResult | None
    issues: tuple[Issue, ...]
    inventory: Inventory
    functional_unit: FunctionalUnit | None

    @property
    def ok(self) -> bool:
        """True when a result was produced."""
        return self.result is not None


def compute_cfp(
    sub: SupplierSubmission,
    ruleset: CfpRuleset,
    *,
    library: FactorLibrary,
    as_of: date,
    gwp: GwpSet | None = None,
    trace: bool = True,
    monte_carlo: int = 0,
    seed: int = 0,
    sensitivity: bool = False,
    input_sha256: str | None = None,
) -> CfpOutcome:
    """Compute the carbon footprint of ``sub`` under ``ruleset``.

    Args:
        sub: A validated submission.
        ruleset: The calculation method.
        library: The factor datasets available (bundled and user-supplied).
        as_of: Calculation date (ruleset and factor validity are checked against it).
        gwp: GWP set; defaults to the ruleset's (a study uses exactly one).
        trace: Build the per-term trace (the numbers are the same without it).
        monte_carlo: Number of Monte Carlo samples (0: no uncertainty analysis).
        seed: Seed of the Monte Carlo generator (results are reproducible).
        sensitivity: Rank the lines and factors that drive the result (one at a time, and
            by contribution to variance; the latter also comes with ``monte_carlo``).
        input_sha256: SHA-256 of the submission's bytes (the caller read them), recorded in the
            result.
    """
    gwp_set = gwp or load_gwp_set(ruleset.gwp.set)
    issues = _scope_issues(sub, ruleset, as_of)
    if gwp is not None and gwp.id != ruleset.gwp.set:
        issues.append(
            _issue(
                "cfp.gwp-override",
                "",
                f"GWP set {gwp.id} used instead of the ruleset's {ruleset.gwp.set}",
                Severity.WARNING,
            )
        )
    fu, fu_issues = derive_functional_unit(sub, ruleset)
    keep_terms = trace or monte_carlo > 0 or sensitivity
    inventory = build_inventory(sub, ruleset, gwp_set, library, as_of, keep_terms=keep_terms)
    issues += fu_issues + inventory.issues
    if fu is not None:
        issues += non_finite_issues(inventory, fu)
    if fu is None or any(i.severity is Severity.ERROR for i in issues):
        return CfpOutcome(None, tuple(issues), inventory, fu)
    try:
        result, more = build_result(
            sub,
            ruleset,
            gwp_set,
            inventory,
            fu,
            as_of,
            version=__version__,
            trace=trace,
            monte_carlo=monte_carlo,
            seed=seed,
            sensitivity=sensitivity,
            issues=issues,
            input_sha256=input_sha256,
        )
    except ValidationError as exc:  # the result models refuse NaN and infinity (cfp/finite.py)
        if any(error["type"] != "finite_number" for error in exc.errors()):
            raise
        overflow = overflow_issue(inventory, "a result value is beyond the range of a number")
        return CfpOutcome(None, (*issues, overflow), inventory, fu)
    return CfpOutcome(result, tuple(issues + more), inventory, fu)
