"""Render the example reports (CFP, English and Japanese) and their pages as PNG, to look at them.

PNG pages need pdftoppm (Debian package poppler-utils); without it only the PDFs are written.

Run: python scripts/preview_reports.py [OUT_DIR] [--dpi=60]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.reports import CfpReportInput, render_report
from compliance.validation import validate_submission

ROOT = Path(__file__).resolve().parents[1]


def main(out: Path, dpi: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    ruleset = load_ruleset("eu-da-2024-draft")
    pdftoppm = shutil.which("pdftoppm")
    for path in sorted((ROOT / "examples" / "submissions" / "valid").iterdir()):
        report = validate_submission(path.read_bytes(), name=path.name)
        assert report.submission is not None, report.issues[:3]
        outcome = compute_cfp(
            report.submission,
            ruleset,
            library=FactorLibrary.bundled(),
            as_of=date(2026, 11, 29),
            monte_carlo=1000,
            seed=1,
        )
        assert outcome.result is not None, outcome.issues[:3]
        data = CfpReportInput(report.submission, outcome.result, ruleset)
        for language in ("en", "ja"):
            pdf = out / f"{path.stem}.cfp.{language}.pdf"
            pdf.write_bytes(render_report("cfp", data, language=language))
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
