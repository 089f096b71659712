"""Consistency across the engine: CFF R1 vs Art. 8 shares, declared vs computed shares, and a
recycled claim a due-diligence rule rejected flowing through the pipeline into the result and
the passport."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from compliance.cfp import FactorLibrary, load_ruleset
from compliance.models import RecoveredElement
from compliance.pipeline import (
    CfpSetup,
    PassportRequest,
    RecycledSetup,
    SubmissionRun,
    run_questionnaire,
    run_submission,
)
from compliance.recycled import load_recycled_ruleset
from tests.conftest import ROOT
from tests.recycled.conftest import NMC, codes, compute, fresh

CONTRADICTED = ROOT / "examples" / "recycled" / "cobalt-recycled-claim-contradicted.json"
EXAMPLE = ROOT / "examples" / "recycled" / "nmc811-m1-ev.json"
AS_OF = date(2031, 9, 1)
CO = RecoveredElement.COBALT


def _run(document: dict[str, Any] | bytes, **kwargs: Any) -> SubmissionRun:
    data = document if isinstance(document, bytes) else json.dumps(document, indent=2).encode()
    return run_submission(
        data,
        name="sub.json",
        as_of=kwargs.pop("as_of", AS_OF),
        recycled=RecycledSetup(load_recycled_ruleset("1.0.0"), kwargs.pop("dd", None)),
        **kwargs,
    )


def _scored(path: Path) -> Any:
    run = run_questionnaire(path.read_bytes(), name=path.name, as_of=date(2026, 11, 1))
    assert run.ok
    return run


def test_cff_r1_differs_from_element_shares() -> None:
    doc = fresh(NMC)
    doc["billOfMaterials"][0]["circularity"] = {"recycledContent": 0.06}
    outcome = compute(doc)
    # cam-a: cobalt 0.10 + 0.15 = 0.25 and nickel 0.05 differ from R1 0.06; lithium
    # 0.04 + 0.02 = 0.06 agrees and is not listed
    mismatch = [i for i in outcome.issues if i.code == "recycled.cff-mismatch"]
    assert [(i.pointer, dict(i.context)["elements"]) for i in mismatch] == [
        ("/billOfMaterials/0/circularity/recycledContent", {"cobalt": 0.25, "nickel": 0.05})
    ]
    assert outcome.result is not None  # a warning: the CFP and Art. 8 data are shown apart


def test_cff_default_r1_compared_when_the_line_gives_none() -> None:
    # the pipeline passes the CFP ruleset's default R1 (0 in the draft DA ruleset)
    run = _run(NMC, setup=CfpSetup(load_ruleset("eu-da-2024-draft"), FactorLibrary.bundled([])))
    assert run.recycled is not None
    pointers = [i.pointer for i in run.recycled.issues if i.code == "recycled.cff-mismatch"]
    # both CAM lines state recycled shares but no R1: the CFP counts none (default 0); the
    # graphite anode states none and agrees
    assert pointers == ["/billOfMaterials/0/composition", "/billOfMaterials/1/composition"]


def test_r1_equal_to_every_element_share_is_consistent() -> None:
    doc = fresh(NMC)
    doc["billOfMaterials"][0]["circularity"] = {"recycledContent": 0.06}
    for entry in doc["billOfMaterials"][0]["composition"]["elements"]:
        entry.update({"preConsumer": 0.04, "postConsumer": 0.02})
    assert "recycled.cff-mismatch" not in [c for c, _, _ in codes(compute(doc).issues)]


def test_declared_share_the_computation_cannot_support_is_an_error() -> None:
    doc = fresh(NMC)
    # computed cobalt: pre 0.484648 / 6.00648 = 8.07 %, post 0.784972 / 6.00648 = 13.07 %
    doc["passport"] = {
        "recycledContent": {
            "cobalt": {"preConsumer": 0.10, "postConsumer": 0.13},
            "lithium": {"preConsumer": 0.01, "postConsumer": 0.01},
            "lead": {"preConsumer": 0.0, "postConsumer": 0.5},
        }
    }
    run = _run(doc)
    assert run.recycled is not None
    assert run.recycled.result is None
    found = [(i.code, i.pointer, i.severity.value) for i in run.recycled.issues]
    assert ("recycled.declared-unsupported", "/passport/recycledContent/cobalt", "error") in found
    assert ("recycled.declared-unsupported", "/passport/recycledContent/lead", "error") in found
    # lithium declared 2 % < computed 6.4 %: a warning, the passport shows the computed share
    assert ("recycled.declared-differs", "/passport/recycledContent/lithium", "warning") in found
    cobalt = next(i for i in run.recycled.issues if i.pointer.endswith("/cobalt"))
    assert cobalt.line is not None  # located in the document
    assert not run.ok


def test_declared_equal_to_computed_is_consistent() -> None:
    run = _run(EXAMPLE.read_bytes())
    assert run.recycled is not None
    assert run.recycled.result is not None
    assert {d.status for d in run.recycled.result.declared} == {"consistent"}


def test_rejected_claim_flows_through_the_pipeline() -> None:
    dd = _scored(CONTRADICTED)
    # CX-02: the supplier says its cobalt is 100 % recycled (S-05 yes) but states a 40 %
    # recycled share; the rule re-scores S-05 to unknown
    assert any(
        f.id == "CX-02" and ("S-05", "yes", "unknown") in f.changes for f in dd.dd.contradictions
    )
    plain = _run(NMC)
    run = _run(NMC, dd=dd)
    assert plain.recycled is not None
    assert plain.recycled.result is not None
    assert run.recycled is not None
    assert run.recycled.result is not None
    result = run.recycled.result
    assert [(c.element, c.supplier, c.rule) for c in result.rejected_claims] == [
        (CO, "Nordic Cathode Materials Oy", "CX-02")
    ]
    # cam-a (Nordic Cathode Materials Oy) cobalt no longer counts: only cam-b's
    # 1.16 kg x 0.05 = 0.058 kg remains; 0.058 / 6.00648 = 0.9657 % -> 1.0 %
    cobalt = result.element(CO)
    assert cobalt is not None
    assert cobalt.recovered == pytest.approx(0.058)
    assert cobalt.share_percent == 1.0
    assert plain.recycled.result.element(CO).share_percent == 21.1  # type: ignore[union-attr]
    # the 2031 minimum is now missed by 0.16 x 6.00648 - 0.058 = 0.9030368 kg
    check = next(t for t in result.targets if t.target == "art8-2" and t.element is CO)
    assert check.met is False
    assert check.shortfall is not None
    assert check.shortfall.magnitude == pytest.approx(0.9030368)
    # other elements of the same supplier keep their shares (the claim was about cobalt)
    assert result.element(RecoveredElement.NICKEL).recovered == pytest.approx(1.9307)  # type: ignore[union-attr]
    # the result says so: a located warning and a trace step on the line
    rejected = [i for i in run.recycled.issues if i.code == "recycled.claim-rejected"]
    assert [(i.pointer, i.severity.value) for i in rejected] == [
        ("/billOfMaterials/0/composition/elements/0", "warning")
    ]
    assert rejected[0].line is not None
    assert any("rejected by due-diligence rule CX-02" in s for s in cobalt.lines[0].steps)


def test_rejected_claim_reaches_the_passport() -> None:
    doc = json.loads(EXAMPLE.read_bytes())
    doc["billOfMaterials"][0]["supplier"]["name"] = "Nordic Cathode Materials Oy"
    dd = _scored(CONTRADICTED)
    run = _run(
        doc,
        as_of=date(2027, 9, 1),
        dd=dd,
        setup=CfpSetup(load_ruleset("eu-da-2024-draft"), FactorLibrary.bundled([])),
        passport=PassportRequest(datetime(2027, 9, 1, tzinfo=UTC), "https://p.example.org"),
    )
    # the supplier declared cobalt 4 % + 2 %; without the rejected claim the BOM supports 0 %:
    # the declaration is unsupported, so no passport is built and the error says where
    assert run.passport is None
    assert ("recycled.declared-unsupported", "/passport/recycledContent/cobalt", "error") in [
        (i.code, i.pointer, i.severity.value) for i in run.issues
    ]
    # with the declaration withdrawn, the passport shows the computed 0 % and names the claim
    del doc["passport"]["recycledContent"]["cobalt"]
    run = _run(
        doc,
        as_of=date(2027, 9, 1),
        dd=dd,
        setup=CfpSetup(load_ruleset("eu-da-2024-draft"), FactorLibrary.bundled([])),
        passport=PassportRequest(datetime(2027, 9, 1, tzinfo=UTC), "https://p.example.org"),
    )
    assert run.passport is not None, [i.to_dict() for i in run.issues]
    public = run.passport.public
    assert public.recycled_content is not None
    assert public.recycled_content.cobalt is not None
    assert public.recycled_content.cobalt.pre_consumer == 0
    details = public.recycled_content_details
    assert details is not None
    assert details.basis == "computed"
    assert details.rejected_claims == ("cobalt: Nordic Cathode Materials Oy (CX-02)",)
    assert details.declared is not None
    assert details.declared.cobalt is None


def test_rejection_of_a_supplier_not_in_the_bom_is_reported() -> None:
    doc = fresh(NMC)
    doc["billOfMaterials"][0]["supplier"]["name"] = "Another CAM maker"
    run = _run(doc, dd=_scored(CONTRADICTED))
    assert run.recycled is not None
    assert run.recycled.result is not None
    assert run.recycled.result.element(CO).share_percent == 21.1  # type: ignore[union-attr]
    assert [(c, p) for c, p, _ in codes(run.recycled.issues) if c.startswith("recycled.dd")] == [
        ("recycled.dd-claim-unmatched", "/billOfMaterials")
    ]


def test_passport_without_computation_keeps_the_declared_block() -> None:
    run = run_submission(
        EXAMPLE.read_bytes(),
        name="ev.json",
        setup=CfpSetup(load_ruleset("eu-da-2024-draft"), FactorLibrary.bundled([])),
        as_of=date(2027, 9, 1),
        passport=PassportRequest(datetime(2027, 9, 1, tzinfo=UTC), "https://p.example.org"),
    )
    assert run.passport is not None
    assert run.recycled is None
    details = run.passport.public.recycled_content_details
    assert details is not None
    assert details.basis == "declared"


def test_sli_battery_gets_no_passport() -> None:
    from compliance.cfp import compute_cfp
    from compliance.passport.builder import build_passport
    from compliance.validation import validate_submission
    from tests.recycled.conftest import LEAD_ACID

    doc = fresh(LEAD_ACID)
    doc["passport"] = {"item": {"serialNumber": "SLI-1", "manufacturingDate": "2031-01"}}
    report = validate_submission(doc)
    submission = report.submission
    assert submission is not None
    cfp = compute_cfp(
        submission,
        load_ruleset("eu-da-2024-draft"),
        library=FactorLibrary.bundled([]),
        as_of=AS_OF,
    )
    # Art. 7 does not cover SLI batteries: the draft DA ruleset refuses the category
    assert cfp.result is None
    built, problems = build_passport(
        submission,
        generated_at=datetime(2031, 9, 1, tzinfo=UTC),
        submission_digest="sha256:" + "0" * 64,
        base_url="https://p.example.org",
        cfp=None,
    )
    assert built is None
    assert [(i.code, i.pointer) for i in problems] == [
        ("passport.category-out-of-scope", "/battery/category")
    ]
