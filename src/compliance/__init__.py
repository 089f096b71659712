"""compliance: battery sustainability compliance engine (EU 2023/1542, METI).

The library surface is re-exported here; importing :mod:`compliance` needs no optional extra.

>>> from compliance import validate_submission
>>> report = validate_submission(b'{"schemaVersion": "1.0.0"}', name="s.json")
>>> report.ok, report.issues[0].code, report.issues[0].pointer
(False, 'schema.required', '/manufacturer')
"""

from compliance._version import __version__
from compliance.cfp import (
    CfpOutcome,
    CfpResult,
    FactorLibrary,
    available_rulesets,
    compute_cfp,
    load_ruleset,
)
from compliance.errors import (
    ComplianceError,
    DimensionalityError,
    Issue,
    Layer,
    ResourceError,
    Severity,
    UndefinedUnitError,
    UnitError,
)
from compliance.issue_codes import ISSUE_CODES
from compliance.models import SUBMISSION_SCHEMA_ID, SUBMISSION_SCHEMA_VERSION, SupplierSubmission
from compliance.units import Dimension, Quantity, make_quantity, resolve_unit, ureg
from compliance.validation import (
    DocumentFormat,
    ParseLimits,
    SemanticLimits,
    ValidationReport,
    parse_document,
    validate_submission,
)

__all__ = [
    "ISSUE_CODES",
    "SUBMISSION_SCHEMA_ID",
    "SUBMISSION_SCHEMA_VERSION",
    "CfpOutcome",
    "CfpResult",
    "ComplianceError",
    "Dimension",
    "DimensionalityError",
    "DocumentFormat",
    "FactorLibrary",
    "Issue",
    "Layer",
    "ParseLimits",
    "Quantity",
    "ResourceError",
    "SemanticLimits",
    "Severity",
    "SupplierSubmission",
    "UndefinedUnitError",
    "UnitError",
    "ValidationReport",
    "__version__",
    "available_rulesets",
    "compute_cfp",
    "load_ruleset",
    "make_quantity",
    "parse_document",
    "resolve_unit",
    "ureg",
    "validate_submission",
]
