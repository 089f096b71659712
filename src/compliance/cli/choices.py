"""Load the run's choices at the edge, once: CFP ruleset (by id or file), overrides, GWP, factors.

The one place the CLI turns ``--ruleset``, ``--choice``, ``--gwp`` and ``--factors`` into the
loaded :class:`~compliance.pipeline.CfpSetup` the pipeline takes (``validate``, ``cfp``,
``passport`` and ``report`` all call :func:`load_cfp_setup`). A problem is printed on stderr (a
located line for a broken file) and ``None`` returned: the caller exits 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from compliance.cli.fileio import InputTooLarge, read_limited
from compliance.cli.reporters import issue_line
from compliance.errors import Issue
from compliance.validation.parsing import too_large_issue

if TYPE_CHECKING:
    from datetime import date

    from compliance.cfp.rulesets import CfpRuleset
    from compliance.pipeline import CfpSetup, RecycledSetup

__all__ = ["CfpChoices", "RecycledChoices", "load_cfp_setup", "load_recycled_setup"]


@dataclass(frozen=True, slots=True)
class CfpChoices:
    """The CFP flags of a command, as typed (nothing loaded yet)."""

    ruleset: str = "eu-da-2024-draft"
    """A bundled ruleset id, or the path of a ruleset file."""
    choices: tuple[tuple[str, str], ...] = ()
    """Method-choice overrides: (axis, choice id) pairs."""
    gwp: str | None = None
    factor_files: tuple[Path, ...] = ()
    max_bytes: int = 10 * 1024 * 1024


def _file_issues(path: Path, issues: Sequence[Issue], stderr: TextIO) -> None:
    for issue in issues:
        stderr.write(issue_line(str(path), issue) + "\n")


def _read(path: Path, max_bytes: int, stderr: TextIO, prog: str) -> bytes | None:
    try:
        return read_limited(path, max_bytes)
    except InputTooLarge as exc:
        stderr.write(f"{prog}: {path}: {too_large_issue(exc.size, exc.limit).message}\n")
    except OSError as exc:
        stderr.write(f"{prog}: {path}: cannot read ({exc.strerror})\n")
    return None


def _is_ruleset_file(spec: str) -> bool:
    """``--ruleset`` names a file (a path or a .yaml/.yml/.json name) rather than a bundled id."""
    return "/" in spec or "\\" in spec or spec.endswith((".yaml", ".yml", ".json"))


def _ruleset(spec: str, max_bytes: int, stderr: TextIO, prog: str) -> CfpRuleset | None:
    """A bundled ruleset by id, or a user's ruleset file (checked against its schema)."""
    from compliance.cfp.rulesets import RulesetError, load_ruleset, parse_ruleset

    if not _is_ruleset_file(spec):
        return load_ruleset(spec)
    path = Path(spec)
    data = _read(path, max_bytes, stderr, prog)
    if data is None:
        return None
    try:
        return parse_ruleset(data, path.name)
    except RulesetError as exc:
        _file_issues(path, exc.issues, stderr)
        return None


def load_cfp_setup(choices: CfpChoices, stderr: TextIO, prog: str) -> CfpSetup | None:
    """Load the ruleset (with its choice overrides), GWP set and factor datasets.

    Returns ``None`` after printing a usage error (a located one for a broken file). The CFP
    engine is imported here, when a command needs it (``compliance --help`` and ``validate
    --no-cfp-check`` never load it).
    """
    from compliance.cfp.datasets import DatasetError, FactorDataset, FactorLibrary, parse_dataset
    from compliance.cfp.gwp import UnknownGwpSetError, load_gwp_set
    from compliance.cfp.rulesets import (
        ChoiceError,
        RulesetError,
        UnknownRulesetError,
        compose_ruleset,
    )
    from compliance.pipeline import CfpSetup

    try:
        base = _ruleset(choices.ruleset, choices.max_bytes, stderr, prog)
        if base is None:
            return None
        ruleset = compose_ruleset(base, dict(choices.choices))
        gwp = load_gwp_set(choices.gwp) if choices.gwp else None
    except (UnknownRulesetError, UnknownGwpSetError, RulesetError, ChoiceError) as exc:
        stderr.write(f"{prog}: {exc}\n")
        return None
    extra: list[FactorDataset] = []
    for path in choices.factor_files:
        data = _read(path, choices.max_bytes, stderr, prog)
        if data is None:
            return None
        try:
            extra.append(parse_dataset(data, path.name))
        except DatasetError as exc:
            _file_issues(path, exc.issues, stderr)
            return None
    return CfpSetup(ruleset, FactorLibrary.bundled(extra), gwp)


@dataclass(frozen=True, slots=True)
class RecycledChoices:
    """The recycled-content flags of a command, as typed."""

    version: str = "1.0.0"
    """A bundled recycled-content ruleset version (``rules/recycled/<version>``)."""
    dd: Path | None = None
    """A DD questionnaire whose rejected recycled claims are left out."""
    max_bytes: int = 10 * 1024 * 1024
    only_with_composition: bool = False
    """Compute only for submissions whose BOM states compositions (passport and report)."""


def load_recycled_setup(
    choices: RecycledChoices, as_of: date, stderr: TextIO, prog: str
) -> RecycledSetup | None:
    """Load the recycled-content ruleset and score the ``--dd`` questionnaire, if any.

    Returns ``None`` after printing a usage error (the questionnaire's located issues when it is
    invalid): the caller exits 2.
    """
    from compliance.pipeline import RecycledSetup, run_questionnaire
    from compliance.recycled import RecycledRulesetError, load_recycled_ruleset

    try:
        ruleset = load_recycled_ruleset(choices.version)
    except RecycledRulesetError as exc:
        stderr.write(f"{prog}: {exc}\n")
        return None
    if choices.dd is None:
        return RecycledSetup(ruleset, only_with_composition=choices.only_with_composition)
    data = _read(choices.dd, choices.max_bytes, stderr, prog)
    if data is None:
        return None
    run = run_questionnaire(data, name=str(choices.dd), as_of=as_of)
    if run.dd is None:
        _file_issues(choices.dd, run.issues, stderr)
        stderr.write(f"{prog}: {choices.dd}: invalid questionnaire\n")
        return None
    return RecycledSetup(ruleset, run, choices.only_with_composition)
