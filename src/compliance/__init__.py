"""compliance: battery sustainability compliance engine (EU 2023/1542, METI).

The library surface is re-exported here; importing :mod:`compliance` needs no optional extra.

>>> from compliance import validate_submission
>>> report = validate_submission(b'{"schemaVersion": "1.0.0"}', name="s.json")
>>> report.ok, report.issues[0].code, report.issues[0].pointer
(False, 'schema.required', '/manufacturer')
"""

import typing as _typing

from compliance._lazy import lazy_exports as _lazy_exports
from compliance._version import __version__

if _typing.TYPE_CHECKING:
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
    from compliance.issue_codes import (
        ISSUE_CODES,
    )
    from compliance.models import (
        QUESTIONNAIRE_SCHEMA_ID,
        SUBMISSION_SCHEMA_ID,
        SUBMISSION_SCHEMA_VERSION,
        DdQuestionnaire,
        SupplierSubmission,
    )
    from compliance.pipeline import (
        CfpSetup,
        QuestionnaireRun,
        RecycledSetup,
        SubmissionRun,
        run_questionnaire,
        run_submission,
    )
    from compliance.recycled import (
        RecycledResult,
        compute_recycled,
        load_recycled_ruleset,
    )
    from compliance.units import (
        Dimension,
        Quantity,
        make_quantity,
        resolve_unit,
        ureg,
    )
    from compliance.validation import (
        DocumentFormat,
        ParseLimits,
        SemanticLimits,
        ValidationReport,
        parse_document,
        validate_submission,
    )

# Where each public name lives. Importing the package imports none of them: a name is imported
# on first use (PEP 562), so `compliance --help` and a library user who needs one part do not pay
# for pint, the models and the rule catalogues up front.
_LAZY: dict[str, str] = {
    "CfpSetup": "compliance.pipeline",
    "QuestionnaireRun": "compliance.pipeline",
    "RecycledSetup": "compliance.pipeline",
    "SubmissionRun": "compliance.pipeline",
    "run_questionnaire": "compliance.pipeline",
    "run_submission": "compliance.pipeline",
    "CfpOutcome": "compliance.cfp",
    "CfpResult": "compliance.cfp",
    "FactorLibrary": "compliance.cfp",
    "available_rulesets": "compliance.cfp",
    "compute_cfp": "compliance.cfp",
    "load_ruleset": "compliance.cfp",
    "DdResult": "compliance.dd",
    "InvalidQuestionnaireError": "compliance.dd",
    "QuestionnaireReport": "compliance.dd",
    "RulesError": "compliance.dd",
    "ScoringContext": "compliance.dd",
    "import_rmi_workbook": "compliance.dd",
    "load_catalogue": "compliance.dd",
    "load_reference_tables": "compliance.dd",
    "score_questionnaire": "compliance.dd",
    "validate_questionnaire": "compliance.dd",
    "ComplianceError": "compliance.errors",
    "DimensionalityError": "compliance.errors",
    "Issue": "compliance.errors",
    "Layer": "compliance.errors",
    "ResourceError": "compliance.errors",
    "Severity": "compliance.errors",
    "UndefinedUnitError": "compliance.errors",
    "UnitError": "compliance.errors",
    "ISSUE_CODES": "compliance.issue_codes",
    "QUESTIONNAIRE_SCHEMA_ID": "compliance.models",
    "SUBMISSION_SCHEMA_ID": "compliance.models",
    "SUBMISSION_SCHEMA_VERSION": "compliance.models",
    "DdQuestionnaire": "compliance.models",
    "SupplierSubmission": "compliance.models",
    "RecycledResult": "compliance.recycled",
    "compute_recycled": "compliance.recycled",
    "load_recycled_ruleset": "compliance.recycled",
    "Dimension": "compliance.units",
    "Quantity": "compliance.units",
    "make_quantity": "compliance.units",
    "resolve_unit": "compliance.units",
    "ureg": "compliance.units",
    "DocumentFormat": "compliance.validation",
    "ParseLimits": "compliance.validation",
    "SemanticLimits": "compliance.validation",
    "ValidationReport": "compliance.validation",
    "parse_document": "compliance.validation",
    "validate_submission": "compliance.validation",
}


__all__ = [
    "ISSUE_CODES",
    "QUESTIONNAIRE_SCHEMA_ID",
    "SUBMISSION_SCHEMA_ID",
    "SUBMISSION_SCHEMA_VERSION",
    "CfpOutcome",
    "CfpResult",
    "CfpSetup",
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
    "QuestionnaireRun",
    "RecycledResult",
    "RecycledSetup",
    "ResourceError",
    "RulesError",
    "ScoringContext",
    "SemanticLimits",
    "Severity",
    "SubmissionRun",
    "SupplierSubmission",
    "UndefinedUnitError",
    "UnitError",
    "ValidationReport",
    "__version__",
    "available_rulesets",
    "compute_cfp",
    "compute_recycled",
    "import_rmi_workbook",
    "load_catalogue",
    "load_recycled_ruleset",
    "load_reference_tables",
    "load_ruleset",
    "make_quantity",
    "parse_document",
    "resolve_unit",
    "run_questionnaire",
    "run_submission",
    "score_questionnaire",
    "ureg",
    "validate_questionnaire",
    "validate_submission",
]

__getattr__, __dir__ = _lazy_exports(globals(), _LAZY)
