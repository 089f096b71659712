"""Which files a checking command reads: the ``PATH...`` arguments, narrowed for CI.

* ``--allow-empty``: a directory or pattern that matches no document is not an error (a
  repository without submissions passes: "0 files checked", exit 0). A path that does not exist
  at all is still an error.
* ``--changed-since REF``: only the documents that differ from the merge base of ``REF`` and
  ``HEAD`` (committed or not; ``git diff --merge-base REF``), for pull requests. Nothing changed
  is not an error.
* ``--skip-unknown`` is applied per file once it is read (:mod:`compliance.cli.kinds`, the core
  detector).

These options, with ``--format`` and ``--quiet``, are the same on ``validate``, ``cfp`` and
``dd`` (:data:`AllowEmpty`, :data:`ChangedSince`, :data:`SkipUnknown`, :data:`FormatOption`,
:data:`QuietOption`); ``batch`` takes :data:`FormatOption` and :data:`QuietOption`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, TextIO

import typer

from compliance.cli.discovery import Target, discover
from compliance.cli.reporters import OutputFormat

__all__ = [
    "AllowEmpty",
    "ChangedSince",
    "FormatOption",
    "QuietOption",
    "Selection",
    "SkipUnknown",
    "select_targets",
    "step_summary_path",
]

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Report format: text, json, junit (JUnit XML), github (workflow annotations and "
        "step summary), sarif (SARIF 2.1.0).",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Text: only the summary line.")]
AllowEmpty = Annotated[
    bool,
    typer.Option(
        "--allow-empty",
        help="A directory or pattern matching no document is not an error (0 files, exit 0).",
    ),
]
ChangedSince = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        metavar="REF",
        help="Only documents changed since the merge base with git REF (e.g. origin/main).",
        show_default=False,
    ),
]
SkipUnknown = Annotated[
    bool,
    typer.Option(
        "--skip-unknown",
        help="Skip JSON/YAML files that are not documents this command checks (package.json "
        "...), by $schema, shape and file name; counted as skipped.",
    ),
]


@dataclass(frozen=True, slots=True)
class Selection:
    """How the arguments are narrowed (the CI options)."""

    allow_empty: bool = False
    changed_since: str | None = None
    skip_unknown: bool = False


def _git(args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], capture_output=True, check=False)


def _changed(ref: str) -> set[str] | str:
    """Resolved paths of the files changed since the merge base of ``ref``, or the error."""
    try:
        top = _git(["rev-parse", "--show-toplevel"])
        if top.returncode != 0:
            return "--changed-since needs a git repository: " + top.stderr.decode().strip()
        diff = _git(["diff", "--name-only", "-z", "--diff-filter=d", "--merge-base", ref, "--"])
    except OSError as exc:
        return f"--changed-since: cannot run git ({exc.strerror})"
    if diff.returncode != 0:
        reason = diff.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"--changed-since {ref}: {reason[0] if reason else 'git diff failed'}"
    root = Path(os.fsdecode(top.stdout.strip()))
    names = [os.fsdecode(name) for name in diff.stdout.split(b"\0") if name]
    return {os.path.realpath(root / name) for name in names}


def select_targets(
    paths: Sequence[str], selection: Selection, *, prog: str, stderr: TextIO
) -> tuple[list[Target], bool]:
    """The targets to check and whether there was a usage error (written to ``stderr``)."""
    targets, errors = discover(paths, allow_empty=selection.allow_empty)
    for message in errors:
        stderr.write(f"{prog}: {message}\n")
    usage = bool(errors)
    if selection.changed_since is not None:
        changed = _changed(selection.changed_since)
        if isinstance(changed, str):
            stderr.write(f"{prog}: {changed}\n")
            return [], True
        kept = [t for t in targets if t.path is None or os.path.realpath(t.path) in changed]
        if len(kept) < len(targets):
            stderr.write(
                f"{prog}: {len(kept)} of {len(targets)} documents changed since "
                f"{selection.changed_since}\n"
            )
        targets = kept
    elif not targets and not usage and not selection.allow_empty:
        stderr.write(f"{prog}: no documents given\n")
        usage = True
    return targets, usage


def step_summary_path(output_format: OutputFormat) -> Path | None:
    """``$GITHUB_STEP_SUMMARY`` when the format is ``github`` and the variable is set."""
    value = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format is not OutputFormat.GITHUB or not value:
        return None
    return Path(value)
