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
from compliance.dd import (
    DdResult,
    InvalidQuestionnaireError,
    QuestionnaireReport,
    RulesError,
    ScoringContext,
    import_rmi_workbook,
    load_catalogue,
    load_reference_tables,
    score_questionnaire,
    validate_questionnaire,
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
from compliance.models import (
    QUESTIONNAIRE_SCHEMA_ID,
    SUBMISSION_SCHEMA_ID,
    SUBMISSION_SCHEMA_VERSION,
    DdQuestionnaire,
    SupplierSubmission,
)
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
    "QUESTIONNAIRE_SCHEMA_ID",
    "SUBMISSION_SCHEMA_ID",
    "SUBMISSION_SCHEMA_VERSION",
    "CfpOutcome",
    "CfpResult",
    "ComplianceError",
    "DdQuestionnaire",
    "DdResult",
    "Dimension",
    "DimensionalityError",
    "DocumentFormat",
    "FactorLibrary",
    "InvalidQuestionnaireError",
    "Issue",
    "Layer",
    "ParseLimits",
    "Quantity",
    "QuestionnaireReport",
    "ResourceError",
    "RulesError",
    "ScoringContext",
    "SemanticLimits",
    "Severity",
    "SupplierSubmission",
    "UndefinedUnitError",
    "UnitError",
    "ValidationReport",
    "__version__",
    "available_rulesets",
    "compute_cfp",
    "import_rmi_workbook",
    "load_catalogue",
    "load_reference_tables",
    "load_ruleset",
    "make_quantity",
    "parse_document",
    "resolve_unit",
    "score_questionnaire",
    "ureg",
    "validate_questionnaire",
    "validate_submission",
]
