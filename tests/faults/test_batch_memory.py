"""``--format json`` streams: memory does not grow with the number of files (issue 14 item 12).

Reproducer: ``--format json`` over 10,000 files peaked at 2.3 GB (cfp) and 3.6 GB (dd) because
every entry was kept until one ``json.dumps`` at the end. A DD entry (report and result with its
trace) is about half a megabyte of Python objects, so keeping 50 more of them shows clearly.
"""

from __future__ import annotations

import gc
import io
import json
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from compliance.cli.dd_cmd import DdOptions, run_score
from compliance.cli.reporters import OutputFormat
from tests.dd.conftest import QUESTIONNAIRES


class _Sink(io.StringIO):
    """Standard output that counts characters and keeps none."""

    def __init__(self) -> None:
        super().__init__()
        self.written = 0

    def write(self, text: str) -> int:
        self.written += len(text)
        return len(text)


def _peak(paths: list[str]) -> tuple[int, int]:
    """Traced peak (bytes) of one ``dd --format json`` run, and the characters written."""
    options = DdOptions(as_of=date(2026, 1, 15), output_format=OutputFormat.JSON)
    sink = _Sink()
    gc.collect()
    tracemalloc.start()
    try:
        code = run_score(paths, options, stdin=io.BytesIO(), stdout=sink, stderr=io.StringIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0
    return peak, sink.written


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    directory = tmp_path_factory.mktemp("batch")
    document = json.loads((QUESTIONNAIRES / "valid" / "strong-supplier.json").read_text("utf-8"))
    paths = []
    for index in range(60):
        document["questionnaireId"] = f"Q-{index:03d}"
        path = Path(directory) / f"q{index:03d}.json"
        path.write_text(json.dumps(document), "utf-8")
        paths.append(str(path))
    return paths


def test_dd_json_memory_is_flat_in_the_number_of_files(copies: list[str]) -> None:
    _peak(copies[:2])  # warm the catalogue and table caches
    few, few_written = _peak(copies[:10])
    many, many_written = _peak(copies)
    assert many_written > 5 * few_written  # six times the output ...
    assert many - few < 4 * 2**20  # ... in the same memory (kept entries: about 25 MB more)


def _batch_peak(paths: list[str], out: Path) -> int:
    """Traced peak (bytes) of the ``compliance batch`` coordinator over ``paths``."""
    from compliance.cli.batch.engines import PoolEngine
    from compliance.cli.batch.output import report_settings
    from compliance.cli.batch.runner import run_batch
    from compliance.cli.batch.settings import BatchSettings, loaded
    from compliance.cli.discovery import discover
    from compliance.cli.reporters import OutputFormat, make_reporter

    settings = BatchSettings(as_of=date(2027, 3, 1))
    choices = loaded(settings)
    out.mkdir()
    targets, errors = discover(paths)
    assert not errors
    settings_out = report_settings(quiet=False, head={}, step_summary=None)
    reporter = make_reporter(OutputFormat.JSON, _Sink(), settings_out)
    engine = PoolEngine(1)
    try:
        engine.run(iter(()), settings)  # nothing: the pool starts on the first task below
        gc.collect()
        tracemalloc.start()
        try:
            code = run_batch(targets, settings, choices, out, engine, reporter, stderr=_Sink())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    finally:
        engine.close()
    assert code == 0
    return peak


def test_batch_coordinator_memory_is_flat_in_the_number_of_files(
    copies: list[str], tmp_path: Path
) -> None:
    """The coordinator writes each result as it arrives and reads the summary back row by row
    from the manifest: six times the files, about the same memory (issue 17 item 3)."""
    _batch_peak(copies[:2], tmp_path / "warm")
    few = _batch_peak(copies[:10], tmp_path / "few")
    many = _batch_peak(copies, tmp_path / "many")
    assert many - few < 1 * 2**20, (few, many)
