"""Which DD modules run compiled in this installation.

A regular install (``pip install .``) compiles the scorer's hot modules with mypyc
(``hatch_build.py``; the list is ``compile`` in ``pyproject.toml``); an editable install runs
them as pure Python. The code and the results are the same either way; only the speed differs.
"""

from __future__ import annotations

import sys
from importlib.machinery import EXTENSION_SUFFIXES

__all__ = ["compiled_modules"]


def compiled_modules() -> tuple[str, ...]:
    """Names of the loaded ``compliance`` modules that are compiled extension modules, sorted.

    Reads only the import system's record of loaded modules (no file access).
    """
    found = []
    for name, module in list(sys.modules.items()):
        if name != "compliance" and not name.startswith("compliance."):
            continue
        origin = getattr(module, "__file__", None) or ""
        if origin.endswith(tuple(EXTENSION_SUFFIXES)):
            found.append(name)
    return tuple(sorted(found))
