"""Due diligence (DD): questionnaire checks, the rule catalogue, the scorer and RMI import.

Library entry points::

    report = validate_questionnaire(data, as_of=date(2026, 1, 15), name="supplier.json")
    if report.ok:
        result = score_questionnaire(report.questionnaire, as_of=date(2026, 1, 15))
        result.maturity.score, result.maturity.level, result.risk.level, result.red_flags

The scorer is a pure function of (questionnaire, catalogue, reference tables, ``as_of``); the
bundled catalogue (``rules/dd``) and tables are read once per process.
"""

from compliance.dd.engine.result import DdResult, RedFlag
from compliance.dd.engine.risk import OperatorTurnover
from compliance.dd.engine.scorer import (
    InvalidQuestionnaireError,
    ScoringContext,
    score_questionnaire,
)
from compliance.dd.rmi import import_rmi_workbook
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.compiler import load_catalogue, read_catalogue
from compliance.dd.rules.loader import RulesError
from compliance.dd.rules.references import (
    ReferenceTables,
    load_reference_tables,
    read_reference_tables,
)
from compliance.dd.validate import QuestionnaireReport, validate_questionnaire
from compliance.intake.rmi import ImportResult

__all__ = [
    "Catalogue",
    "DdResult",
    "ImportResult",
    "InvalidQuestionnaireError",
    "OperatorTurnover",
    "QuestionnaireReport",
    "RedFlag",
    "ReferenceTables",
    "RulesError",
    "ScoringContext",
    "import_rmi_workbook",
    "load_catalogue",
    "load_reference_tables",
    "read_catalogue",
    "read_reference_tables",
    "score_questionnaire",
    "validate_questionnaire",
]
