"""The supplier recycled claims a due-diligence result rejected, as the calculator takes them.

The DD engine never deletes an answer: a contradiction rule re-scores it (CX-02 turns a 100 %
recycled claim, question ``bindings.fully_recycled``, from "yes" to "unknown" when the processor
list, a mine list or the stated share show primary feed), and the evidence rules (CX-07, CX-19)
refuse the entries behind it. Either way the finding names the claim and the material. This
module reads those findings; the recycled-content calculation then counts no recovered mass for
that element in the lines of that supplier, and says so (dd-methodology 6.9; Art. 8(1)).
"""

from __future__ import annotations

from compliance.dd.engine.result import DdResult
from compliance.models import RecoveredElement
from compliance.recycled.result import RejectedClaim

__all__ = ["rejected_recycled_claims"]

_EVIDENCE_EFFECTS = ("evidence factor 0 for ", "entries not counted as evidence for ")
"""How the evidence rules' findings name the answer they refused (dd/engine/contradictions.py)."""


def rejected_recycled_claims(
    dd: DdResult, question: str | None = None
) -> tuple[RejectedClaim, ...]:
    """The recycled claims ``dd`` rejected, one per (element, rule).

    ``question`` is the catalogue's fully-recycled question (``bindings.fully_recycled``);
    ``None`` reads it from the bundled catalogue.
    """
    if question is None:
        from compliance.dd.rules.compiler import load_catalogue

        question = load_catalogue().bindings.fully_recycled
    elements = {e.value: e for e in RecoveredElement}
    found: dict[tuple[RecoveredElement, str], RejectedClaim] = {}
    for finding in dd.contradictions:
        element = elements.get(finding.material or "")
        if element is None:
            continue
        rescored = any(
            q == question and before == "yes" and after != "yes"
            for q, before, after in finding.changes
        )
        refused = any(
            effect.startswith(prefix) and effect.endswith(question)
            for effect in finding.effects
            for prefix in _EVIDENCE_EFFECTS
        )
        if rescored or refused:
            key = (element, finding.id)
            found.setdefault(key, RejectedClaim(element, dd.supplier, finding.id, finding.message))
    return tuple(found.values())
