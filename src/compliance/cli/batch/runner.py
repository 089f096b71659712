"""The batch coordinator: tasks out, results in, outputs written, manifest kept, summary made.

:func:`run_batch` sends one task per input to an :class:`~compliance.cli.batch.engines.Engine`
(a bounded number in flight), and for each result as it arrives writes the input's output files
atomically (:func:`compliance.cli.fileio.atomic_write`), removes its outputs that are no longer
current and records it in the manifest; once the batch is over, every input of the run is
reported in file order through the shared reporters (:mod:`compliance.cli.batch.output`). One
bad input never stops the batch (it is a record with its issue). Two things do, with a clear
message and no summary written: a worker that died (the inputs it and the broken pool did not
finish are not recorded, so the next run does exactly those), and an output that cannot be
written (a full disk: that input's new files are removed, it is not recorded, and the batch
stops). The summary files are removed when a run starts and written only when every input has a
current result, so they never describe an incomplete batch.

Exit codes: 0 every input ok; 1 an input is invalid; 2 an input could not be read or failed,
a worker died, or an output could not be written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from compliance.cli.batch.engines import Engine, WorkerLost
from compliance.cli.batch.manifest import Manifest, ManifestError
from compliance.cli.batch.output import Ending, batch_summary, file_result
from compliance.cli.batch.records import FileOutcome, FileResult, Output, Task
from compliance.cli.batch.settings import BatchSettings, Loaded
from compliance.cli.batch.summary import SUMMARY_FILES, write_summary
from compliance.cli.discovery import Target
from compliance.cli.fileio import atomic_write
from compliance.cli.reporters import Reporter, Summary

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "OutputFailed", "run_batch"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class OutputFailed(Exception):
    """An output file could not be written (the message names it and the reason)."""


@dataclass(slots=True)
class _Progress:
    """Something that is told about each finished input (a Rich progress bar, or nothing)."""

    advance: Any = None

    def step(self) -> None:
        if self.advance is not None:
            self.advance()


def write_outputs(directory: Path, outputs: Sequence[Output]) -> None:
    """Write an input's outputs atomically; on failure remove the ones written and raise."""
    written: list[Path] = []
    try:
        for output in outputs:
            path = directory / output.name
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, output.data)
            written.append(path)
    except OSError as exc:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        name = exc.filename or (directory / outputs[len(written)].name)
        raise OutputFailed(f"cannot write {name}: {exc.strerror or exc}") from exc


def _remove_stale(directory: Path, previous: FileResult | None, current: FileResult) -> None:
    """Remove the outputs of the previous result the new one does not have.

    (E.g. the passport of a submission that is now invalid: no output outlives its result.)
    """
    if previous is None:
        return
    for name in set(previous.outputs) - set(current.outputs):
        with contextlib.suppress(FileNotFoundError):
            (directory / name).unlink()


def _remove_summary(directory: Path) -> None:
    for name in SUMMARY_FILES:
        with contextlib.suppress(FileNotFoundError):
            (directory / name).unlink()


def run_batch(
    targets: Sequence[Target],
    settings: BatchSettings,
    loaded: Loaded,
    out: Path,
    engine: Engine,
    reporter: Reporter,
    *,
    stderr: TextIO,
    advance: Any = None,
) -> int:
    """Process every target (files only); returns the exit code."""
    progress = _Progress(advance)
    fingerprint = loaded.fingerprint
    unchanged = processed = 0
    stopped: str | None = None
    _remove_summary(out)
    with Manifest(out) as manifest:
        manifest.begin_run(t.label for t in targets)

        def tasks() -> Iterator[Task]:
            for target in targets:
                assert target.path is not None
                current = manifest.current(target.label, fingerprint, out)
                known = None if current is None else current.sha256
                yield Task(target.label, target.path, known)

        results = engine.run(tasks(), settings)
        try:
            for task, outcome in results:
                if isinstance(outcome, WorkerLost):
                    lost = f"a worker died ({outcome.reason}); {task.label} was not finished"
                    stderr.write(f"compliance batch: {lost}\n")
                    stopped = stopped or lost
                    continue
                fresh = _keep(task, outcome, manifest, out, fingerprint)
                processed += 1
                unchanged += not fresh
                progress.step()
        except (OutputFailed, ManifestError) as exc:
            stopped = str(exc)
            stderr.write(f"compliance batch: {stopped}; the batch stopped\n")
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()
        try:
            manifest.commit()
        except ManifestError as exc:
            if stopped is None:
                stopped = str(exc)
                stderr.write(f"compliance batch: {stopped}\n")
        not_processed = len(targets) - processed
        complete = not_processed == 0 and stopped is None
        ending = Ending(str(out), len(targets), unchanged, not_processed, stopped)
        head = {"version": loaded.versions["engine"], "asOf": settings.as_of.isoformat()}
        head |= {"versions": loaded.versions, "fingerprint": fingerprint}
        if complete:
            try:
                write_summary(out, head, manifest.results)
            except OSError as exc:
                _remove_summary(out)
                stopped = f"cannot write the summary: {exc.strerror or exc}"
                stderr.write(f"compliance batch: {stopped}\n")
                ending = Ending(str(out), len(targets), unchanged, not_processed, stopped)
        summary = _report(manifest, out, reporter)
    reporter.finish(batch_summary(summary, ending))
    if not ending.complete or summary.unreadable:
        return EXIT_USAGE
    return EXIT_OK if summary.ok else EXIT_FINDINGS


def _report(manifest: Manifest, out: Path, reporter: Reporter) -> Summary:
    """Report every recorded input of the run, in file order; their counts."""
    summary = Summary()
    for record in manifest.results():
        result = file_result(out, record)
        summary.add(result)
        reporter.file(result)
    return summary


def _keep(
    task: Task, outcome: FileOutcome, manifest: Manifest, out: Path, fingerprint: str
) -> bool:
    """Write a new result's outputs and record it; ``False``: unchanged (the manifest's stands)."""
    if outcome.record is None:
        return False
    previous = manifest.previous(task.label)
    write_outputs(out, outcome.outputs)
    _remove_stale(out, previous.record if previous else None, outcome.record)
    manifest.put(outcome.record, fingerprint)
    return True


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)
