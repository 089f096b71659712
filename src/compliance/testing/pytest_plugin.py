"""pytest plugin: collect ``rules/<pack>/cases/*.yaml`` rule cases as test items.

Registered as a ``pytest11`` entry point, so any project (or third-party rule pack) with this
package installed gets its cases collected. A case file's catalogue and reference tables are the
pack's own (``rules/<pack>/``, read from disk), loaded once per pack. Failures print
``file -> case -> what was expected and what came out``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from compliance.dd.rules.cases import Case, Mismatch, parse_cases, run_case
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.compiler import read_catalogue
from compliance.dd.rules.references import ReferenceTables, read_reference_tables
from compliance.errors import Issue

__all__ = ["CaseFile", "CaseItem", "is_case_file", "pytest_collect_file"]


def is_case_file(path: Path) -> bool:
    """``rules/<pack>/cases/<name>.yaml``."""
    return (
        path.suffix in (".yaml", ".yml")
        and path.parent.name == "cases"
        and path.parent.parent.parent.name == "rules"
    )


@lru_cache(maxsize=8)
def _pack(root: Path) -> tuple[Catalogue, ReferenceTables]:
    def reader(relative: str) -> str:
        return (root / relative).read_text(encoding="utf-8")

    return read_catalogue(reader), read_reference_tables(reader)


class CaseFailure(Exception):
    """A case did not meet its expectations."""

    def __init__(self, mismatches: list[Mismatch] | list[Issue]) -> None:
        super().__init__(f"{len(mismatches)} mismatch(es)")
        self.mismatches = mismatches


class CaseItem(pytest.Item):
    """One rule case (or the parse problems of a malformed case file)."""

    def __init__(
        self, *, case: Case | None = None, problems: list[Issue] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.problems = problems or []

    def runtest(self) -> None:
        """Run the case against its rule pack."""
        if self.case is None:
            raise CaseFailure(self.problems)
        catalogue, tables = _pack(self.path.parent.parent)
        mismatches = run_case(self.case, catalogue, tables)
        if mismatches:
            raise CaseFailure(mismatches)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """``file -> case`` and one line per unmet expectation."""
        if isinstance(excinfo.value, CaseFailure):
            lines = [f"{self.path.name} -> {self.name}"]
            for item in excinfo.value.mismatches:
                if isinstance(item, Issue):
                    lines.append(f"  {item.pointer or '/'}: [{item.code}] {item.message}")
                else:
                    lines.append(f"  {item}")
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Location shown in reports."""
        return self.path, None, f"rule case: {self.name}"


class CaseFile(pytest.File):
    """A YAML file of rule cases."""

    def collect(self) -> Any:
        """One item per case (or one failing item for a malformed file)."""
        cases, problems = parse_cases(self.path.read_text(encoding="utf-8"), self.path.name)
        if problems:
            yield CaseItem.from_parent(self, name="<malformed case file>", problems=problems)
        for case in cases:
            yield CaseItem.from_parent(self, name=case.name, case=case)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> CaseFile | None:
    """Collect rule case files."""
    if is_case_file(file_path):
        return CaseFile.from_parent(parent, path=file_path)
    return None
