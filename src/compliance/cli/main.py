"""The ``compliance`` command line (Typer): parse flags, build options, run, exit."""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Mapping
from types import FrameType
from typing import Annotated, ClassVar

import typer

from compliance._version import __version__
from compliance.cli.lazy import LazyCommand, LazyGroup
from compliance.cli.streams import OutputError, safe_text

__all__ = ["app", "main"]


class _Commands(LazyGroup):
    """The sub-commands, each imported only when it runs (``--help`` lists their help lines)."""

    lazy: ClassVar[Mapping[str, LazyCommand]] = {
        "validate": LazyCommand(
            "compliance.cli.validate_cmd:validate_app",
            "Validate submissions, DD questionnaires and passports (JSON, YAML or the .xlsx "
            "templates).",
        ),
        "cfp": LazyCommand(
            "compliance.cli.cfp_cmd:cfp_app",
            "Compute the carbon footprint (Art. 7, Annex II) of supplier submissions.",
        ),
        "recycled": LazyCommand(
            "compliance.cli.recycled_cmd:recycled_app",
            "Compute the recycled content (Art. 8) of supplier submissions: Co, Pb, Li, Ni shares.",
        ),
        "report": LazyCommand(
            "compliance.cli.report_cmd:report_app",
            "Render a report (PDF/A-3b or HTML, English or Japanese): CFP, DD or passport sheet.",
        ),
        "schema": LazyCommand(
            "compliance.cli.schema_cmd:schema_app",
            "Print a published JSON Schema (draft 2020-12) bundled with this version.",
        ),
        "passport": LazyCommand(
            "compliance.cli.passport_cmd:passport_app",
            "Battery passports (Art. 77-78, Annex XIII): build, export, verify. "
            "'compliance passport FILE' builds one.",
        ),
        "dd": LazyCommand(
            "compliance.cli.dd_cmd:dd_app",
            "Due diligence: score questionnaires (compliance dd FILE...) and import RMI workbooks.",
        ),
        "factors": LazyCommand(
            "compliance.cli.factors_cmd:factors_app",
            "Emission-factor datasets: import exports of an LCA database you license.",
        ),
        "pcf": LazyCommand(
            "compliance.cli.pcf_cmd:pcf_app",
            "Product carbon footprints: import supplier PCFs (PACT, Ouranos) into submissions, "
            "export a battery's PCF (PACT, Catena-X).",
        ),
        "serve": LazyCommand(
            "compliance.cli.serve_cmd:serve_app",
            "Run the HTTP service (API, persistence, auth, audit trail); --demo seeds demo data.",
        ),
        "db": LazyCommand(
            "compliance.cli.db_cmd:db_app",
            "Service database: apply migrations (db upgrade), create the first admin.",
        ),
        "audit": LazyCommand(
            "compliance.cli.audit_cmd:audit_app",
            "The service's audit trail: verify its hash chain (audit verify).",
        ),
        "new": LazyCommand(
            "compliance.cli.new_cmd:new_app",
            "Write a starting submission or DD questionnaire with the fields to fill.",
        ),
        "questions": LazyCommand(
            "compliance.cli.questions_cmd:questions_app",
            "Print the DD catalogue's questions as a questionnaire (text, HTML or PDF).",
        ),
        "batch": LazyCommand(
            "compliance.cli.batch_cmd:batch_app",
            "Validate, compute, score and build passports for many files (resumable, parallel).",
        ),
        "rules": LazyCommand(
            "compliance.cli.rules_cmd:rules_app",
            "Rule catalogue tools: run rule cases, lint rule files.",
        ),
    }


app = typer.Typer(
    name="compliance",
    cls=_Commands,
    help="Battery sustainability compliance engine (EU 2023/1542: carbon footprint, due "
    "diligence, battery passport).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Battery sustainability compliance engine."""
    sys.stdout = safe_text(sys.stdout)  # every command writes through the safe writer
    sys.stderr = safe_text(sys.stderr)


def _output_failed(exc: OSError) -> int:
    """Exit code after standard output failed (a closed pipe: 1, quietly; else 2, said)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # what is still buffered goes nowhere, quietly
    os.close(devnull)
    if exc.errno == errno.EPIPE:
        return 1
    try:
        sys.stderr.write(f"compliance: cannot write to standard output: {exc.strerror}\n")
        sys.stderr.flush()
    except OSError:
        pass
    return 2


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM unwinds like an exception, so a write in progress removes its temporary file."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point.

    Standard output that cannot be written (``> /dev/full``) is a message and exit code 2, not a
    traceback. SIGTERM exits 143 after cleaning up (no temporary file is left behind).
    """
    signal.signal(signal.SIGTERM, _terminate)
    code: int | str | None = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    except OutputError as exc:
        code = _output_failed(exc)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.stderr.write("interrupted\n")
        code = 130
    try:
        sys.stdout.flush()
    except OSError as exc:
        code = _output_failed(exc)
    sys.exit(code)
