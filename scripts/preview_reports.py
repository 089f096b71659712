"""Render the example reports of every kind (English and Japanese) and their pages as PNG.

``cfp``: the valid submissions (as of 2026-11-29, 1,000 Monte Carlo samples); ``dd``: the valid
questionnaires (scored as of 2026-01-15); ``passport``: the public and full sheets of each valid
submission's passport (built as of 2027-09-01). PNG pages need pdftoppm (Debian package
poppler-utils); without it only the PDFs are written.

Run: python scripts/preview_reports.py [OUT_DIR] [--dpi=60]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.dd import load_catalogue, score_questionnaire, validate_questionnaire
from compliance.passport.integrity import seal_bytes
from compliance.passport.model import AccessLevel
from compliance.pipeline import CfpSetup, PassportRequest, run_submission
from compliance.reports import CfpReportInput, DdReportInput, render_report, sheet_input
from compliance.validation import validate_submission

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = sorted((ROOT / "examples" / "submissions" / "valid").iterdir())
QUESTIONNAIRES = sorted((ROOT / "examples" / "questionnaires" / "valid").iterdir())


def cases() -> Iterator[tuple[str, str, object]]:
    """(kind, file stem, report input) of every example report."""
    ruleset = load_ruleset("eu-da-2024-draft")
    library = FactorLibrary.bundled()
    for path in SUBMISSIONS:
        report = validate_submission(path.read_bytes(), name=path.name)
        assert report.submission is not None, report.issues[:3]
        outcome = compute_cfp(
            report.submission,
            ruleset,
            library=library,
            as_of=date(2026, 11, 29),
            monte_carlo=1000,
            seed=1,
        )
        assert outcome.result is not None, outcome.issues[:3]
        yield "cfp", path.stem, CfpReportInput(report.submission, outcome.result, ruleset)
    for path in QUESTIONNAIRES:
        checked = validate_questionnaire(path.read_bytes(), as_of=date(2026, 1, 15), name=path.name)
        assert checked.questionnaire is not None, checked.issues[:3]
        result = score_questionnaire(checked.questionnaire, as_of=date(2026, 1, 15))
        yield "dd", path.stem, DdReportInput(checked.questionnaire, result, load_catalogue())
    for path in SUBMISSIONS:
        built = run_submission(
            path.read_bytes(),
            name=path.name,
            setup=CfpSetup(ruleset, library),
            as_of=date(2027, 9, 1),
            passport=PassportRequest(
                datetime(2027, 9, 1, 8, tzinfo=UTC), "https://passport.example.org"
            ),
        )
        assert built.passport is not None, built.issues[:3]
        document = seal_bytes(built.passport).document
        for level in (AccessLevel.PUBLIC, AccessLevel.FULL):
            data = sheet_input(document, level, as_of=date(2027, 9, 1))
            yield "passport", f"{path.stem}.{level.value}", data


def main(out: Path, dpi: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    for kind, name, data in cases():
        for language in ("en", "ja"):
            pdf = out / f"{name}.{kind}.{language}.pdf"
            pdf.write_bytes(render_report(kind, data, language=language))
            if pdftoppm:
                subprocess.run(
                    [pdftoppm, "-r", str(dpi), "-png", str(pdf), str(pdf.with_suffix(""))],
                    check=True,
                )
            print(f"wrote {pdf}" + (" and its pages as PNG" if pdftoppm else ""))
    if not pdftoppm:
        print("pdftoppm not found: apt-get install poppler-utils for PNG pages")
    return 0


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--dpi")]
    dpi = next((int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--dpi=")), 60)
    sys.exit(main(Path(arguments[0]) if arguments else ROOT / "benchmarks" / "out", dpi))
