"""Directory and ``**`` searches end on symbolic link loops, report them and go on.

Reproducer of issue 14 item 12: a quoted ``'loop/**/*.json'`` over symbolic link loops never
ended and grew 13 MB/s (``glob`` follows every link, so two links back to the top make the
number of paths double at each level).
"""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from compliance.cli.discovery import Target, discover
from tests.conftest import EXAMPLES
from tests.faults.helpers import run_cli

LMT = EXAMPLES / "valid" / "lmt-ebike.json"


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """A search that does not end (the defect) fails the test instead of hanging the suite."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("the search did not end within 30 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    """loop/{a.json, sub/{b.json, up -> .., top -> ../.., self -> .}, .hidden/c.json}."""
    root = tmp_path / "loop"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(LMT, root / "a.json")
    shutil.copy(LMT, root / "sub" / "b.json")
    shutil.copy(LMT, root / ".hidden" / "c.json")
    (root / "sub" / "up").symlink_to("..")
    (root / "sub" / "top").symlink_to("../..")
    (root / "sub" / "self").symlink_to(".")
    return root


def _names(targets: list[Target]) -> list[str]:
    return [Path(str(t.path)).name for t in targets]


@pytest.mark.parametrize("form", ["pattern", "directory", "pattern-of-directories"])
def test_loops_are_reported_not_followed(looped: Path, form: str) -> None:
    argument = {
        "pattern": f"{looped}/**/*.json",
        "directory": str(looped),
        "pattern-of-directories": f"{looped}/**",
    }[form]
    start = time.monotonic()
    targets, errors = discover([argument])
    assert time.monotonic() - start < 5
    assert sorted(_names(targets)) == ["a.json", "b.json"]  # hidden trees are not searched
    assert all("a symbolic link loop" in e for e in errors)
    loops = {e.split(":")[0].removeprefix(str(looped)) for e in errors}
    assert {"/sub/up", "/sub/self"} <= loops  # back to loop/ and to loop/sub
    assert any(e.endswith(f"(back to {looped}), not followed") for e in errors)


def test_a_link_to_another_tree_is_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(LMT, elsewhere / "x.json")
    root = tmp_path / "root"
    root.mkdir()
    (root / "linked").symlink_to(elsewhere)
    (root / "twice").symlink_to(elsewhere)
    targets, errors = discover([f"{root}/**/*.json"])
    assert errors == []
    assert _names(targets) == ["x.json"]  # the same file once, by resolved path


def test_exponential_loops_end_quickly(tmp_path: Path) -> None:
    """Two links back to the top at each of several levels: glob had 2^depth paths."""
    root = tmp_path / "tree"
    node = root
    for depth in range(6):
        node.mkdir(parents=True)
        (node / "l1").symlink_to(root)
        (node / "l2").symlink_to(root)
        shutil.copy(LMT, node / f"d{depth}.json")
        node = node / "n"
    start = time.monotonic()
    targets, errors = discover([f"{root}/**/*.json"])
    assert time.monotonic() - start < 5
    assert len(targets) == 6
    assert len(errors) == 12  # each link reported once


def test_the_command_reports_the_loops_and_checks_the_files(looped: Path) -> None:
    result = run_cli(["validate", f"{looped}/**/*.json"], timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2  # a loop is an I/O problem of the search (as find -L says)
    assert f"compliance validate: {looped}/sub/up: a symbolic link loop (back to {looped})" in err
    assert result.stdout.decode().splitlines()[-1].startswith("2 files checked: 2 valid")


def test_directory_documents_come_in_path_order(tmp_path: Path) -> None:
    for relative in ("b.json", "c/x.json", "d.yaml", "c/a/y.yml"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LMT, tmp_path / relative)
    targets, errors = discover([str(tmp_path)])
    assert errors == []
    relative_paths = [str(Path(str(t.path)).relative_to(tmp_path)) for t in targets]
    assert relative_paths == ["b.json", "c/a/y.yml", "c/x.json", "d.yaml"]
