"""ReportJobs: worker-process rendering, the on-disk cache (atomic, keyed by what the PDF depends
on, found again by a new instance), shared in-flight jobs, failures with located issues."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor, Future
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from compliance.service.report_jobs import JobState, ReportJobs
from compliance.service.report_render import RenderOutcome, ReportRequest

ROOT = Path(__file__).resolve().parents[2]
EV = (ROOT / "examples" / "submissions" / "valid" / "nmc811-m1-ev.json").read_bytes()
REQUEST = ReportRequest("cfp", "en", EV, "ev.json", date(2027, 3, 1))
pytestmark = pytest.mark.slow


def test_the_cache_key_changes_with_everything_the_pdf_depends_on() -> None:
    keys = {
        REQUEST.key,
        replace(REQUEST, language="ja").key,
        replace(REQUEST, as_of=date(2027, 3, 2)).key,
        replace(REQUEST, ruleset="jrc-cfb-ev-2023").key,
        replace(REQUEST, document=EV + b" ").key,
        replace(REQUEST, kind="passport").key,
        replace(REQUEST, kind="passport", access="authority").key,
    }
    assert len(keys) == 7
    assert replace(REQUEST, name="renamed.json").key == REQUEST.key  # the bytes, not the label
    assert REQUEST.filename == f"cfp-en-{REQUEST.input_digest[:8]}.pdf"


def test_rendered_in_a_worker_process_cached_and_found_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        with ReportJobs(tmp_path) as jobs:
            first = jobs.request(REQUEST, owner="submission:1")
            shared = jobs.request(REQUEST, owner="submission:1")
            assert shared is first  # one job for equal requests in flight
            assert await jobs.wait(first, 180)
            assert first.state is JobState.DONE, first.problem
            pdf = jobs.pdf_path(first.id).read_bytes()
            assert pdf.startswith(b"%PDF-")
            assert first.size == len(pdf)
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
        with ReportJobs(tmp_path) as again:  # a restarted service: no worker is needed
            found = again.get(first.id)
            assert found is not None
            assert found.state is JobState.DONE
            assert found.meta.owner == "submission:1"
            cached = again.request(REQUEST, owner="submission:1")
            assert cached.state is JobState.DONE
            assert again._executor is None  # nothing was rendered

    asyncio.run(scenario())


def test_an_invalid_document_fails_with_its_located_issues(tmp_path: Path) -> None:
    async def scenario() -> None:
        with ReportJobs(tmp_path) as jobs:
            job = jobs.request(replace(REQUEST, document=b"{}"), owner="submission:2")
            assert await jobs.wait(job, 180)
        assert job.state is JobState.FAILED
        assert job.problem == "the submission is invalid"
        assert ("schema.required", "/manufacturer") in {
            (i["code"], i["pointer"]) for i in job.issues
        }
        assert not jobs.pdf_path(job.id).exists()

    asyncio.run(scenario())


class _Stalled(Executor):
    """An executor whose jobs never finish (to see the wait time out)."""

    def submit(self, fn, /, *args, **kwargs):
        return Future()


def test_wait_returns_false_while_rendering_and_never_blocks_the_loop(tmp_path: Path) -> None:
    async def scenario() -> None:
        jobs = ReportJobs(tmp_path, executor_factory=lambda _n: _Stalled())
        job = jobs.request(REQUEST, owner="submission:3")
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        assert not await jobs.wait(job, 0.3)
        task.cancel()
        assert job.state is JobState.PENDING
        assert ticks >= 10  # the loop kept running while waiting

    asyncio.run(scenario())


def test_a_dead_worker_fails_the_job_and_the_pool_is_replaced(tmp_path: Path) -> None:
    from concurrent.futures.process import BrokenProcessPool

    made: list[Executor] = []

    class _Broken(Executor):
        def submit(self, fn, /, *args, **kwargs):
            future: Future[RenderOutcome] = Future()
            future.set_exception(BrokenProcessPool("killed"))
            return future

    def factory(_n: int) -> Executor:
        made.append(_Broken())
        return made[-1]

    jobs = ReportJobs(tmp_path, executor_factory=factory)
    job = jobs.request(REQUEST, owner="submission:4")
    assert job.state is JobState.FAILED
    assert "worker stopped" in (job.problem or "")
    retried = jobs.request(REQUEST, owner="submission:4")
    assert retried is not job  # a failed job is rendered again when asked again
    assert len(made) == 2


def test_another_server_process_reads_the_jobs_state_from_the_directory(tmp_path: Path) -> None:
    rendering = ReportJobs(tmp_path, executor_factory=lambda _n: _Stalled())
    pending = rendering.request(REQUEST, owner="submission:5")
    other = ReportJobs(tmp_path)  # e.g. another uvicorn worker, polled for the status
    seen = other.get(pending.id)
    assert seen is not None
    assert seen.state is JobState.PENDING
    assert seen.meta.owner == "submission:5"

    async def fail() -> str:
        with ReportJobs(tmp_path) as jobs:
            job = jobs.request(replace(REQUEST, document=b"[]"), owner="submission:6")
            assert await jobs.wait(job, 180)
            assert job.state is JobState.FAILED
            return job.id

    failed_id = asyncio.run(fail())
    failed = ReportJobs(tmp_path).get(failed_id)
    assert failed is not None
    assert failed.state is JobState.FAILED
    assert failed.problem == "the submission is invalid"
    assert failed.issues
