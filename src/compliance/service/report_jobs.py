"""Reports on request: PDFs rendered in worker processes, cached on disk, tracked as jobs.

:class:`ReportJobs` is owned by its caller (the service's app factory creates one per app and
closes it on shutdown; a test or a script can create its own)::

    with ReportJobs(data_dir / "reports") as jobs:
        job = jobs.request(ReportRequest("cfp", "en", document, "s.json", date(2027, 3, 1)))
        if await jobs.wait(job, timeout=1.0):
            pdf = jobs.pdf_path(job.id).read_bytes()

* **Never on the event loop.** Rendering runs in a :class:`~concurrent.futures.ProcessPoolExecutor`
  (``spawn`` context: no forked copy of the server's threads or database connections). Each
  worker process keeps one WeasyPrint renderer (fonts registered once,
  :func:`compliance.reports.pdf.default_renderer`), which is not thread-safe and so is never
  shared. :meth:`ReportJobs.wait` awaits the job's future without blocking the loop.
* **Cache.** A job's id is its request's :attr:`~ReportRequest.key`, a digest of the input
  document's digest, kind, language, access level, ruleset, date and engine version. The worker
  writes ``<key>.pdf`` atomically into the cache directory; a request whose PDF is there is done at
  once (also after a restart), and equal requests in flight share one job.
* **Metadata.** Beside each PDF, ``<key>.json`` records what it is (kind, language, access level,
  input digest, file name) and whose (``owner``: the service's id of the stored document), so the
  routes can check a caller may read it without keeping anything in memory.
* **Failures.** An invalid document gives a failed job with the located issues (recorded in
  ``<key>.failed.json``); a worker that dies (killed, out of memory) fails the job with a message
  and the pool is replaced. Asking again for a failed report renders it again.
* **Several server processes** (``compliance serve --workers N``) share the directory: a status
  asked of another process than the one rendering is read from the files (pending until the PDF
  or the failure record appears).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any

from compliance.service.report_render import (
    FAILED_SUFFIX,
    PDF_SUFFIX,
    RenderOutcome,
    ReportRequest,
    atomic_write,
    render_to_cache,
    warm_up,
)

__all__ = ["JobState", "ReportJob", "ReportJobs", "ReportMeta"]

META_SUFFIX = ".json"


class JobState(StrEnum):
    """Where a report job is."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """What a cached report is and whose it is (stored beside the PDF)."""

    id: str
    kind: str
    language: str
    access: str
    input_digest: str
    filename: str
    owner: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form (also the sidecar file's content)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "language": self.language,
            "access": self.access,
            "inputDigest": self.input_digest,
            "filename": self.filename,
            "owner": self.owner,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportMeta:
        """The metadata read back from its sidecar file."""
        return cls(
            id=str(data["id"]),
            kind=str(data["kind"]),
            language=str(data["language"]),
            access=str(data["access"]),
            input_digest=str(data["inputDigest"]),
            filename=str(data["filename"]),
            owner=str(data["owner"]),
        )


@dataclass(slots=True)
class ReportJob:
    """One report: pending in a worker, done (a PDF in the cache) or failed (with the reason)."""

    meta: ReportMeta
    state: JobState = JobState.PENDING
    size: int = 0
    problem: str | None = None
    issues: tuple[dict[str, Any], ...] = ()
    future: Future[RenderOutcome] | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        """The job id (the cache key)."""
        return self.meta.id

    def status(self) -> dict[str, Any]:
        """JSON-ready status (the status resource's body, without links)."""
        body: dict[str, Any] = {"status": self.state.value, **self.meta.to_dict()}
        if self.state is JobState.DONE:
            body["size"] = self.size
        if self.problem is not None:
            body["problem"] = self.problem
            body["issues"] = list(self.issues)
        return body


def _spawn_pool(workers: int) -> Executor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=warm_up,
    )


