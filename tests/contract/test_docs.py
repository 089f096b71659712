"""The README and the guides in docs/ say what the engine does, and what they show runs.

* The README keeps exactly two set-up commands, and ``.ci/run`` runs exactly those.
* The reference pages (every command and option, every issue code) are generated from the code
  by cog; a page that disagrees with the code fails here.
* Every ``console`` block is run: each ``$ compliance ...`` line in-process, its output (stdout
  and stderr, as a terminal shows them) compared with the lines that follow it, ``...`` matching
  anything (doctest ELLIPSIS), and ``[exit N]`` as the last expected line for a non-zero exit.
* Every Python example with ``>>>`` runs as a doctest from the repository root.
* Every ``sh`` block line outside the README's set-up is a line ``.ci/run`` runs.
* The MkDocs site builds in strict mode (when MkDocs is installed).
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
CI_LINES = set((ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines())
REFERENCE = [ROOT / "docs" / "reference" / "cli.md", ROOT / "docs" / "reference" / "issue-codes.md"]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", flags=re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class ConsoleCommand:
    """One ``$ compliance ...`` line of a console block and the output shown after it."""

    page: str
    line: int
    command: str
    expected: str
    exit_code: int


def _blocks(page: Path, language: str) -> list[tuple[int, str]]:
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()) + 2, m.group(2))
        for m in FENCE.finditer(text)
        if m.group(1) == language
    ]


def _console_commands() -> list[ConsoleCommand]:
    commands: list[ConsoleCommand] = []
    for page in PAGES:
        for first_line, block in _blocks(page, "console"):
            lines = block.splitlines()
            starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
            for n, start in enumerate(starts):
                end = starts[n + 1] if n + 1 < len(starts) else len(lines)
                output = lines[start + 1 : end]
                exit_code = 0
                if output and (match := re.fullmatch(r"\[exit (\d+)\]", output[-1])):
                    exit_code = int(match.group(1))
                    output = output[:-1]
                commands.append(
                    ConsoleCommand(
                        page=str(page.relative_to(ROOT)),
                        line=first_line + start,
                        command=lines[start][2:],
                        expected="\n".join(output) + "\n" if output else "",
                        exit_code=exit_code,
                    )
                )
    return commands


CONSOLE = _console_commands()


def test_exactly_two_setup_commands_and_ci_runs_them() -> None:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", setup, flags=re.DOTALL)
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    main, tests = commands
    assert "compliance validate examples/submissions/valid" in main
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    # CI runs both, as written, and installs nothing before them
    assert main in ci
    assert tests in ci
    before = ci[: ci.index(main)]
    assert not any(("apt-get" in line or "pip " in line) for line in before)
    assert all(c.startswith("scripts/install-system-packages && ") for c in commands)


@pytest.mark.skipif(
    importlib.util.find_spec("cogapp") is None, reason="cogapp is not installed (the dev extra)"
)
def test_reference_pages_are_generated_from_the_code() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", *map(str, REFERENCE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, (
        "docs/reference is out of date: run `cog -r docs/reference/cli.md "
        f"docs/reference/issue-codes.md`\n{proc.stdout}{proc.stderr}"
    )


def test_every_issue_code_and_command_is_in_the_reference() -> None:
    from compliance.issue_codes import ISSUE_CODES

    codes = (ROOT / "docs" / "reference" / "issue-codes.md").read_text(encoding="utf-8")
    assert set(re.findall(r"^\| `([a-zA-Z.-]+)` \|", codes, flags=re.MULTILINE)) == set(ISSUE_CODES)
    cli = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        assert command.callback is not None
        assert f"`compliance {command.callback.__name__}`" in cli


def test_the_docs_run_commands_and_python() -> None:
    """The pages are worth testing: they hold console commands and doctests."""
    assert len(CONSOLE) >= 15
    assert sum(len(_blocks(page, "python")) for page in PAGES) >= 5


@pytest.mark.parametrize("example", CONSOLE, ids=lambda c: f"{c.page}:{c.line}")
def test_console_example(example: ConsoleCommand, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    argv = shlex.split(example.command)
    assert argv[0] == "compliance", "console blocks run compliance commands only"
    result = CliRunner().invoke(app, argv[1:], terminal_width=1000)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == example.exit_code, result.output
    checker = doctest.OutputChecker()
    assert checker.check_output(example.expected, result.output, doctest.ELLIPSIS), (
        f"{example.page}:{example.line}: `{example.command}` printed:\n{result.output}"
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_examples(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs: dict[str, object] = {}
    for line, block in _blocks(page, "python"):
        test = parser.get_doctest(block, globs, page.name, str(page), line)
        runner.run(test)
    assert runner.failures == 0


def test_sh_blocks_are_commands_ci_runs() -> None:
    for page in PAGES:
        for line, block in _blocks(page, "sh"):
            for command in block.splitlines():
                command = command.split("  #", 1)[0].strip()
                if command:
                    assert command in CI_LINES, f"{page.name}:{line}: {command!r} is not in .ci/run"


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None, reason="MkDocs is not installed (the dev extra)"
)
def test_site_builds_strictly(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "reference" / "cli" / "index.html").is_file()
