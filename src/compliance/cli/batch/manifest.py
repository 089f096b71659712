"""The batch manifest: what each input's current outputs were made from (``DIR/manifest.sqlite``).

One row per input: its label, the SHA-256 of the bytes processed, the versions fingerprint of the
run (:attr:`compliance.cli.batch.settings.Loaded.fingerprint`) and its :class:`FileResult`. A
re-run skips an input whose digest and fingerprint match and whose outputs are all present. SQLite
(standard library) keeps the memory of a run flat however many inputs there are: rows are
written as results arrive (committed in small transactions) and read back sorted for the summary.
A row is written only after the input's output files, so a crash leaves at worst an input done
again; an input without a row (a worker died on it, the disk filled) is done by the next run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from compliance.cli.batch.records import FileResult, Status

__all__ = ["MANIFEST_NAME", "Manifest", "ManifestError", "Previous"]

MANIFEST_NAME = "manifest.sqlite"
_COMMIT_EVERY = 256
_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
  file TEXT PRIMARY KEY,
  sha256 TEXT,
  fingerprint TEXT NOT NULL,
  record TEXT NOT NULL
)
"""


class ManifestError(Exception):
    """The manifest cannot be opened, read or written (the message says which file and why)."""


@dataclass(frozen=True, slots=True)
class Previous:
    """An input's row from an earlier run."""

    fingerprint: str
    record: FileResult


class Manifest:
    """The manifest of one output directory (a context manager: commits and closes on exit).

    Rows are committed every 256 puts and by :meth:`commit`; a row not committed (the process
    was killed) is an input the next run does again.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / MANIFEST_NAME
        try:
            self.connection = sqlite3.connect(self.path)
            self.connection.execute("PRAGMA synchronous = NORMAL")
            self.connection.execute(_SCHEMA)
            self.connection.execute("CREATE TEMP TABLE run (file TEXT PRIMARY KEY)")
            self.connection.commit()
        except sqlite3.Error as exc:
            raise ManifestError(f"{self.path}: cannot use the manifest ({exc})") from None
        self._pending = 0

    def __enter__(self) -> Manifest:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:  # the rows so far, also when leaving on an exception (an interrupt)
            self.commit()
        except ManifestError:
            pass  # the coordinator commits before leaving and reports a failure itself
        finally:
            self.connection.close()

    def begin_run(self, files: Iterable[str]) -> None:
        """Record the inputs of this run (the summary lists exactly these)."""
        self.connection.executemany(
            "INSERT OR IGNORE INTO run (file) VALUES (?)", ((f,) for f in files)
        )

    def previous(self, file: str) -> Previous | None:
        """The input's row, if an earlier run recorded one."""
        row = self.connection.execute(
            "SELECT fingerprint, record FROM files WHERE file = ?", (file,)
        ).fetchone()
        if row is None:
            return None
        return Previous(row[0], FileResult.from_dict(json.loads(row[1])))

    def current(self, file: str, fingerprint: str, directory: Path) -> FileResult | None:
        """The input's record if its outputs are current: same versions, all present, readable.

        (The digest is compared by the worker that reads the file.)
        """
        previous = self.previous(file)
        if previous is None or previous.fingerprint != fingerprint:
            return None
        record = previous.record
        if record.sha256 is None or record.status not in (Status.OK, Status.INVALID):
            return None
        if not all((directory / name).is_file() for name in record.outputs):
            return None
        return record

    def put(self, record: FileResult, fingerprint: str) -> None:
        """Record an input's result (after its outputs were written)."""
        try:
            self.connection.execute(
                "INSERT OR REPLACE INTO files (file, sha256, fingerprint, record) "
                "VALUES (?, ?, ?, ?)",
                (record.file, record.sha256, fingerprint, json.dumps(record.to_dict())),
            )
        except sqlite3.Error as exc:
            raise ManifestError(f"{self.path}: cannot write the manifest ({exc})") from None
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        """Make the recorded rows durable (:class:`ManifestError` if they cannot be written)."""
        try:
            self.connection.commit()
        except sqlite3.Error as exc:
            raise ManifestError(f"{self.path}: cannot write the manifest ({exc})") from None
        self._pending = 0

    def results(self) -> Iterator[FileResult]:
        """The records of this run's inputs, sorted by file (byte order of the UTF-8 label).

        Rows not yet committed are read too (the same connection sees them).
        """
        cursor = self.connection.execute(
            "SELECT files.record FROM files JOIN run ON run.file = files.file ORDER BY files.file"
        )
        for (record,) in cursor:
            yield FileResult.from_dict(json.loads(record))
