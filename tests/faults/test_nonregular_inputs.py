"""Every read is bounded by the size limit, whatever the file is: ``/dev/zero``, pipes, FIFOs.

Reproducers of issue 14 item 11: passport build/verify/``--dd``/``--previous``/``--sign``/
``--key``, ``dd import`` and ``cfp --factors`` checked the ``stat`` size (0 for a device or a
pipe) and then read without bound: ``/dev/zero`` reached 11-23 GB in 25 s.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from compliance.cli.fileio import InputTooLarge, read_limited
from compliance.cli.main import app
from tests.conftest import ROOT
from tests.faults.helpers import EV, FIXED, run_cli

runner = CliRunner()
TOO_LARGE = "the file is too large (limit"
KEY_TOO_LARGE = "larger than 65536 bytes: not a key file"

ZERO_CASES: dict[str, tuple[list[str], int, str]] = {
    "passport build": (["passport", "/dev/zero", *FIXED], 2, TOO_LARGE),
    "passport verify": (["passport", "verify", "/dev/zero"], 2, TOO_LARGE),
    "passport completeness": (["passport", "completeness", "/dev/zero"], 2, TOO_LARGE),
    "passport --dd": (["passport", str(EV), *FIXED, "--dd", "/dev/zero"], 2, TOO_LARGE),
    "passport --previous": (["passport", str(EV), *FIXED, "--previous", "/dev/zero"], 2, TOO_LARGE),
    "passport --sign": (["passport", str(EV), *FIXED, "--sign", "/dev/zero"], 2, KEY_TOO_LARGE),
    "verify --key": (["passport", "verify", str(EV), "--key", "/dev/zero"], 2, KEY_TOO_LARGE),
    "dd import": (["dd", "import", "/dev/zero"], 2, TOO_LARGE),
    "dd score": (["dd", "/dev/zero"], 1, TOO_LARGE),
    "cfp --factors": (["cfp", "--factors", "/dev/zero", str(EV)], 2, TOO_LARGE),
    "cfp": (["cfp", "/dev/zero"], 1, TOO_LARGE),
    "validate": (["validate", "/dev/zero"], 1, TOO_LARGE),
    "report": (["report", "/dev/zero", "--kind", "dd", "-f", "html", "-o", "-"], 1, TOO_LARGE),
    "report --key": (
        ["report", str(EV), "--kind", "passport", "--key", "/dev/zero", "-o", "-"],
        2,
        KEY_TOO_LARGE,
    ),
    "rules test": (["rules", "test", "/dev/zero"], 2, TOO_LARGE),
}

_RUN_CASES = """
import json, sys
from typer.testing import CliRunner
from compliance.cli.main import app

runner = CliRunner()
results = {}
for name, args in json.loads(sys.argv[1]).items():
    result = runner.invoke(app, args)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    results[name] = [result.exit_code, result.stdout + result.stderr, crashed]
print(json.dumps(results))
"""


def _one_gibibyte() -> None:
    """A regression reads /dev/zero until this address-space limit stops it (MemoryError)."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.fixture(scope="module")
