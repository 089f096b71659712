"""Write (or, with --check, verify) the published JSON Schemas under schemas/.

Run: python scripts/generate_schemas.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from compliance.schema_export import PUBLISHED_SCHEMAS, render_schema

ROOT = Path(__file__).resolve().parents[1]


def main(check: bool) -> int:
    stale = []
    for relative, build in PUBLISHED_SCHEMAS.items():
        target = ROOT / relative
        text = render_schema(build())
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(relative)
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    for relative in stale:
        print(("stale: " if check else "wrote: ") + relative)
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
