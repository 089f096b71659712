"""Group commit for SQLite: concurrent writes share one transaction, hence one fsync.

With ``synchronous=FULL`` every SQLite commit waits for an fsync (milliseconds), and SQLite
commits one writer at a time, so per-request transactions would cap the write rate at one
fsync per write. Here one writer thread takes every write waiting in the queue (up to
``MAX_BATCH``), runs each in its own SAVEPOINT (a write that fails, e.g. with a 4xx problem, is
rolled back alone and its exception goes back to its request), commits once, and only then
answers the requests: an acknowledged write is on disk, as before. Each write still appends its
own audit entry in the transaction that stores it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session
from starlette.responses import Response

from compliance.service.audit import Chain

if TYPE_CHECKING:
    from compliance.service.database import Database

__all__ = ["MAX_BATCH", "GroupCommitter"]

MAX_BATCH = 64
Write = Callable[[Session, Chain], Response]


@dataclass
class _Item:
    write: Write
    future: Future[Response] = field(default_factory=Future)


class GroupCommitter:
    """The writer thread of one database (started on first use)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._queue: queue.Queue[_Item | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, write: Write) -> Response:
        """Run ``write`` in the next group transaction; its response once that is committed."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="compliance-group-commit", daemon=True
                )
                self._thread.start()
        item = _Item(write)
        self._queue.put(item)
        return item.future.result()

    def stop(self) -> None:
        """End the writer thread (after the writes already queued)."""
        with self._lock:
            if self._thread is not None:
                self._queue.put(None)
                self._thread.join(timeout=30)
                self._thread = None

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(more)
            self._commit(batch)

    def _commit(self, batch: list[_Item]) -> None:
        outcomes: list[tuple[_Item, Response | None, BaseException | None]] = []
        try:
            with self._database.write() as session:
                chain = Chain(session)
                for item in batch:
                    try:
                        with session.begin_nested():
                            response = item.write(session, chain)
                        outcomes.append((item, response, None))
                    except Exception as exc:  # this write alone is rolled back
                        outcomes.append((item, None, exc))
        except BaseException as exc:  # the commit failed: nothing of the batch is stored
            for item in batch:
                item.future.set_exception(exc)  # no request waits forever
            if not isinstance(exc, Exception):
                raise
            return
        for item, answer, error in outcomes:
            if error is not None:
                item.future.set_exception(error)
            else:
                assert answer is not None
                item.future.set_result(answer)
