"""Public names of a package imported on first use (PEP 562 module ``__getattr__``).

``compliance`` and ``compliance.validation`` re-export names from their modules; importing the
package imports none of them, so ``compliance --help`` and a library user who needs one part do
not pay for pint, the models and the rule catalogues up front.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    namespace: dict[str, Any], table: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose names ``table`` maps to modules.

    Args:
        namespace: The package's ``globals()``; a name, once imported, is kept there.
        table: Public name -> the module that defines it.
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        try:
            module = table[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(namespace["__all__"])

    return __getattr__, __dir__