class ReportJobs:
    """Renders reports in worker processes and caches them in ``directory``.

    Args:
        directory: The cache directory (created when missing).
        workers: Worker processes (each holds its own renderer, about 150 MB).
        executor_factory: Makes the executor (tests pass one; default: a spawn process pool).
    """

    def __init__(
        self,
        directory: Path,
        *,
        workers: int = 1,
        executor_factory: Callable[[int], Executor] = _spawn_pool,
    ) -> None:
        self.directory = directory
        self.workers = workers
        self._factory = executor_factory
        self._executor: Executor | None = None
        self._lock = threading.Lock()
        self._jobs: dict[str, ReportJob] = {}
        directory.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> ReportJobs:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the worker processes now (else on the first request)."""
        with self._lock:
            self._pool()

    def close(self) -> None:
        """Stop the workers; pending jobs are cancelled (a later request renders again)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _pool(self) -> Executor:
        if self._executor is None:
            self._executor = self._factory(self.workers)
        return self._executor

    def pdf_path(self, job_id: str) -> Path:
        """Where the PDF of ``job_id`` is (or will be)."""
        return self.directory / (job_id + PDF_SUFFIX)

    def _meta_path(self, job_id: str) -> Path:
        return self.directory / (job_id + META_SUFFIX)

    @staticmethod
    def _valid_id(job_id: str) -> bool:
        return len(job_id) == 64 and all(c in "0123456789abcdef" for c in job_id)

    def request(self, request: ReportRequest, *, owner: str) -> ReportJob:
        """The job of ``request``: done at once when cached, else shared or newly submitted."""
        key = request.key
        meta = ReportMeta(
            key, request.kind, request.language, request.access,
            request.input_digest, request.filename, owner,
        )  # fmt: skip
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.state is not JobState.FAILED:
                return job
            cached = self._cached(meta)
            if cached is not None:
                self._jobs[key] = cached
                return cached
            atomic_write(self._meta_path(key), json.dumps(meta.to_dict()).encode())
            (self.directory / (key + FAILED_SUFFIX)).unlink(missing_ok=True)  # asked again
            job = ReportJob(meta)
            self._jobs[key] = job
            try:
                job.future = self._pool().submit(render_to_cache, request, str(self.directory))
            except BrokenProcessPool:
                self._executor = None
                job.future = self._pool().submit(render_to_cache, request, str(self.directory))
        job.future.add_done_callback(lambda future: self._finish(job, future))
        return job

    def _cached(self, meta: ReportMeta) -> ReportJob | None:
        path = self.pdf_path(meta.id)
        if not path.is_file():
            return None
        if not self._meta_path(meta.id).is_file():
            atomic_write(self._meta_path(meta.id), json.dumps(meta.to_dict()).encode())
        return ReportJob(meta, JobState.DONE, size=path.stat().st_size)

    def _finish(self, job: ReportJob, future: Future[RenderOutcome]) -> None:
        try:
            outcome = future.result()
        except BrokenProcessPool:
            with self._lock:
                self._executor = None  # replaced on the next request
            job.problem = "the report worker stopped unexpectedly; request the report again"
            job.state = JobState.FAILED
            return
        except Exception as exc:  # cancelled on shutdown, or an unexpected rendering fault
            job.problem = f"the report could not be rendered ({type(exc).__name__})"
            job.state = JobState.FAILED
            return
        if outcome.ok:
            job.size = outcome.size
            job.state = JobState.DONE
        else:
            job.problem = outcome.problem
            job.issues = outcome.issues
            job.state = JobState.FAILED

    def get(self, job_id: str) -> ReportJob | None:
        """The job ``job_id``, or ``None`` when it was never asked for.

        A job this process does not hold (asked of another server process, or before a restart)
        is read from the directory: done when its PDF is there, failed when its failure record
        is, else pending (the process rendering it finishes it; asking again renders it here).
        """
        if not self._valid_id(job_id):
            return None
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                return job
            try:
                meta = ReportMeta.from_dict(json.loads(self._meta_path(job_id).read_bytes()))
            except (OSError, ValueError, KeyError):
                return None
            cached = self._cached(meta)
            if cached is not None:
                self._jobs[job_id] = cached
                return cached
        try:
            failure = json.loads((self.directory / (job_id + FAILED_SUFFIX)).read_bytes())
        except (OSError, ValueError):
            return ReportJob(meta)
        return ReportJob(
            meta,
            JobState.FAILED,
            problem=str(failure.get("problem")),
            issues=tuple(failure.get("issues") or ()),
        )

    async def wait(self, job: ReportJob, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds (without blocking the loop); True when it finished."""
        if job.future is None or job.state is not JobState.PENDING:
            return True
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job.future)), timeout)
        except TimeoutError:
            return False
        except Exception:
            pass
        # _finish runs in the executor's thread; the future is done, so it has run or is running.
        await asyncio.sleep(0)
        return job.state is not JobState.PENDING
