"""The README documents what the engine does: codes, commands, set-up; its examples run."""

from __future__ import annotations

import doctest
import re

from compliance.issue_codes import ISSUE_CODES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_issue_code_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\| `([a-zA-Z.-]+)` \|", README, flags=re.MULTILINE))
    assert documented == set(ISSUE_CODES)


def test_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
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


def test_cli_commands_are_documented() -> None:
    from compliance.cli.main import app

    for command in app.registered_commands:
        assert command.callback is not None
        assert f"compliance {command.callback.__name__}" in README


def test_readme_examples_run() -> None:
    parser = doctest.DocTestParser()
    # a closing code fence ends an expected output block, like a blank line
    text = re.sub(r"^```$", "", README, flags=re.MULTILINE)
    test = parser.get_doctest(text, {}, "README.md", str(ROOT / "README.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert test.examples, "the README has no doctest examples"
    assert runner.failures == 0
