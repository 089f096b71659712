"""Due diligence (DD): questionnaire checks, the rule catalogue, the scorer and RMI import.

Library entry points::

    report = validate_questionnaire(data, as_of=date(2026, 1, 15), name="supplier.json")
    if report.ok:
        result = score_questionnaire(report.questionnaire, as_of=date(2026, 1, 15))
        result.maturity.score, result.maturity.level, result.risk.level, result.red_flags

The scorer is a pure function of (questionnaire, catalogue, reference tables, ``as_of``); the
bundled catalogue (``rules/dd``) and tables are read once per process.
"""

from compliance.dd.catalogue import Catalogue
from compliance.dd.compiler import load_catalogue, read_catalogue
from compliance.dd.loader import RulesError
from compliance.dd.references import ReferenceTables, load_reference_tables, read_reference_tables
from compliance.dd.result import DdResult, RedFlag
from compliance.dd.risk import OperatorTurnover
from compliance.dd.rmi_import import ImportResult, import_rmi_workbook
from compliance.dd.scorer import InvalidQuestionnaireError, ScoringContext, score_questionnaire
from compliance.dd.validate import QuestionnaireReport, validate_questionnaire

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
