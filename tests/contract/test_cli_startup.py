"""Start-up: a command's module is imported only when it runs, heavy libraries only where used.

``compliance --help`` lists the commands from their one-line help (kept equal to the commands'
own help here) and imports none of them; ``validate`` imports neither the DD rules, the passport,
the RMI reader nor the report renderer. ``benchmarks/bench_startup.py`` times it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from compliance.cli.main import _Commands

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "examples" / "submissions" / "valid" / "lmt-ebike.json"
HEAVY = ("pint", "numpy", "openpyxl", "jsonschema", "cryptography", "weasyprint", "pydantic")

_PROBE = """
import sys
sys.argv = ["compliance", *sys.argv[1:]]
from compliance.cli.main import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
sys.__stderr__.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""


def _modules_after(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES "))
    return set(line.split()[1:])


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


@pytest.mark.parametrize("name", list(_Commands.lazy))
def test_the_listed_help_line_is_the_commands_own(name: str) -> None:
    spec = _Commands.lazy[name]
    command = spec.load(name)
    assert command.name == name
    assert spec.help == _first_paragraph(command.help or "")


def test_help_imports_no_command_and_no_heavy_library() -> None:
    modules = _modules_after("--help")
    assert "compliance.cli.main" in modules
    commands = {m for m in modules if m.startswith("compliance.cli.") and m.endswith("_cmd")}
    assert commands == set()
    assert {m for m in modules if m.split(".")[0] in HEAVY} == set()


def test_validate_imports_what_it_uses_only() -> None:
    unused = ("compliance.dd", "compliance.passport", "compliance.reports", "openpyxl",
              "cryptography", "weasyprint")  # fmt: skip
    without_cfp = _modules_after("validate", "--no-cfp-check", str(SMALL))
    assert "compliance.validation.submission" in without_cfp
    assert not any(m.startswith((*unused, "compliance.cfp")) for m in without_cfp)
    with_cfp = _modules_after("validate", str(SMALL))
    assert "compliance.cfp.calculator" in with_cfp
    assert not any(m.startswith(unused) for m in with_cfp)


def test_a_mistyped_command_is_matched_against_the_lazy_names() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "compliance", "vali"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "No such command 'vali'. Did you mean 'validate'?" in proc.stderr
