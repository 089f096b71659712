"""``compliance passport``: build, export, sign and verify battery passports.

* ``compliance passport FILE`` (the ``build`` command is the default): validate the submission,
  compute its carbon footprint, build the passport, seal it (version, RFC 8785 digest, optional
  Ed25519 signature) and write it in canonical JSON; ``--access`` writes the view of one access
  level, ``--export`` a Battery Pass or Catena-X export instead, ``--qr`` the data carrier.
* ``compliance passport verify FILE``: byte-exact canonical form, digest, signature.
* ``compliance passport completeness FILE``: the Annex XIII completeness report.
* ``compliance passport keygen``: an Ed25519 key pair for ``--sign`` and ``verify --key``.

Exit codes: 0 success, 1 invalid input / failed verification / incomplete with
``--require-complete``, 2 usage or I/O error.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.core import TyperGroup

from compliance.cli.choices import (
    CfpChoices,
    RecycledChoices,
    load_cfp_setup,
    load_recycled_setup,
)
from compliance.cli.fileio import InputTooLarge, atomic_write, read_limited, same_file
from compliance.cli.keys import KeyFileError, load_private_key, load_public_key
from compliance.cli.options import MaxFileSize, max_bytes
from compliance.cli.reporters import print_issues
from compliance.errors import Severity
from compliance.passport.access import view
from compliance.passport.completeness import CompletenessReport, completeness
from compliance.passport.exports import ExportResult, export_batterypass, export_catenax
from compliance.passport.integrity import PassportDocument, seal_bytes, verify
from compliance.passport.model import AccessLevel, Passport
from compliance.passport.qr import qr_png, qr_svg
from compliance.passport.succession import successor_problem
from compliance.pipeline import PassportRequest, QuestionnaireRun, run_questionnaire, run_submission
from compliance.validation.parsing import too_large_issue

__all__ = ["passport_app"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
DEFAULT_BASE_URL = "https://passport.example.org"


class ExportFormat(StrEnum):
    """Third-party models a passport can be exported to."""

    BATTERYPASS = "batterypass"
    CATENAX = "catenax"


class _DefaultBuild(TyperGroup):
    """``compliance passport FILE ...`` means ``compliance passport build FILE ...``."""

    # typer.Context is the vendored click Context subclass typer passes in.
    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["build", *args]
        return super().parse_args(ctx, args)


passport_app = typer.Typer(
    add_completion=False,
    name="passport",
    cls=_DefaultBuild,
    help="Battery passports (Art. 77-78, Annex XIII): build, export, verify. "
    "'compliance passport FILE' builds one.",
    no_args_is_help=True,
)


class _Usage(Exception):
    """A usage or I/O problem: message for stderr, exit code 2."""


def _read(path: Path, limit: int) -> bytes:
    try:
        return read_limited(path, limit)
    except InputTooLarge as exc:
        raise _Usage(f"{path}: {too_large_issue(exc.size, limit).message}") from None
    except OSError as exc:
        raise _Usage(f"{path}: cannot read ({exc.strerror})") from None


def _write(path: Path | None, data: bytes, stdout: TextIO) -> None:
    if path is None:
        stdout.write(data.decode("utf-8"))
        stdout.write("\n")
        return
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise _Usage(f"{path}: cannot write ({exc.strerror})") from None


def _date(text: str | None, flag: str) -> date:
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError:
        raise _Usage(f"{flag}: use YYYY-MM-DD") from None


def _timestamp(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _Usage(
            "--generated-at: use an ISO 8601 date-time such as 2027-03-01T12:00:00Z"
        ) from None
    if moment.tzinfo is None:
        raise _Usage("--generated-at: give a UTC offset, e.g. 2027-03-01T12:00:00Z")
    return moment.astimezone(UTC)


def _private_key(path: Path) -> Ed25519PrivateKey:
    try:
        return load_private_key(path)
    except KeyFileError as exc:
        raise _Usage(str(exc)) from None


def _public_key(path: Path) -> bytes:
    try:
        return load_public_key(path)
    except KeyFileError as exc:
        raise _Usage(str(exc)) from None


def _completeness_lines(report: CompletenessReport) -> list[str]:
    if not report.passport_required:
        return [f"no passport required: {report.items[0].detail}"]
    head = f"Annex XIII completeness on {report.as_of} ({report.category}): " + (
        "complete" if report.complete else f"{len(report.missing)} item(s) missing"
    )
    lines = [head]
    for item in report.items:
        if item.status in ("missing", "not-yet-applicable"):
            lines.append(f"  {item.status:<19} {item.annex:<28} {item.title}: {item.detail}")
            lines += [f"  {'':<19} {'':<28} fill {f.pointer} ({f.label})" for f in item.fill]
    return lines


@dataclass(frozen=True, slots=True)
class _Built:
    passport: Passport
    label: str


def _dd(path: Path | None, as_of: date, stderr: TextIO, limit: int) -> QuestionnaireRun | None:
    if path is None:
        return None
    scored = run_questionnaire(_read(path, limit), name=str(path), as_of=as_of)
    print_issues(str(path), [i for i in scored.issues if i.severity is Severity.ERROR], stderr)
    if scored.dd is None:
        stderr.write(f"{path}: the questionnaire has errors; no passport\n")
    return scored


def _build(
    path: Path,
    *,
    ruleset: str,
    gwp: str | None,
    as_of: date,
    generated_at: datetime,
    base_url: str,
    stderr: TextIO,
    limit: int,
    questionnaire: Path | None = None,
) -> _Built | None:
    data = _read(path, limit)
    dd = _dd(questionnaire, as_of, stderr, limit)
    if dd is not None and dd.dd is None:
        return None
    setup = load_cfp_setup(
        CfpChoices(ruleset, gwp=gwp, max_bytes=limit), stderr, "compliance passport"
    )
    if setup is None:
        raise typer.Exit(EXIT_USAGE)
    recycled = load_recycled_setup(
        RecycledChoices(max_bytes=limit, only_with_composition=True),
        as_of,
        stderr,
        "compliance passport",
    )
    if recycled is None:
        raise typer.Exit(EXIT_USAGE)
    request = PassportRequest(generated_at, base_url, dd)
    run = run_submission(
        data,
        name=str(path),
        setup=setup,
        as_of=as_of,
        passport=request,
        recycled=replace(recycled, dd=dd),
    )
    print_issues(str(path), run.issues, stderr)
    if run.passport is None:
        stderr.write(f"{path}: no passport (see the errors above)\n")
        return None
    return _Built(run.passport, str(path))


def _previous(path: Path | None, passport: Passport, limit: int) -> PassportDocument | None:
    if path is None:
        return None
    result = verify(_read(path, limit))
    if not result.ok or result.document is None:
        raise _Usage(f"{path}: the previous version does not verify: {'; '.join(result.reasons)}")
    previous = result.document
    problem = successor_problem(previous.passport, passport)
    if problem is not None:
        raise _Usage(f"{path}: {problem}")
    return previous


def _export_json(result: ExportResult) -> bytes:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False).encode()


def _run(action: Any) -> None:
    try:
        code = action()
    except _Usage as exc:
        sys.stderr.write(f"compliance passport: {exc}\n")
        raise typer.Exit(EXIT_USAGE) from None
    raise typer.Exit(code)


@passport_app.command("build")
def build_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Supplier submission (JSON or YAML).")],
    dd: Annotated[
        Path | None,
        typer.Option(
            "--dd",
            help="DD questionnaire to score; its summary goes to the (non-public) extensions.",
        ),
    ] = None,
    access: Annotated[
        AccessLevel, typer.Option(help="Write the view of this access level (Art. 77(2)).")
    ] = AccessLevel.FULL,
    export: Annotated[
        ExportFormat | None,
        typer.Option(help="Write this export (with its deviations) instead of the passport."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file [default: stdout].")
    ] = None,
    qr: Annotated[
        Path | None, typer.Option(help="Write the QR code (data carrier) to this .svg or .png.")
    ] = None,
    sign: Annotated[
        Path | None, typer.Option(help="Ed25519 private key (PEM) to sign the version with.")
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(help="The previous version of this passport (the new one links to it)."),
    ] = None,
    base_url: Annotated[
        str, typer.Option(help="Base URL of the public passport (QR target).")
    ] = DEFAULT_BASE_URL,
    ruleset: Annotated[str, typer.Option(help="Carbon footprint method.")] = "eu-da-2024-draft",
    gwp: Annotated[str | None, typer.Option(help="GWP100 set instead of the ruleset's.")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Calculation and completeness date [default: today].")
    ] = None,
    generated_at: Annotated[
        str | None, typer.Option(help="Generation time recorded in the provenance [default: now].")
    ] = None,
    require_complete: Annotated[
        bool, typer.Option(help="Exit 1 when a mandatory Annex XIII item is missing.")
    ] = False,
    max_file_size: MaxFileSize = None,
) -> None:
    """Build, seal and write the passport of the battery described by a submission."""
    limit = max_bytes(ctx, max_file_size)

    def action() -> int:
        if qr is not None and qr.suffix.lower() not in (".svg", ".png"):
            raise _Usage("--qr: give a file ending in .svg or .png")
        if qr is not None and output is not None and same_file(qr, output):
            raise _Usage(f"--qr: {qr} is the --output file; give the QR code its own file")
        if not base_url.startswith(("https://", "http://")):
            raise _Usage("--base-url: give an http(s) URL")
        day = _date(as_of, "--as-of")
        built = _build(
            path,
            ruleset=ruleset,
            gwp=gwp,
            as_of=day,
            generated_at=_timestamp(generated_at),
            base_url=base_url,
            stderr=sys.stderr,
            limit=limit,
            questionnaire=dd,
        )
        if built is None:
            return EXIT_FINDINGS
        full = built.passport
        report = completeness(full, day)
        for line in _completeness_lines(report):
            sys.stderr.write(line + "\n")
        key = _private_key(sign) if sign else None
        shown = view(full, access)
        sealed = seal_bytes(shown, previous=_previous(previous, shown, limit), key=key)
        document = sealed.document
        if export is ExportFormat.CATENAX:
            result, issues = export_catenax(shown, version=document.version)
            if result is None:
                print_issues(str(path), issues, sys.stderr, infos=True)
                return EXIT_FINDINGS
            _write(output, _export_json(result), sys.stdout)
        elif export is ExportFormat.BATTERYPASS:
            _write(output, _export_json(export_batterypass(shown)), sys.stdout)
        else:
            _write(output, sealed.data, sys.stdout)
        if qr is not None:
            image = (
                qr_svg(full.public_url) if qr.suffix.lower() == ".svg" else qr_png(full.public_url)
            )
            _write(qr, image, sys.stdout)
        sys.stderr.write(
            f"{path}: passport {full.passport_identifier} version {document.version}, "
            f"{access.value} view, {document.digest}\n"
        )
        if require_complete and not report.complete:
            return EXIT_FINDINGS
        return EXIT_OK

    _run(action)


@passport_app.command("verify")
def verify_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A sealed passport document.")],
    key: Annotated[
        Path | None,
        typer.Option(help="Trusted Ed25519 public key (PEM or base64) that must have signed it."),
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Check a passport document byte for byte: canonical form, digest and signature."""
    limit = max_bytes(ctx, max_file_size)

    def action() -> int:
        trusted = _public_key(key) if key else None
        result = verify(_read(path, limit), trusted_key=trusted)
        if result.ok and result.document is not None:
            signed = "signed" if result.document.signature else "unsigned"
            sys.stdout.write(
                f"{path}: OK, passport {result.document.passport.passport_identifier} version "
                f"{result.document.version} ({signed}), {result.document.digest}\n"
            )
            return EXIT_OK
        sys.stdout.write(f"{path}: FAILED\n")
        for reason in result.reasons:
            sys.stdout.write(f"  {reason}\n")
        return EXIT_FINDINGS

    _run(action)


