"""Read-only access to the data bundled with the package: schemas, rules, templates.

In an installed wheel the top-level ``schemas/``, ``rules/`` and ``templates/`` directories of the
repository are mapped to ``compliance/_data/`` (see ``pyproject.toml``) and read with
:mod:`importlib.resources`. In a development checkout (editable install) the package directory is
``src/compliance`` and the data stays at the repository top level; :func:`data_root` finds it there.
Nothing else in the package touches the file system for bundled data.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from compliance.errors import ResourceError

__all__ = [
    "data_root",
    "list_resource_dirs",
    "list_resource_files",
    "list_resources",
    "load_json_resource",
    "read_package_text",
    "read_resource_bytes",
    "read_resource_text",
]

DATA_DIRS = ("schemas", "rules", "templates")


@lru_cache(maxsize=1)
def data_root() -> Traversable:
    """The directory holding ``schemas/``, ``rules/`` and ``templates/``.

    Raises:
        ResourceError: Neither the wheel layout nor a development checkout is found.
    """
    package = files("compliance")
    bundled = package / "_data"
    if bundled.is_dir():
        return bundled
    # Development checkout: <repo>/src/compliance -> <repo>
    if hasattr(package, "parent"):
        repo = package.parent.parent
        if all((repo / name).is_dir() for name in DATA_DIRS):
            return repo  # type: ignore[no-any-return]
    raise ResourceError("_data", "package data not found (broken installation?)")


def _resolve(relative: str) -> Traversable:
    node = data_root()
    for part in relative.split("/"):
        if part in ("", ".", ".."):
            raise ResourceError(relative, "invalid resource path")
        node = node / part
    return node


def read_resource_text(relative: str) -> str:
    """Text of a bundled data file, e.g. ``schemas/supplier-submission/1.0.0/schema.json``."""
    node = _resolve(relative)
    try:
        return node.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(relative, str(exc)) from exc


def read_resource_bytes(relative: str) -> bytes:
    """Bytes of a bundled data file."""
    node = _resolve(relative)
    try:
        return node.read_bytes()
    except OSError as exc:
        raise ResourceError(relative, str(exc)) from exc


def list_resources(relative_dir: str, suffixes: tuple[str, ...] = ()) -> list[str]:
    """Names of the files in a bundled directory (sorted), optionally filtered by suffix."""
    node = _resolve(relative_dir)
    if not node.is_dir():
        raise ResourceError(relative_dir, "not a bundled directory")
    return sorted(
        child.name
        for child in node.iterdir()
        if child.is_file() and (not suffixes or child.name.endswith(suffixes))
    )


def list_resource_files(relative: str, suffix: str = "") -> list[str]:
    """Names of the files in a bundled data directory, sorted (``[]`` if it does not exist)."""
    try:
        return list_resources(relative, (suffix,) if suffix else ())
    except ResourceError:
        return []


def list_resource_dirs(relative_dir: str) -> list[str]:
    """Names of the sub-directories of a bundled directory, sorted (``[]`` if it does not exist)."""
    node = _resolve(relative_dir)
    if not node.is_dir():
        return []
    return sorted(child.name for child in node.iterdir() if child.is_dir())


@lru_cache(maxsize=64)
def load_json_resource(relative: str) -> Any:
    """Parsed JSON of a bundled data file (cached; treat the result as read-only)."""
    return json.loads(read_resource_text(relative))


def read_package_text(name: str) -> str:
    """Text of a file shipped inside the Python package itself (e.g. ``units.txt``)."""
    try:
        return (files("compliance") / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(name, str(exc)) from exc
