"""Turn ``PATH...`` arguments (files, directories, globs, ``-``) into documents to read."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from compliance.cli.fileio import InputTooLarge, read_limited
from compliance.errors import Issue, Layer, Severity
from compliance.validation.parsing import too_large_issue

__all__ = ["DOCUMENT_SUFFIXES", "STDIN", "Target", "discover", "internal_issue", "read_target"]

DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
STDIN = "-"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Target:
    """One document to validate: a file, or standard input (``path is None``)."""

    label: str
    path: Path | None


@dataclass(slots=True)
class _Walk:
    """One pattern's expansion: symbolic links to directories are followed, loops are not."""

    loops: list[str] = field(default_factory=list)
    expanded: set[tuple[int, int, int]] = field(default_factory=set)
    """(segments left, device, inode) of every directory a ``**`` already expanded."""

    def expand(
        self, base: str, segments: Sequence[str], ancestors: dict[tuple[int, int], str]
    ) -> Iterator[str]:
        """Paths under ``base`` matching ``segments`` (``**`` spans any number of directories)."""
        if not segments:
            yield base
            return
        segment, rest = segments[0], segments[1:]
        if segment == "**":
            yield from self._recursive(base, rest, ancestors)
        elif _GLOB_CHARS & set(segment):
            for name, is_dir in _entries(base):
                if name.startswith(".") and not segment.startswith("."):
                    continue
                if fnmatch.fnmatchcase(name, segment) and (is_dir or not rest):
                    yield from self._child(base, name, rest, ancestors)
        else:
            path = os.path.join(base, segment)
            if os.path.isdir(path) or (not rest and os.path.lexists(path)):
                yield from self._child(base, segment, rest, ancestors)

    def _child(
        self, base: str, name: str, rest: Sequence[str], ancestors: dict[tuple[int, int], str]
    ) -> Iterator[str]:
        path = os.path.join(base, name)
        if not rest:
            yield path
            return
        key = _directory_key(path)
        if key is None:
            return
        if key in ancestors:
            self.loops.append(
                f"{path}: a symbolic link loop (back to {ancestors[key]}), not followed"
            )
            return
        yield from self.expand(path, rest, {**ancestors, key: path})

    def _recursive(
        self, base: str, rest: Sequence[str], ancestors: dict[tuple[int, int], str]
    ) -> Iterator[str]:
        key = _directory_key(base or ".")
        if key is None or (len(rest), *key) in self.expanded:
            return
        self.expanded.add((len(rest), *key))
        ancestors = {**ancestors, key: base or "."}
        yield from self.expand(base, rest, ancestors)
        for name, is_dir in _entries(base):
            if not is_dir or name.startswith("."):
                continue  # hidden trees (.git, .venv) are not searched
            path = os.path.join(base, name)
            child = _directory_key(path)
            if child is None:
                continue
            if child in ancestors:
                self.loops.append(
                    f"{path}: a symbolic link loop (back to {ancestors[child]}), not followed"
                )
                continue
            yield from self._recursive(path, rest, ancestors)


def _entries(directory: str) -> list[tuple[str, bool]]:
    """(name, is a directory, following links) of each entry, sorted; [] if unreadable."""
    try:
        with os.scandir(directory or ".") as scan:
            return sorted((entry.name, _is_dir(entry)) for entry in scan)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _directory_key(path: str) -> tuple[int, int] | None:
    """(device, inode) of the directory ``path`` leads to, or ``None`` (gone, a link loop)."""
    try:
        info = os.stat(path or ".")
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _split_pattern(pattern: str) -> tuple[str, list[str]]:
    """The literal directory a pattern starts from, and its remaining segments."""
    parts = pattern.split("/")
    first = next(i for i, part in enumerate(parts) if _GLOB_CHARS & set(part))
    base = "/".join(parts[:first])
    if not base and pattern.startswith("/"):
        base = "/"
    return base, [part for part in parts[first:] if part]


def _documents_under(directory: Path, walk: _Walk) -> list[Path]:
    paths = walk.expand(str(directory), ["**", "*"], {})
    return sorted(Path(p) for p in paths if _is_document(p))


def _is_document(path: str) -> bool:
    return os.path.isfile(path) and os.path.splitext(path)[1].lower() in DOCUMENT_SUFFIXES


def discover(
    arguments: Sequence[str], *, allow_empty: bool = False
) -> tuple[list[Target], list[str]]:
    """Expand arguments into targets (in order, without duplicates) and usage errors.

    With ``allow_empty``, a directory or pattern that matches no document is not an error.

    Directories are searched recursively for ``*.json``, ``*.yaml`` and ``*.yml``; glob
    patterns (``examples/**/*.json``) are expanded here, so they work when quoted too. Symbolic
    links to directories are followed, except one leading back to a directory being searched
    (a loop): it is reported as an error and not followed, so a search always ends.
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
        walk = _Walk()
        if path.is_dir():
            documents = _documents_under(path, walk)
            if not documents and not walk.loops and not allow_empty:
                errors.append(f"{argument}: no .json, .yaml or .yml files in this directory")
            for document in documents:
                add(document)
        elif path.exists():
            add(path)
        elif _GLOB_CHARS & set(argument):
            base, segments = _split_pattern(argument)
            matches = sorted(walk.expand(base, segments, {}))
            files = [Path(m) for m in matches if os.path.isfile(m)]
            for directory in (Path(m) for m in matches if os.path.isdir(m)):
                files.extend(_documents_under(directory, walk))
            if not files and not walk.loops and not allow_empty:
                errors.append(f"{argument}: the pattern matches no files")
            for file in files:
                add(file)
        else:
            errors.append(f"{argument}: no such file or directory")
        errors.extend(walk.loops)
    return targets, errors


def read_target(target: Target, limit: int, stdin: BinaryIO) -> bytes | Issue:
    """Read at most ``limit + 1`` bytes, whatever the file is (a file growing, a pipe, a device)."""
    try:
        return read_limited(stdin if target.path is None else target.path, limit)
    except InputTooLarge as exc:
        return too_large_issue(exc.size, limit)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return Issue(
            "io.unreadable", "", f"cannot read the file: {reason}", Severity.ERROR, Layer.IO
        )


def internal_issue(exc: BaseException) -> Issue:
    """The issue of a file whose processing raised (a bug): reported, and the batch goes on."""
    return Issue(
        "internal.error",
        "",
        f"internal error ({type(exc).__name__}: {exc}); please report this with the file",
        Severity.ERROR,
        Layer.IO,
    )
