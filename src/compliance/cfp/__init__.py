"""Carbon footprint (CFP) calculator: Regulation (EU) 2023/1542 Art. 7 and Annex II.

``compute_cfp(submission, ruleset, library=..., as_of=...)`` is a pure function of a validated
submission, a ruleset (versioned data), a GWP set and factor datasets.
"""

from compliance.cfp.calculator import CfpOutcome, compute_cfp
from compliance.cfp.datasets import DatasetError, FactorDataset, FactorLibrary, parse_dataset
from compliance.cfp.gwp import GwpSet, UnknownGwpSetError, available_gwp_sets, load_gwp_set
from compliance.cfp.result import CfpResult
from compliance.cfp.rulesets import (
    CfpRuleset,
    RulesetError,
    UnknownRulesetError,
    available_rulesets,
    load_ruleset,
    parse_ruleset,
)

__all__ = [
    "CfpOutcome",
    "CfpResult",
    "CfpRuleset",
    "DatasetError",
    "FactorDataset",
    "FactorLibrary",
    "GwpSet",
    "RulesetError",
    "UnknownGwpSetError",
    "UnknownRulesetError",
    "available_gwp_sets",
    "available_rulesets",
    "compute_cfp",
    "load_gwp_set",
    "load_ruleset",
    "parse_dataset",
    "parse_ruleset",
]