@passport_app.command("completeness")
def completeness_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Supplier submission (JSON or YAML).")],
    as_of: Annotated[str | None, typer.Option(help="Date of the check [default: today].")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    ruleset: Annotated[str, typer.Option(help="Carbon footprint method.")] = "eu-da-2024-draft",
    max_file_size: MaxFileSize = None,
) -> None:
    """List the Annex XIII items the passport has, lacks or does not need yet.

    Exit codes: 0 complete, 1 invalid input or a mandatory item missing, 2 usage error.
    """
    limit = max_bytes(ctx, max_file_size)

    def action() -> int:
        if output_format not in ("text", "json"):
            raise _Usage("--format: use text or json")
        day = _date(as_of, "--as-of")
        built = _build(
            path,
            ruleset=ruleset,
            gwp=None,
            as_of=day,
            generated_at=_timestamp(None),
            base_url=DEFAULT_BASE_URL,
            stderr=sys.stderr,
            limit=limit,
        )
        if built is None:
            return EXIT_FINDINGS
        report = completeness(built.passport, day)
        if output_format == "json":
            sys.stdout.write(json.dumps(report.model_dump(mode="json"), indent=2) + "\n")
        else:
            sys.stdout.write("\n".join(_completeness_lines(report)) + "\n")
        return EXIT_OK if report.complete else EXIT_FINDINGS

    _run(action)


@passport_app.command("keygen")
def keygen_command(
    private: Annotated[Path, typer.Option("--private", help="Where to write the private key.")],
    public: Annotated[Path, typer.Option("--public", help="Where to write the public key.")],
) -> None:
    """Create an Ed25519 key pair (PEM) for signing passports."""

    def action() -> int:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        pub = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if same_file(private, public):
            raise _Usage(f"--public: {public} is the --private file; give each key its own file")
        try:  # appears whole or not at all, never over an existing key
            atomic_write(private, pem, exclusive=True, mode=0o600)
        except OSError as exc:
            raise _Usage(f"{private}: cannot create ({exc.strerror})") from None
        try:
            _write(public, pub, sys.stdout)
        except BaseException:
            private.unlink()  # no private key without its public key
            raise
        sys.stdout.write(f"wrote {private} (keep secret) and {public}\n")
        return EXIT_OK

    _run(action)
