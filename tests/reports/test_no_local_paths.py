"""A report never prints a local path or file name of the machine that rendered it (issue 13).

The CFP declaration and the DD audit report of the same input, read from two places under two
names, are the same bytes, and neither holds the folder or the file name (the input is named by
the SHA-256 of its bytes). The passport sheet has the same test in ``test_passport_sheet.py``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import EXAMPLES, ROOT

CASES = {
    "cfp": (EXAMPLES / "valid" / "lmt-ebike.json", "2026-11-29"),
    "dd": (ROOT / "examples" / "questionnaires" / "valid" / "honest-red-flag.json", "2026-01-15"),
}


@pytest.mark.parametrize("kind", sorted(CASES))
@pytest.mark.parametrize("output_format", ["html", "pdf"])
def test_the_same_input_read_from_two_paths_gives_the_same_bytes(
    kind: str, output_format: str, tmp_path: Path
) -> None:
    example, as_of = CASES[kind]
    data = example.read_bytes()
    outputs = []
    for folder in ("first-folder", "second/deeper-folder"):
        source = tmp_path / folder / f"{folder.replace('/', '-')}-input{example.suffix}"
        source.parent.mkdir(parents=True)
        source.write_bytes(data)
        out = tmp_path / f"{folder.replace('/', '-')}.{output_format}"
        args = ["report", str(source), "--kind", kind, "--format", output_format]
        result = CliRunner().invoke(app, [*args, "--as-of", as_of, "-o", str(out)])
        assert result.exit_code == 0, result.output
        rendered = out.read_bytes()
        assert str(tmp_path).encode() not in rendered
        assert b"-input" not in rendered  # neither the folder nor the file name
        outputs.append(rendered)
    assert outputs[0] == outputs[1]
    if output_format == "html":
        assert hashlib.sha256(data).hexdigest().encode() in outputs[0]  # named by its digest
