"""Every ``-o`` write is atomic: a kill or a full disk leaves the previous file, never a part.

Reproducers of issue 14 item 10: a kill at the write left a 0-byte passport and the previous
version lost; on a full disk the commands left a truncated PDF, a passport that fails verify and
an empty import.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli.fileio import atomic_write, same_file
from compliance.cli.main import app
from tests.conftest import ROOT
from tests.dd.rmi_fixtures import emrt_workbook, smelter
from tests.faults.helpers import EV, FIXED, LMT, leftovers, run_cli

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# --- the helper -------------------------------------------------------------------------------


def test_atomic_write_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.json", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_exclusive_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "key.pem"
    atomic_write(target, b"first", exclusive=True, mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        atomic_write(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first"
    assert leftovers(tmp_path) == []


def test_exclusive_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "key.pem"
    atomic_write(target, b"secret", exclusive=True, mode=0o600)
    assert target.read_bytes() == b"secret"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        atomic_write(target, b"other", exclusive=True)
    assert target.read_bytes() == b"secret"
    assert leftovers(tmp_path) == []


def test_same_file_sees_hard_links_and_dot_dot(tmp_path: Path) -> None:
    first = tmp_path / "p.svg"
    first.write_text("x")
    (tmp_path / "linked.svg").hardlink_to(first)
    (tmp_path / "sub").mkdir()
    assert same_file(first, tmp_path / "linked.svg")
    assert same_file(first, tmp_path / "sub" / ".." / "p.svg")
    assert same_file(tmp_path / "new.svg", tmp_path / "sub" / ".." / "new.svg")  # not yet there
    assert not same_file(first, tmp_path / "new.svg")


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_a_character_device_is_written_in_place() -> None:
    atomic_write(Path(os.devnull), b"discarded")  # cannot be renamed over; no temporary in /dev


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_failure_leaves_the_previous_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "passport.json"
    target.write_bytes(b"previous")

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, handle: object) -> None:
                self.handle = handle

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()  # type: ignore[attr-defined]

            def write(self, data: bytes) -> None:
                self.handle.write(data[: len(data) // 2])  # type: ignore[attr-defined]
                no_space()

        monkeypatch.setattr(os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    else:
        monkeypatch.setattr(os, failing, no_space)
    with pytest.raises(OSError, match="No space"):
        atomic_write(target, b"new and longer content")
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


# --- the commands on a full disk (a writing stub raising ENOSPC) ------------------------------


def _no_space(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)


def test_passport_on_a_full_disk_keeps_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.json"
    assert invoke("passport", str(EV), *FIXED, "-o", str(target))[0] == 0
    previous = target.read_bytes()
    _no_space(monkeypatch)
    code, _, err = invoke("passport", str(LMT), *FIXED, "-o", str(target))
    assert code == 2
    assert f"{target}: cannot write (No space left on device)" in err
    assert target.read_bytes() == previous
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    assert invoke("passport", "verify", str(target))[0] == 0


def test_report_on_a_full_disk_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.html"
    target.write_bytes(b"<p>previous report</p>")
    _no_space(monkeypatch)
    code, _, err = invoke(
        "report",
        str(LMT),
        "--kind",
        "cfp",
        "-f",
        "html",
        "--as-of",
        "2026-06-01",
        "-o",
        str(target),
    )
    assert code == 2
    assert f"{target}: cannot write (No space left on device)" in err
    assert target.read_bytes() == b"<p>previous report</p>"
    assert leftovers(tmp_path) == []


def test_dd_import_on_a_full_disk_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = tmp_path / "supplier.xlsx"
    workbook.write_bytes(
        emrt_workbook(smelters=[smelter("Cobalt", "Demo Cobalt Refinery", "Finland", "DEMO-1")])
    )
    target = tmp_path / "q.json"
    target.write_text('{"previous": true}')
    _no_space(monkeypatch)
    code, _, err = invoke("dd", "import", str(workbook), "-o", str(target), "--as-of", "2026-01-15")
    assert code == 2
    assert f"{target}: cannot write: No space left on device" in err
    assert json.loads(target.read_text()) == {"previous": True}
    assert leftovers(tmp_path) == []


# --- a real file-size limit (RLIMIT_FSIZE) in a subprocess ------------------------------------


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead of a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["passport", str(EV), *FIXED], "passport"),
        (["report", str(LMT), "--kind", "cfp", "-f", "html", "--as-of", "2026-06-01"], "report"),
    ],
)
def test_file_size_limit_leaves_the_previous_file(
    tmp_path: Path, args: list[str], what: str
) -> None:
    target = tmp_path / f"{what}.out"
    target.write_bytes(b"previous")
    result = run_cli([*args, "-o", str(target)], preexec=_small_disk)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "File too large" in err
    assert "Traceback" not in err
    assert target.read_bytes() == b"previous"
    assert leftovers(tmp_path) == []


# --- a kill in the middle of the write --------------------------------------------------------

_PAUSE_IN_WRITE = """
import os, sys, time
from compliance.cli.main import main

def pause(fd):
    sys.stderr.write("PAUSED-IN-WRITE\\n")
    sys.stderr.flush()
    time.sleep(120)

os.fsync = pause  # the new content is written, not yet renamed
sys.argv = ["compliance", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_kill_during_the_write_keeps_the_previous_passport(
    tmp_path: Path, signum: signal.Signals
) -> None:
    target = tmp_path / "p.json"
    assert invoke("passport", str(EV), *FIXED, "-o", str(target))[0] == 0
    previous = target.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-c", _PAUSE_IN_WRITE, "passport", str(LMT), *FIXED, "-o", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert process.stderr is not None
    try:
        for line in process.stderr:  # the new content is half-way: in the temporary file
            if line.startswith(b"PAUSED-IN-WRITE"):
                break
        else:
            pytest.fail("the command never reached the write")
        assert list(leftovers(tmp_path))  # the temporary file exists now
        process.send_signal(signum)
        assert process.wait(timeout=30) in (-signal.SIGKILL, 128 + signal.SIGTERM)
    finally:
        process.kill()
        process.wait()
        process.stderr.close()
    assert target.read_bytes() == previous
    assert invoke("passport", "verify", str(target))[0] == 0
    if signum == signal.SIGTERM:
        assert leftovers(tmp_path) == []  # unwound: the temporary file is removed


def test_atomic_open_replaces_the_file_only_when_the_block_ends(tmp_path: Path) -> None:
    from compliance.cli.fileio import atomic_open

    target = tmp_path / "summary.json"
    target.write_bytes(b"old")
    target.chmod(0o640)

    def fail_half_way() -> None:
        with atomic_open(target) as handle:
            handle.write(b"half of the new")
            raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []
    with atomic_open(target) as handle:
        handle.write(b"new ")
        assert target.read_bytes() == b"old"  # not visible until the block ends
        handle.write(b"content")
    assert target.read_bytes() == b"new content"
    assert target.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []
