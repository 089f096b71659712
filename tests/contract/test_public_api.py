"""The public surface: ``compliance.__all__`` is sorted, complete and importable without extras."""

from __future__ import annotations

import compliance


def _isort_key(name: str) -> tuple[int, str]:
    # ruff RUF022 order: CONSTANTS, then Classes, then functions and dunders
    if name.isupper():
        return 0, name
    return (1 if name[0].isupper() else 2), name


def test_all_is_sorted_and_unique() -> None:
    assert list(compliance.__all__) == sorted(set(compliance.__all__), key=_isort_key)


def test_all_names_exist() -> None:
    for name in compliance.__all__:
        assert hasattr(compliance, name), name


def test_every_public_attribute_is_exported() -> None:
    public = {
        name
        for name, value in vars(compliance).items()
        if not name.startswith("_")
        and name.isidentifier()  # pytest's assertion rewriting adds '@py_builtins' etc.
        and not getattr(value, "__name__", "").startswith("compliance.")
    }
    assert public <= set(compliance.__all__)