def zero_results() -> dict[str, Any]:
    """Every command on /dev/zero, in one subprocess limited to 1 GiB of address space."""
    cases = {name: args for name, (args, _, _) in ZERO_CASES.items()}
    result = subprocess.run(
        [sys.executable, "-c", _RUN_CASES, json.dumps(cases)],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
        preexec_fn=_one_gibibyte,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    results: dict[str, Any] = json.loads(result.stdout)
    return results


@pytest.mark.parametrize("name", list(ZERO_CASES))
def test_dev_zero_is_refused_at_the_limit(zero_results: dict[str, Any], name: str) -> None:
    _, code, message = ZERO_CASES[name]
    exit_code, output, crashed = zero_results[name]
    assert not crashed, output
    assert exit_code == code, output
    assert message in output
    assert "/dev/zero" in output or "<stdin>" in output


def test_standard_input_from_dev_zero_is_refused() -> None:
    with open("/dev/zero", "rb") as zero:
        result = run_cli(["validate", "--max-file-size", "1MiB", "-"], stdin=zero)
    assert result.returncode == 1
    assert b"<stdin>: error [io.too-large] the file is too large (limit 1 MiB)" in result.stdout


# --- pipes and FIFOs --------------------------------------------------------------------------


def _feed(path: str, total: int, written: list[int]) -> None:
    """Write ``total`` zero bytes into a FIFO once a reader opens it (never blocks forever)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as exc:  # ENXIO: no reader yet
            if exc.errno != errno.ENXIO or time.monotonic() > deadline:
                return
            time.sleep(0.01)
    os.set_blocking(descriptor, True)
    chunk = bytes(64 * 1024)
    try:
        while written[0] < total:
            written[0] += os.write(descriptor, chunk)
    except BrokenPipeError:
        pass  # the reader stopped at its limit
    finally:
        os.close(descriptor)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    """A FIFO fed 16 MiB of zeros by a thread; yields its path and the bytes written so far."""
    path = str(tmp_path / "fifo")
    os.mkfifo(path)
    written = [0]
    feeder = threading.Thread(target=_feed, args=(path, 16 << 20, written), daemon=True)
    feeder.start()
    yield path, written
    with contextlib.suppress(OSError):  # unblock a feeder still waiting for a reader
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
    feeder.join(timeout=10)


PIPE_CASES = {
    "passport build": (["passport", "{fifo}", *FIXED], 2, TOO_LARGE),
    "passport verify": (["passport", "verify", "{fifo}"], 2, TOO_LARGE),
    "passport --sign": (["passport", str(EV), *FIXED, "--sign", "{fifo}"], 2, KEY_TOO_LARGE),
    "dd import": (["dd", "import", "{fifo}"], 2, TOO_LARGE),
    "cfp --factors": (["cfp", "--factors", "{fifo}", str(EV)], 2, TOO_LARGE),
    "validate": (["validate", "{fifo}"], 1, TOO_LARGE),
}


@pytest.mark.parametrize("name", list(PIPE_CASES))
def test_a_fifo_is_read_up_to_the_limit_only(fifo: tuple[str, list[int]], name: str) -> None:
    path, written = fifo
    template, code, message = PIPE_CASES[name]
    args = [path if a == "{fifo}" else a for a in template]
    result = runner.invoke(app, [*args, "--max-file-size", "1MiB"])
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code == code, output
    assert message in output
    assert written[0] <= (1 << 20) + 3 * (64 << 10)  # the limit, plus what the pipe buffers


def test_read_limited_on_an_os_pipe_stops_at_limit_plus_one() -> None:
    reader, writer = os.pipe()
    sent = [0]

    def feed() -> None:
        try:
            while sent[0] < 8 << 20:
                sent[0] += os.write(writer, bytes(4096))
        except BrokenPipeError:
            pass
        finally:
            os.close(writer)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    with os.fdopen(reader, "rb") as stream, pytest.raises(InputTooLarge) as caught:
        read_limited(stream, 100_000)
    feeder.join(timeout=10)
    assert caught.value.size is None
    assert caught.value.limit == 100_000
    assert sent[0] < 8 << 20  # reading stopped; the writer saw the pipe close


def test_read_limited_refuses_a_large_regular_file_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(5000)
    with pytest.raises(InputTooLarge) as caught:
        read_limited(big, 4999)
    assert (caught.value.size, caught.value.limit) == (5000, 4999)
    assert read_limited(big, 5000) == bytes(5000)


def test_a_questionnaire_fifo_for_dd_score(fifo: tuple[str, list[int]]) -> None:
    path, written = fifo
    result = runner.invoke(app, ["dd", path, "--max-file-size", "64KiB"])
    assert result.exit_code == 1  # a finding on the file, as for validate and cfp
    assert "the file is too large (limit 64 KiB)" in result.stdout
    assert written[0] <= (64 << 10) + 3 * (64 << 10)
