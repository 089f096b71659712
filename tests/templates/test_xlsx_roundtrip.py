"""model -> xlsx -> model is the identity, for submissions and DD questionnaires (issue 17.1).

Hypothesis draws submissions from the CFP property strategy (1-5 BOM lines with circularity,
energy, transport, purchased components, random magnitudes) and perturbs the text fields with
arbitrary text: control characters and carriage returns (OOXML ``_xHHHH_`` escapes), leading
'=' (never a formula), digits only ('00123' stays text), ';' and quotes, non-Latin scripts; and
questionnaires from the examples with answers of every type.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.models import SupplierSubmission
from compliance.models.questionnaire import DdQuestionnaire
from compliance.validation.kinds import DocumentKind
from compliance.workbooks.templates import (
    questionnaire_workbook,
    read_document_workbook,
    submission_workbook,
)
from tests.conftest import ROOT
from tests.property.test_cfp_properties import submissions

QUESTIONNAIRES = [
    json.loads(p.read_text("utf-8"))
    for p in sorted((ROOT / "examples" / "questionnaires" / "valid").iterdir())
]

texts = st.one_of(
    st.text(min_size=1, max_size=40).filter(lambda t: bool(t.strip())),
    st.sampled_from(
        [
            "=SUM(A1:A2)",
            "00123",
            "1e3",
            "TRUE",
            "a; b",
            '"quoted"',
            "[x]",
            " padded ",
            "한국 배터리",
            "宁德锂电",
        ]
    ),
)


def _dump(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(model.model_dump_json(by_alias=True, exclude_none=True))
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=submissions(), name=texts, material=texts, reference=texts)
def test_submission_round_trip(
    doc: dict[str, Any], name: str, material: str, reference: str
) -> None:
    doc = copy.deepcopy(doc)
    doc["manufacturer"]["name"] = name
    doc["billOfMaterials"][0]["material"] = material
    doc["submissionId"] = reference
    model = SupplierSubmission.model_validate(doc, by_alias=True, by_name=False)
    read = read_document_workbook(
        submission_workbook(_dump(model)), DocumentKind.SUBMISSION_WORKBOOK
    )
    assert read.issues == []
    again = SupplierSubmission.model_validate(read.data, by_alias=True, by_name=False)
    assert again == model


answer_values = st.one_of(
    texts,
    st.integers(-(10**6), 10**6),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.lists(
        st.sampled_from(["env-air", "ohs", "child-labour", "a;b", "x"]), min_size=1, max_size=4
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(QUESTIONNAIRES),
    values=st.lists(answer_values, min_size=1, max_size=8),
    comment=texts,
)
def test_questionnaire_round_trip(base: dict[str, Any], values: list[Any], comment: str) -> None:
    doc = copy.deepcopy(base)
    for answer, value in zip(doc["answers"], values, strict=False):
        answer["value"] = value
        answer["comment"] = comment
    model = DdQuestionnaire.model_validate(doc, by_alias=True, by_name=False)
    read = read_document_workbook(
        questionnaire_workbook(_dump(model)), DocumentKind.QUESTIONNAIRE_WORKBOOK
    )
    assert read.issues == []
    again = DdQuestionnaire.model_validate(read.data, by_alias=True, by_name=False)
    assert again == model
