"""Where the files of a batch are processed: a local process pool, or a Dask cluster.

Both run :func:`compliance.cli.batch.work.process_file` on each task with at most ``in_flight``
tasks submitted at once (so memory stays flat however many inputs there are) and yield each
result as it arrives, in completion order; the coordinator sorts nothing until the summary, which
it reads sorted from the manifest. A task whose worker died is yielded with :class:`WorkerLost`;
the pool then stops (a broken pool runs nothing more), the Dask scheduler retries on another
worker first (``distributed.scheduler.allowed-failures``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol

from compliance.cli.batch.records import FileOutcome, Task
from compliance.cli.batch.settings import BatchSettings
from compliance.cli.batch.work import process_file

__all__ = ["CONNECT_TIMEOUT", "DaskEngine", "Engine", "PoolEngine", "WorkerLost"]

CONNECT_TIMEOUT = 10
"""Seconds to wait for a Dask scheduler before the run is a usage error."""


@dataclass(frozen=True, slots=True)
class WorkerLost:
    """The task's worker died before it finished (killed, out of memory)."""

    reason: str


class Engine(Protocol):
    """Runs tasks and yields ``(task, outcome)`` pairs as they finish."""

    workers: int

    def run(
        self, tasks: Iterator[Task], settings: BatchSettings
    ) -> Iterator[tuple[Task, FileOutcome | WorkerLost]]:
        """Process ``tasks``; stops early when the consumer stops iterating."""

    def close(self) -> None:
        """Release the workers."""


class PoolEngine:
    """A local process pool of ``workers`` processes."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor = ProcessPoolExecutor(max_workers=workers)
        # Start the workers now, while this process has no other thread (the progress bar's
        # refresh thread comes later): forked workers then inherit the choices loaded so far.
        self.executor.submit(_ready).result()

    def run(
        self, tasks: Iterator[Task], settings: BatchSettings
    ) -> Iterator[tuple[Task, FileOutcome | WorkerLost]]:
        """Process ``tasks``, at most four per worker in flight; a broken pool stops it."""
        limit = 4 * self.workers
        pending: dict[Future[FileOutcome], Task] = {}
        broken = False
        try:
            while True:
                while not broken and len(pending) < limit:
                    task = next(tasks, None)
                    if task is None:
                        break
                    try:
                        pending[self.executor.submit(process_file, task, settings)] = task
                    except BrokenProcessPool:
                        broken = True
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: pending[f].label):
                    task = pending.pop(future)
                    error = future.exception()
                    if error is None:
                        yield task, future.result()
                    else:
                        broken = broken or isinstance(error, BrokenProcessPool)
                        yield task, WorkerLost(f"{type(error).__name__}: {error}")
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the worker processes (cancelling what was not started)."""
        self.executor.shutdown(wait=True, cancel_futures=True)


def _ready() -> None:
    """A task that does nothing (starts the pool's processes)."""


class DaskEngine:
    """A Dask distributed cluster: a scheduler's address, or a local cluster of ``workers``."""

    def __init__(self, *, scheduler: str | None = None, local_workers: int = 0) -> None:
        dask = _distributed()
        self.cluster: Any = None
        if scheduler is None:
            self.cluster = dask.LocalCluster(
                n_workers=local_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self.client: Any = dask.Client(self.cluster)
        else:
            self.client = dask.Client(scheduler, timeout=CONNECT_TIMEOUT)
        self.workers = max(1, sum(self.client.nthreads().values()))

    def run(
        self, tasks: Iterator[Task], settings: BatchSettings
    ) -> Iterator[tuple[Task, FileOutcome | WorkerLost]]:
        """Process ``tasks`` on the cluster, at most four per worker thread in flight."""
        limit = 4 * self.workers
        owner: dict[Any, Task] = {}
        scattered = self.client.scatter(settings, broadcast=True)

        def submit() -> Any:
            task = next(tasks, None)
            if task is None:
                return None
            future = self.client.submit(process_file, task, scattered, pure=False)
            owner[future.key] = task
            return future

        first = [f for f in (submit() for _ in range(limit)) if f is not None]
        flow = _distributed().as_completed(first)
        try:
            for future in flow:
                task = owner.pop(future.key)
                if future.status == "finished":
                    yield task, future.result()
                else:
                    error = future.exception()
                    yield task, WorkerLost(f"{type(error).__name__}: {error}")
                future.release()
                following = submit()
                if following is not None:
                    flow.add(following)
        finally:
            with contextlib.suppress(Exception):
                self.client.cancel(list(flow.futures))

    def close(self) -> None:
        """Disconnect (and stop the local cluster, if this run started one)."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _distributed() -> Any:
    """The ``distributed`` package (the ``dask`` extra), imported when a Dask run starts."""
    import distributed

    return distributed
