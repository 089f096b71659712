"""``compliance batch`` under faults: unreadable inputs, a worker killed, a full output disk.

The pool's workers are forked from the test process, so a fault patched in here (a read that
fails with EACCES, a worker that kills itself on one input, a write that fails with ENOSPC)
happens inside the real workers and the real coordinator.
"""

from __future__ import annotations

import errno
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from compliance.cli.batch import engines, runner
from compliance.cli.batch.work import process_file
from compliance.cli.fileio import atomic_write
from tests.batch.conftest import AS_OF, batch, batch_json, corpus, result_files

SUMMARY = ("summary.json", "summary.csv", "index.html")


def _run(inputs: Path, out: Path, workers: str = "2") -> tuple[int, dict[str, Any]]:
    return batch_json(str(inputs), "--out", str(out), "--as-of", AS_OF, "--workers", workers)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission_is_unreadable_and_the_rest_done(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    locked = inputs / "sub-valid" / "lmt-ebike.json"
    locked.chmod(0)
    code, document = _run(inputs / "sub-valid", tmp_path / "out")
    row = next(f for f in document["files"] if f["file"] == str(locked))
    assert (code, row["status"]) == (2, "unreadable")


def test_a_read_that_fails_is_an_unreadable_record_and_the_batch_goes_on(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance.cli import discovery
    from compliance.cli.fileio import read_limited as real

    inputs = corpus(tmp_path / "in")

    def denied(source, limit):
        if isinstance(source, Path) and source.name == "lmt-ebike.json":
            raise PermissionError(errno.EACCES, "Permission denied", str(source))
        return real(source, limit)

    monkeypatch.setattr(discovery, "read_limited", denied)
    out = tmp_path / "out"
    code, document = _run(inputs / "sub-valid", out)
    assert code == 2  # an unreadable input is an I/O problem
    by_name = {Path(f["file"]).name: f for f in document["files"]}
    assert by_name["lmt-ebike.json"]["status"] == "unreadable"
    assert by_name["lmt-ebike.json"]["sha256"] is None
    assert by_name["nmc811-m1-ev.json"]["status"] == "ok"
    assert by_name["lfp-m3-bus.yaml"]["status"] == "ok"
    issues = json.loads((out / by_name["lmt-ebike.json"]["outputs"][0]).read_text())
    assert issues["issues"][0]["code"] == "io.unreadable"
    assert issues["issues"][0]["message"] == "cannot read the file: Permission denied"
    monkeypatch.setattr(discovery, "read_limited", real)
    code, document = _run(inputs / "sub-valid", out)  # readable again: done, the rest skipped
    assert (code, document["summary"]["unchanged"]) == (0, 2)


def _killer(task, settings):
    if task.label.endswith("strong-supplier.json"):
        os.kill(os.getpid(), signal.SIGKILL)
    return process_file(task, settings)


def test_a_killed_worker_is_reported_and_a_rerun_does_only_what_is_missing(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    monkeypatch.setattr(engines, "process_file", _killer)
    code, document = _run(inputs, out)
    assert code == 2
    assert document["summary"]["complete"] is False
    assert "a worker died" in document["summary"]["stopped"]
    missing = document["summary"]["notProcessed"]
    assert missing >= 1
    recorded = {f["file"] for f in document["files"]}
    assert not any(name.endswith("strong-supplier.json") for name in recorded)
    assert not any((out / name).exists() for name in SUMMARY)  # nothing claims completeness
    monkeypatch.setattr(engines, "process_file", process_file)
    code, document = _run(inputs, out)
    assert code == 1
    assert document["summary"]["complete"] is True
    assert document["summary"]["unchanged"] == 34 - missing  # only the missing inputs ran
    fresh = tmp_path / "fresh"
    _run(inputs, fresh)
    assert result_files(out) == result_files(fresh)


def test_a_full_output_disk_stops_the_batch_without_partial_results(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"

    def full_disk(path: Path, data: bytes, **kwargs) -> None:
        if path.name == "nmc811-m1-ev.json.passport.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        atomic_write(path, data, **kwargs)

    monkeypatch.setattr(runner, "atomic_write", full_disk)
    code, document = _run(inputs / "sub-valid", out, workers="1")
    assert code == 2
    passport = f"{out}/files{inputs}/sub-valid/nmc811-m1-ev.json.passport.json"
    assert document["summary"]["stopped"] == f"cannot write {passport}: No space left on device"
    ev = [p.name for p in out.rglob("nmc811-m1-ev.json*")]
    assert ev == []  # its issues file, written before the passport failed, is removed too
    assert not list(out.rglob("*.tmp"))
    assert not any((out / name).exists() for name in SUMMARY)
    assert all(not f["file"].endswith("nmc811-m1-ev.json") for f in document["files"])
    monkeypatch.setattr(runner, "atomic_write", atomic_write)
    code, document = _run(inputs / "sub-valid", out, workers="1")
    assert (code, document["summary"]["complete"]) == (0, True)
    assert document["summary"]["unchanged"] == 2  # one worker, in order: the two before it
    assert next(out.rglob("nmc811-m1-ev.json.passport.json")).is_file()


def test_a_full_disk_while_writing_the_summary_leaves_no_summary(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance.cli.batch import summary
    from compliance.cli.fileio import atomic_open as real

    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"

    def full(path: Path):
        if path.name == "index.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path)

    monkeypatch.setattr(summary, "atomic_open", full)
    code, document = _run(inputs / "sub-valid", out, workers="1")
    assert code == 2
    assert document["summary"]["stopped"] == "cannot write the summary: No space left on device"
    assert not any((out / name).exists() for name in SUMMARY)
    assert not list(out.glob(".*.tmp"))


def test_a_manifest_that_is_not_a_database_is_a_clear_error(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.sqlite").write_text("not a database\n", "utf-8")
    code, stdout, stderr = batch(str(inputs / "sub-valid"), "--out", str(out), "--as-of", AS_OF)
    assert code == 2
    assert stdout == ""
    assert stderr == (
        f"compliance batch: {out}/manifest.sqlite: cannot use the manifest (file is not a "
        "database)\n"
    )


def test_a_manifest_that_cannot_be_written_stops_the_batch(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance.cli.batch import manifest

    def full(self) -> None:  # what Manifest.commit raises for sqlite3's "database or disk is full"
        raise manifest.ManifestError(f"{self.path}: cannot write the manifest (disk is full)")

    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    monkeypatch.setattr(manifest, "_COMMIT_EVERY", 1)
    monkeypatch.setattr(manifest.Manifest, "commit", full)
    code, document = _run(inputs / "sub-valid", out, workers="1")
    assert code == 2
    stopped = document["summary"]["stopped"]
    assert stopped == f"{out}/manifest.sqlite: cannot write the manifest (disk is full)"
    assert not any((out / name).exists() for name in SUMMARY)
