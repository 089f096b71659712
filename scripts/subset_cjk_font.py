"""Build templates/assets/fonts/ReportCJK-Regular.otf: the Hangul and Chinese fallback of the PDFs.

Reports embed subsets of bundled fonts only (the same glyphs on every machine, PDF/A). DejaVu
Sans and IPAexGothic have no Hangul and lack the simplified Chinese forms, so supplier names and
free text in Korean or Chinese fall back to "Report CJK": the Korean face of Noto Sans CJK
(SIL Open Font License 1.1, fonts/LICENSE-NotoSansCJK.txt), subset here to printable ASCII (so a
space inside a Korean name keeps its glyph), Hangul syllables, jamo and compatibility jamo, CJK
punctuation, full-width forms and the 6 763 hanzi of GB 2312: about 4 MB instead of a 19 MB
collection, which keeps the render within the reports benchmark's bound
(benchmarks/bench_cjk_fallback.py).

Run (Debian: apt-get install fonts-noto-cjk):
    python scripts/subset_cjk_font.py [/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "templates" / "assets" / "fonts" / "ReportCJK-Regular.otf"
FACE = "Noto Sans CJK KR"


def gb2312_hanzi() -> set[int]:
    """Code points of the GB 2312 hanzi (rows 16-87: levels 1 and 2)."""
    found = set()
    for first in range(0xB0, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([first, second]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def code_points() -> set[int]:
    ranges = [
        (0x20, 0x7F),  # printable ASCII
        (0x1100, 0x1200),  # Hangul jamo
        (0x3000, 0x3040),  # CJK symbols and punctuation
        (0x3130, 0x3190),  # Hangul compatibility jamo
        (0xAC00, 0xD7A4),  # Hangul syllables
        (0xFF00, 0xFFF0),  # half-width and full-width forms
    ]
    points = {0xA0}
    for start, end in ranges:
        points.update(range(start, end))
    return points | gb2312_hanzi()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", nargs="?", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    )
    args = parser.parse_args()
    collection = TTCollection(args.source)
    index = next(
        i for i, face in enumerate(collection.fonts) if face["name"].getDebugName(4) == FACE
    )
    font = TTFont(args.source, fontNumber=index)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points())
    subsetter.subset(font)
    font.recalcTimestamp = False  # keep the source's dates: the same source gives the same file
    font.save(TARGET)
    print(f"{TARGET}: {TARGET.stat().st_size} bytes, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main()
