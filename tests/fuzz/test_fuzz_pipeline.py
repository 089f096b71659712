"""Fuzzing the whole pipeline: mutated documents through every command's library entry point.

Submissions (the bundled valid examples, mutated by :mod:`tests.fuzz.strategies`) go through
validate, cfp (trace, Monte Carlo, sensitivity) and its HTML report, passport build, seal, verify,
the passport sheet in every access level and both exports; questionnaires through validate, the DD
scorer, its HTML report and the passport's DD input. :mod:`tests.fuzz.drive` states and checks the
contract: no exception escapes, a document ``validate`` accepts never fails later with anything
but located, documented issues, no output holds a non-finite number, a sealed passport verifies.

Runs
----
The default suite runs the bounded ``ci`` profile (a few dozen examples per test, well under a
minute on a loaded machine). Maintainers run a long campaign with::

    COMPLIANCE_FUZZ_PROFILE=long pytest tests/fuzz -p no:cacheprovider

(``long``: 5,000 examples per test, about an hour; ``COMPLIANCE_FUZZ_EXAMPLES=N`` overrides the
count of either profile). Hypothesis keeps every failing example in its database
(``.hypothesis/``) and replays it first on the next run; add the reproducer of a real defect as a
regression test next to the code it concerns.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from compliance.validation import parse_document
from tests.conftest import ROOT, VALID
from tests.fuzz.drive import Reached, library, rulesets, run_questionnaire, run_submission
from tests.fuzz.strategies import STRESS, encoded

settings.register_profile(
    "fuzz-ci",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz-long", settings.get_profile("fuzz-ci"), max_examples=5000)
_PROFILE = settings.get_profile(f"fuzz-{os.environ.get('COMPLIANCE_FUZZ_PROFILE', 'ci')}")
_EXAMPLES = os.environ.get("COMPLIANCE_FUZZ_EXAMPLES")
FUZZ = settings(_PROFILE, max_examples=int(_EXAMPLES)) if _EXAMPLES else settings(_PROFILE)

QUESTIONNAIRES = sorted((ROOT / "examples" / "questionnaires" / "valid").iterdir())


def _documents(paths: list[Path]) -> list[Any]:
    return [parse_document(path.read_bytes(), name=path.name).data for path in paths]


SUBMISSIONS = _documents(VALID)
QUESTIONNAIRE_DOCUMENTS = _documents(QUESTIONNAIRES)


@FUZZ
@given(
    document=encoded(SUBMISSIONS),
    ruleset=st.sampled_from(range(3)),
    language=st.sampled_from(["en", "ja"]),
)
def test_mutated_submissions_keep_the_contract(
    document: tuple[bytes, str], ruleset: int, language: str
) -> None:
    data, name = document
    choices = rulesets()
    event(str(run_submission(data, name, choices[ruleset % len(choices)], language=language)))


@FUZZ
@given(
    document=encoded(SUBMISSIONS, STRESS, most=6),
    ruleset=st.sampled_from(range(3)),
    language=st.sampled_from(["en", "ja"]),
)
def test_stressed_submissions_keep_the_contract(
    document: tuple[bytes, str], ruleset: int, language: str
) -> None:
    """Documents that mostly validate, with magnitudes at the edges of the accepted range."""
    data, name = document
    choices = rulesets()
    event(str(run_submission(data, name, choices[ruleset % len(choices)], language=language)))


@FUZZ
@given(document=encoded(QUESTIONNAIRE_DOCUMENTS), language=st.sampled_from(["en", "ja"]))
def test_mutated_questionnaires_keep_the_contract(
    document: tuple[bytes, str], language: str
) -> None:
    data, name = document
    event(str(run_questionnaire(data, name, language=language)))


def test_the_unmutated_examples_reach_every_stage() -> None:
    """The harness is not vacuous: the examples it mutates get through every stage."""
    library()
    for path in VALID:
        reached = run_submission(path.read_bytes(), path.name, rulesets()[0])
        assert reached == Reached(valid=True, result=True, passport=True), path.name
    for path in QUESTIONNAIRES:
        reached = run_questionnaire(path.read_bytes(), path.name)
        assert reached.valid, path.name
        assert reached.result, path.name
