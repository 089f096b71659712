"""Turn ``PATH...`` arguments (files, directories, globs, ``-``) into documents to read."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from compliance.errors import Issue, Layer, Severity
from compliance.validation.parsing import too_large_issue

__all__ = ["DOCUMENT_SUFFIXES", "STDIN", "Target", "discover", "read_target"]

DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
STDIN = "-"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Target:
    """One document to validate: a file, or standard input (``path is None``)."""

    label: str
    path: Path | None


def _documents_under(directory: Path) -> list[Path]:
    found = []
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if any(part.startswith(".") for part in relative.parts):
            continue  # skip .git, .venv and other hidden trees
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES:
            found.append(path)
    return found


def discover(arguments: Sequence[str]) -> tuple[list[Target], list[str]]:
    """Expand arguments into targets (in order, without duplicates) and usage errors.

    Directories are searched recursively for ``*.json``, ``*.yaml`` and ``*.yml``; glob
    patterns (``examples/**/*.json``) are expanded here, so they work when quoted too.
    """
    targets: list[Target] = []
    errors: list[str] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = str(path.resolve())
        if key not in seen:
            seen.add(key)
            targets.append(Target(str(path), path))

    for argument in arguments:
        if argument == STDIN:
            if STDIN not in seen:
                seen.add(STDIN)
                targets.append(Target("<stdin>", None))
            continue
        path = Path(argument)
        if path.is_dir():
            documents = _documents_under(path)
            if not documents:
                errors.append(f"{argument}: no .json, .yaml or .yml files in this directory")
            for document in documents:
                add(document)
        elif path.exists():
            add(path)
        elif _GLOB_CHARS & set(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            for directory in (Path(m) for m in matches if Path(m).is_dir()):
                files.extend(_documents_under(directory))
            if not files:
                errors.append(f"{argument}: the pattern matches no files")
            for file in files:
                add(file)
        else:
            errors.append(f"{argument}: no such file or directory")
    return targets, errors


def read_target(target: Target, limit: int, stdin: BinaryIO) -> bytes | Issue:
    """Read at most ``limit + 1`` bytes (a file growing while read is still refused)."""
    try:
        if target.path is None:
            data = stdin.read(limit + 1)
        else:
            size = target.path.stat().st_size
            if size > limit:
                return too_large_issue(size, limit)
            with target.path.open("rb") as handle:
                data = handle.read(limit + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return Issue(
            "io.unreadable", "", f"cannot read the file: {reason}", Severity.ERROR, Layer.IO
        )
    if len(data) > limit:
        return too_large_issue(None, limit)
    return data
