"""Render cost of Korean and Chinese text: the CJK font fallback (issue 17.6).

The CFP report of every valid example, rendered as shipped (one renderer reused, as in the CLI),
in English and Japanese, once as published and once with the manufacturer's and the plant's
names in Hangul and in simplified Chinese, which the bundled DejaVu Sans and IPAexGothic lack:
those glyphs come from the bundled "Report CJK" subset of Noto Sans CJK
(scripts/subset_cjk_font.py). Renders
alternate (Latin, CJK) within each round so that load from other processes hits both alike.
Prints the median seconds per report of each and their ratio per language, and ends with the
ratio of the slower language (target: <= 1.5x).

Run: python benchmarks/bench_cjk_fallback.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from datetime import date
from pathlib import Path

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.reports import CfpReportInput, render_report
from compliance.reports.pdf import default_renderer
from compliance.validation import parse_document, validate_submission

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "submissions" / "valid").iterdir())
AS_OF = date(2026, 11, 29)

KOREAN = "한국배터리셀 주식회사"
CHINESE = "宁德锂电池材料有限公司"
TARGET = 1.5


def _input(document: dict[str, object], name: str) -> CfpReportInput:
    report = validate_submission(document, name=name)
    assert report.submission is not None, report.issues[:3]
    ruleset = load_ruleset("eu-da-2024-draft")
    outcome = compute_cfp(report.submission, ruleset, library=FactorLibrary.bundled(), as_of=AS_OF)
    assert outcome.result is not None, outcome.issues[:3]
    return CfpReportInput(report.submission, outcome.result, ruleset)


def _document(path: Path) -> dict[str, object]:
    data = parse_document(path.read_bytes(), name=path.name).data
    assert isinstance(data, dict)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pairs = []
    for path in EXAMPLES:
        latin = _document(path)
        cjk = copy.deepcopy(latin)
        cjk["manufacturer"]["name"] = KOREAN  # type: ignore[index]
        cjk["plant"]["name"] = CHINESE  # type: ignore[index]
        pairs.append((_input(latin, path.name), _input(cjk, path.name)))
    renderer = default_renderer()
    worst = 0.0
    for language in ("en", "ja"):
        plain: list[float] = []
        fallback: list[float] = []
        for latin_input, cjk_input in pairs:  # warm-up: fonts loaded, caches filled
            render_report("cfp", latin_input, language=language, renderer=renderer)
            render_report("cfp", cjk_input, language=language, renderer=renderer)
        for _ in range(args.repeat):
            for latin_input, cjk_input in pairs:
                start = time.perf_counter()
                render_report("cfp", latin_input, language=language, renderer=renderer)
                plain.append(time.perf_counter() - start)
                start = time.perf_counter()
                render_report("cfp", cjk_input, language=language, renderer=renderer)
                fallback.append(time.perf_counter() - start)
        ratio = statistics.median(fallback) / statistics.median(plain)
        worst = max(worst, ratio)
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(
            f"cfp {language}: Hangul+Chinese names {statistics.median(fallback):.3f} s, "
            f"Latin {statistics.median(plain):.3f} s (median per report, {len(plain)} renders "
            f"each): {ratio:.2f}x (target <= {TARGET}x: {verdict})"
        )
    print(
        f"ratio: {worst:.2f}x cfp report with Hangul and Chinese names "
        "(bundled Noto Sans CJK subset) vs the same report in Latin script"
    )


if __name__ == "__main__":
    main()
