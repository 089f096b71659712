"""The Excel submission template and the Excel DD questionnaire, and reading them back.

* :func:`submission_workbook`: the supplier-submission template (blank for a battery category, or
  filled from a submission);
* :func:`questionnaire_workbook`: the DD questionnaire, with every catalogue question on the
  Answers sheet (its step, the question in English and Japanese, the answer type and options);
* :func:`read_document_workbook`: either workbook back to the JSON document, issues at cells.

The Japanese question texts are the catalogue's own translations (``rules/dd/i18n/ja.yaml``,
machine-prepared: the About sheet says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from compliance.models import SUBMISSION_SCHEMA_VERSION
from compliance.models.dd_rules import AnswerKind
from compliance.models.questionnaire import QUESTIONNAIRE_SCHEMA_VERSION
from compliance.resources import read_resource_text
from compliance.validation.kinds import DocumentKind
from compliance.workbooks.layout import TemplateLayout, layout_for
from compliance.workbooks.reader import WorkbookRead, read_workbook
from compliance.workbooks.writer import Extras, write_workbook

__all__ = [
    "CatalogueQuestion",
    "catalogue_questions",
    "questionnaire_layout",
    "questionnaire_workbook",
    "read_document_workbook",
    "submission_layout",
    "submission_workbook",
]

SUBMISSION_SCHEMA = f"schemas/supplier-submission/{SUBMISSION_SCHEMA_VERSION}/schema.json"
QUESTIONNAIRE_SCHEMA = f"schemas/dd-questionnaire/{QUESTIONNAIRE_SCHEMA_VERSION}/schema.json"

# Japanese labels of the most used submission fields (member name -> label). Fields without one
# show their English label only.
_LABELS_JA: Mapping[str, str] = {
    "schemaVersion": "スキーマのバージョン",
    "submissionId": "提出番号",
    "name": "名称",
    "tradeName": "商号",
    "street": "番地",
    "postalCode": "郵便番号",
    "city": "市区町村",
    "country": "国",
    "email": "電子メール",
    "website": "ウェブサイト",
    "scheme": "識別子の種類",
    "value": "値",
    "facilityId": "施設識別子",
    "modelIdentifier": "型式識別子",
    "modelName": "型式名",
    "category": "区分",
    "vehicleClass": "車両区分",
    "chemistry": "化学組成",
    "mass": "質量",
    "ratedCapacity": "定格容量",
    "nominalVoltage": "公称電圧",
    "nominalEnergy": "公称エネルギー",
    "usableEnergyBol": "使用可能エネルギー（初期）",  # noqa: RUF001 (Japanese punctuation)
    "period": "期間",
    "distance": "距離",
    "start": "開始日",
    "end": "終了日",
    "id": "ID",
    "material": "材料",
    "emissionFactor": "排出係数",
    "source": "出典",
    "carrier": "エネルギー種別",
    "amount": "量",
    "mode": "輸送手段",
    "supplier": "サプライヤー",
    "question": "質問",
    "comment": "コメント",
    "evidence": "証拠",
    "roles": "役割",
    "effectiveDate": "発効日",
    "title": "役職・表題",
    "issued": "発行日",
    "uri": "URI",
    "type": "種類",
}


@dataclass(frozen=True, slots=True)
class CatalogueQuestion:
    """One catalogue question as a questionnaire shows it."""

    id: str
    step: str
    step_title: str
    step_title_ja: str
    text: str
    text_ja: str
    answer_type: str
    options: tuple[str, ...]
    per_material: bool
    required: bool
    evidence_types: tuple[str, ...]
    sources: tuple[str, ...]
    answered_in: str | None = None
    """Where a step-0 item is answered instead (``header``, ``scope`` ...)."""
    single_choice: bool = False
    """One option is chosen (the answer cell gets a drop-down list of the options)."""


@lru_cache(maxsize=1)
def _ja() -> Mapping[str, Any]:
    loaded = yaml.safe_load(read_resource_text("rules/dd/i18n/ja.yaml"))
    return loaded if isinstance(loaded, dict) else {}


@lru_cache(maxsize=1)
def catalogue_questions() -> tuple[CatalogueQuestion, ...]:
    """Every question of the bundled DD catalogue, in catalogue order, with its Japanese text."""
    from compliance.dd import load_catalogue

    catalogue = load_catalogue()
    ja = _ja()
    texts_ja: Mapping[str, str] = ja.get("questions", {})
    steps_ja: Mapping[str, str] = ja.get("steps", {})
    titles = {s.id: s.title for s in catalogue.steps}
    found = []
    for rule in catalogue.questions.values():
        answer = rule.answer
        options: tuple[str, ...] = ()
        if answer is not None:
            options = tuple(answer.options) or tuple(answer.multi_options)
        found.append(
            CatalogueQuestion(
                rule.id,
                rule.step,
                titles.get(rule.step, rule.step),
                steps_ja.get(rule.step, ""),
                " ".join(rule.text.split()),
                " ".join(str(texts_ja.get(rule.id, "")).split()),
                answer.name if answer is not None else "",
                options,
                rule.per_material,
                rule.required,
                rule.evidence_types,
                rule.sources,
                rule.answered_in,
                answer is not None and answer.kind is AnswerKind.CHOICE,
            )
        )
    return tuple(found)


def submission_layout() -> TemplateLayout:
    """The layout of the supplier-submission workbook."""
    return layout_for(SUBMISSION_SCHEMA, DocumentKind.SUBMISSION_WORKBOOK.value)


def questionnaire_layout() -> TemplateLayout:
    """The layout of the DD questionnaire workbook."""
    return layout_for(QUESTIONNAIRE_SCHEMA, DocumentKind.QUESTIONNAIRE_WORKBOOK.value)


_ABOUT_SUBMISSION = (
    "Supplier submission: carbon footprint and passport data (Regulation (EU) 2023/1542)",
    f"Schema: supplier-submission {SUBMISSION_SCHEMA_VERSION}. One battery model from one plant.",
    "Forms (Document, Manufacturer, Plant, Battery ...): fill column D (Value); quantities "
    "take their unit in column E (any unit of the same dimension is accepted).",
    "Tables (Bill of materials, Energy use ...): one row per item from row 5; row 1 holds the "
    "field keys, do not change it. 'Required' marks fields the schema requires.",
    "Check the filled workbook with: compliance validate FILE.xlsx (problems are reported at "
    "their cells), then compliance cfp FILE.xlsx.",
    "Help texts cite the Regulation article or annex each field comes from.",
)

_ABOUT_QUESTIONNAIRE = (
    "Due-diligence questionnaire for battery raw materials (Regulation (EU) 2023/1542 "
    "Art. 47-52, Annex X)",
    f"Schema: dd-questionnaire {QUESTIONNAIRE_SCHEMA_VERSION}. Answer on the Answers sheet: "
    "column 'value' (choices from the drop-down, several separated by ';'), evidence ids "
    "from the Evidence sheet, a comment.",
    "Per-material questions: one row per material (copy the row and fill 'material'); a row "
    "without a material applies to every material in scope.",
    "Japanese question texts are machine-prepared (pending review by a native speaker). "
    "日本語の質問文は機械的に作成したものです（ネイティブ話者による確認前）。",  # noqa: RUF001 (Japanese punctuation)
    "Check the filled workbook with: compliance validate FILE.xlsx, then compliance dd FILE.xlsx.",
)


def submission_workbook(
    data: Mapping[str, Any] | None = None, *, category: str | None = None
) -> bytes:
    """The submission workbook: filled from ``data``, or blank (for ``category``)."""
    if data is None:
        data = {"schemaVersion": SUBMISSION_SCHEMA_VERSION}
        if category is not None:
            data["battery"] = {"category": category}
    return write_workbook(submission_layout(), data, about=_ABOUT_SUBMISSION, labels_ja=_LABELS_JA)


_QUESTION_COLUMNS = (
    ("#step", "Step", "ステップ"),
    ("#text", "Question", "質問"),
    ("#text-ja", "Question (JA)", "質問（日本語）"),  # noqa: RUF001 (Japanese punctuation)
    ("#answer", "Answer type and options", "回答の種類と選択肢"),
)


def _question_row(question: CatalogueQuestion) -> dict[str, Any]:
    options = f": {'; '.join(question.options)}" if question.options else ""
    per = " (per material)" if question.per_material else ""
    return {
        "#step": f"{question.step} {question.step_title}",
        "#text": question.text,
        "#text-ja": question.text_ja,
        "#answer": f"{question.answer_type}{options}{per}",
    }


def _annotate(item: Mapping[str, Any]) -> Mapping[str, Any]:
    by_id = {q.id: q for q in catalogue_questions()}
    question = by_id.get(str(item.get("question")))
    return _question_row(question) if question is not None else {}


def questionnaire_workbook(data: Mapping[str, Any] | None = None) -> bytes:
    """The DD questionnaire workbook: filled from ``data``, or blank with every question."""
    questions = [q for q in catalogue_questions() if q.answer_type]
    rows = tuple(
        {**_question_row(q), "question": q.id, "#choices-of:value": q.options}
        if q.single_choice
        else {**_question_row(q), "question": q.id}
        for q in questions
    )
    document = data if data is not None else {"schemaVersion": QUESTIONNAIRE_SCHEMA_VERSION}
    return write_workbook(
        questionnaire_layout(),
        document,
        about=_ABOUT_QUESTIONNAIRE,
        labels_ja=_LABELS_JA,
        extras={"answers": Extras(_QUESTION_COLUMNS, rows, _annotate)},
    )


def read_document_workbook(data: bytes, kind: DocumentKind) -> WorkbookRead:
    """The JSON document of a filled submission or questionnaire workbook."""
    layout = (
        questionnaire_layout()
        if kind.data_kind is DocumentKind.QUESTIONNAIRE
        else submission_layout()
    )
    return read_workbook(data, layout)
