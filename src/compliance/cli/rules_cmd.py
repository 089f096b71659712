"""``compliance rules``: run the rule cases and lint the rule files.

``compliance rules test [PATH...]`` runs rule cases (default: the bundled ``rules/dd/cases``) the
way pytest does, for rule authors who never open pytest. ``compliance rules lint [--root DIR]``
checks rule files and their cross-references. Exit codes: 0 ok, 1 failures or errors, 2 usage.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, TextIO

import typer

from compliance.cli.fileio import InputTooLarge, read_limited
from compliance.cli.options import MaxFileSize, max_bytes
from compliance.cli.reporters import issue_line
from compliance.cli.streams import safe_text
from compliance.dd.rules.cases import parse_cases, run_case
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.compiler import load_catalogue, read_catalogue
from compliance.dd.rules.lint import lint_rules
from compliance.dd.rules.loader import RULES_ROOT, Reader, RulesError, bundled_reader
from compliance.dd.rules.references import (
    ReferenceTables,
    load_reference_tables,
    read_reference_tables,
)
from compliance.errors import Severity
from compliance.resources import list_resource_files, read_resource_text
from compliance.validation.parsing import DEFAULT_LIMITS, too_large_issue

__all__ = ["rules_app", "run_lint", "run_tests"]

rules_app = typer.Typer(
    help="Rule catalogue tools: run rule cases, lint rule files.", add_completion=False
)


def _read_text(path: Path, limit: int) -> str:
    """The UTF-8 text of a rule or case file, at most ``limit`` bytes (else ``OSError``)."""
    try:
        return read_limited(path, limit).decode("utf-8")
    except InputTooLarge as exc:
        message = too_large_issue(exc.size, limit).message
        raise OSError(errno.EFBIG, message, str(path)) from None


def _disk_reader(root: Path, limit: int) -> Reader:
    def reader(relative: str) -> str:
        return _read_text(root / relative, limit)

    return reader


def _case_files(
    paths: Sequence[str], limit: int
) -> tuple[list[tuple[str, str, Path | None]], list[str]]:
    """(label, text, pack root or None for bundled) of each case file, and usage errors."""
    if not paths:
        folder = f"{RULES_ROOT}/cases"
        return [
            (f"{folder}/{name}", read_resource_text(f"{folder}/{name}"), None)
            for name in list_resource_files(folder, ".yaml")
        ], []
    found: list[tuple[str, str, Path | None]] = []
    errors: list[str] = []
    for argument in paths:
        path = Path(argument)
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        if not path.exists() or not files:
            errors.append(f"{argument}: no case files")
            continue
        for file in files:
            root = file.parent.parent if file.parent.name == "cases" else None
            try:
                found.append((str(file), _read_text(file, limit), root))
            except (OSError, UnicodeDecodeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
                errors.append(f"{file}: cannot read ({reason})")
    return found, errors


def run_tests(
    paths: Sequence[str], *, stdout: TextIO, stderr: TextIO, limit: int = DEFAULT_LIMITS.max_bytes
) -> int:
    """Run rule cases; returns the exit code."""
    stdout, stderr = safe_text(stdout), safe_text(stderr)
    files, errors = _case_files(paths, limit)
    for message in errors:
        stderr.write(f"compliance rules test: {message}\n")
    if not files:
        return 2
    packs: dict[Path | None, tuple[Catalogue, ReferenceTables]] = {}
    passed = failed = 0
    for label, text, root in files:
        try:
            if root not in packs:
                packs[root] = (
                    (load_catalogue(), load_reference_tables())
                    if root is None
                    else (
                        read_catalogue(_disk_reader(root, limit)),
                        read_reference_tables(_disk_reader(root, limit)),
                    )
                )
        except (RulesError, OSError) as exc:
            stderr.write(f"{label}: cannot load the rule pack: {exc}\n")
            return 2
        catalogue, tables = packs[root]
        cases, problems = parse_cases(text, label)
        for issue in problems:
            stdout.write(issue_line(label, issue) + "\n")
            failed += 1
        for case in cases:
            mismatches = run_case(case, catalogue, tables)
            if mismatches:
                failed += 1
                stdout.write(f"FAILED {label} -> {case.name}\n")
                for mismatch in mismatches:
                    stdout.write(f"  {mismatch}\n")
            else:
                passed += 1
    stdout.write(f"{passed + failed} case(s): {passed} passed, {failed} failed\n")
    return 1 if failed else 0


@rules_app.command("test")
def cases(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Case files or directories \\[default: the bundled rules/dd/cases]."),
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Run rule cases (input fragment -> expected scores, flags, issues)."""
    limit = max_bytes(ctx, max_file_size)
    raise typer.Exit(run_tests(paths or [], stdout=sys.stdout, stderr=sys.stderr, limit=limit))


def run_lint(
    root: Path | None, *, strict: bool, stdout: TextIO, limit: int = DEFAULT_LIMITS.max_bytes
) -> int:
    """Lint a rule pack (default: the bundled one); returns the exit code."""
    stdout = safe_text(stdout)
    reader: Reader
    if root is None:
        reader = bundled_reader
        translations = [f"i18n/{n}" for n in list_resource_files(f"{RULES_ROOT}/i18n", ".yaml")]
        prefix = RULES_ROOT
    else:
        reader = _disk_reader(root, limit)
        translations = [f"i18n/{p.name}" for p in sorted((root / "i18n").glob("*.yaml"))]
        prefix = str(root)
    issues = lint_rules(reader, translations)
    for issue in issues:
        stdout.write(issue_line(f"{prefix}/{issue.context.get('file', '')}", issue) + "\n")
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = len(issues) - errors
    stdout.write(f"rules lint: {errors} error(s), {warnings} warning(s)\n")
    return 1 if errors or (strict and warnings) else 0


@rules_app.command("lint")
def lint(
    ctx: typer.Context,
    root: Annotated[
        Path | None,
        typer.Option(help="A rule pack directory \\[default: the bundled rules/dd]."),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Warnings fail too.")] = False,
    max_file_size: MaxFileSize = None,
) -> None:
    """Check rule files against the ruleset schema and their cross-references."""
    limit = max_bytes(ctx, max_file_size)
    if root is not None and not (root / "catalogue.yaml").is_file():
        typer.echo(f"compliance rules lint: {root}: no catalogue.yaml", err=True)
        raise typer.Exit(2)
    raise typer.Exit(run_lint(root, strict=strict, stdout=sys.stdout, limit=limit))
