"""``compliance passport``: build, views, exports, QR, sign, verify, completeness, keygen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import EXAMPLES

runner = CliRunner()
EV = str(EXAMPLES / "valid" / "nmc811-m1-ev.json")
BUS = str(EXAMPLES / "valid" / "lfp-m3-bus.yaml")
LMT = str(EXAMPLES / "valid" / "lmt-ebike.json")
FIXED = ["--as-of", "2027-09-01", "--generated-at", "2027-09-01T08:00:00Z"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["passport", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def build(tmp_path: Path, name: str, *args: str, source: str = EV) -> tuple[int, Path, str]:
    out = tmp_path / name
    code, _, err = invoke(source, *FIXED, "-o", str(out), *args)
    return code, out, err


def test_build_then_verify(tmp_path: Path) -> None:
    code, out, err = build(tmp_path, "ev.json")
    assert code == 0, err
    assert "Annex XIII completeness on 2027-09-01 (ev): complete" in err
    document = json.loads(out.read_bytes())
    assert document["version"] == 1
    assert document["passport"]["view"] == "full"
    code, stdout, _ = invoke("verify", str(out))
    assert code == 0
    assert "OK, passport urn:uuid:" in stdout
    assert "(unsigned)" in stdout


def test_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    _, first, _ = build(tmp_path, "a.json")
    _, second, _ = build(tmp_path, "b.json")
    assert first.read_bytes() == second.read_bytes()


def test_tampered_file_fails_with_the_reason(tmp_path: Path) -> None:
    _, out, _ = build(tmp_path, "ev.json")
    out.write_bytes(out.read_bytes().replace(b'"fullCycles":48', b'"fullCycles":12'))
    code, stdout, _ = invoke("verify", str(out))
    assert code == 1
    assert "FAILED" in stdout
    assert "digest mismatch" in stdout


def test_sign_and_verify_with_keys(tmp_path: Path) -> None:
    private, public = tmp_path / "k.pem", tmp_path / "k.pub"
    code, stdout, _ = invoke("keygen", "--private", str(private), "--public", str(public))
    assert code == 0
    assert "keep secret" in stdout
    assert private.stat().st_mode & 0o777 == 0o600
    code, out, err = build(tmp_path, "ev.json", "--sign", str(private))
    assert code == 0, err
    assert invoke("verify", str(out), "--key", str(public))[0] == 0
    other_private, other_public = tmp_path / "o.pem", tmp_path / "o.pub"
    invoke("keygen", "--private", str(other_private), "--public", str(other_public))
    code, stdout, _ = invoke("verify", str(out), "--key", str(other_public))
    assert code == 1
    assert "signed with another key than the trusted one" in stdout


def test_keygen_never_overwrites_a_private_key(tmp_path: Path) -> None:
    private = tmp_path / "k.pem"
    private.write_text("precious")
    code, _, err = invoke("keygen", "--private", str(private), "--public", str(tmp_path / "p"))
    assert code == 2
    assert "cannot create" in err
    assert private.read_text() == "precious"


def test_new_version_links_to_the_previous(tmp_path: Path) -> None:
    _, first, _ = build(tmp_path, "v1.json")
    code, second, err = build(tmp_path, "v2.json", "--previous", str(first))
    assert code == 0, err
    old, new = json.loads(first.read_bytes()), json.loads(second.read_bytes())
    assert new["version"] == 2
    assert new["previousDigest"] == old["digest"]
    assert "version 2" in err


def test_previous_of_another_passport_is_refused(tmp_path: Path) -> None:
    _, bus, _ = build(tmp_path, "bus.json", source=BUS)
    code, _, err = build(tmp_path, "ev.json", "--previous", str(bus))
    assert code == 2
    assert "belongs to passport" in err


def test_public_view_has_no_restricted_sections(tmp_path: Path) -> None:
    code, out, _ = build(tmp_path, "public.json", "--access", "public")
    assert code == 0
    passport: dict[str, Any] = json.loads(out.read_bytes())["passport"]
    assert passport["view"] == "public"
    for section in ("legitimateInterest", "authorities", "individual", "extensions"):
        assert section not in passport or passport[section] is None
    assert invoke("verify", str(out))[0] == 0


def test_batterypass_export(tmp_path: Path) -> None:
    code, out, _ = build(tmp_path, "bp.json", "--export", "batterypass")
    assert code == 0
    export = json.loads(out.read_bytes())
    assert export["format"] == "batterypass-1.2.0"
    assert len(export["payloads"]) == 7
    kinds = {d["kind"] for d in export["deviations"]}
    assert "upstream-defect" in kinds


def test_catenax_export_without_bpn_is_a_located_error(tmp_path: Path) -> None:
    document = json.loads(Path(EV).read_text("utf-8"))
    del document["plant"]["identifiers"]
    source = tmp_path / "no-bpna.json"
    source.write_text(json.dumps(document, indent=2), encoding="utf-8")
    code, out, err = build(tmp_path, "cx.json", "--export", "catenax", source=str(source))
    assert code == 1
    assert "[passport.export-identifier-missing] /plant/identifiers" in err
    assert not out.exists()


def test_qr_svg_and_png(tmp_path: Path) -> None:
    for name in ("qr.svg", "qr.png"):
        code, _, err = build(tmp_path, "p.json", "--qr", str(tmp_path / name))
        assert code == 0, err
    assert (tmp_path / "qr.svg").read_bytes().startswith(b"<?xml")
    assert (tmp_path / "qr.png").read_bytes()[:4] == b"\x89PNG"
    code, _, err = build(tmp_path, "p.json", "--qr", str(tmp_path / "qr.gif"))
    assert code == 2
    assert "--qr" in err


def test_repurposed_without_predecessor_is_located(tmp_path: Path) -> None:
    document = json.loads(Path(EV).read_text("utf-8"))
    document["passport"]["item"]["status"] = "repurposed"
    source = tmp_path / "repurposed.json"
    source.write_text(json.dumps(document, indent=2), encoding="utf-8")
    code, out, err = build(tmp_path, "p.json", source=str(source))
    assert code == 1
    line = next(x for x in err.splitlines() if "passport.predecessor-missing" in x)
    assert line.startswith(f"{source}:")
    assert "/passport/item/predecessors" in line
    assert not out.exists()


def test_require_complete_and_completeness_command(tmp_path: Path) -> None:
    assert build(tmp_path, "bus.json", "--require-complete", source=BUS)[0] == 1
    assert build(tmp_path, "ev.json", "--require-complete")[0] == 0
    code, stdout, _ = invoke("completeness", LMT, "--as-of", "2027-09-01", "--format", "json")
    assert code == 1
    report = json.loads(stdout)
    assert report["missing"][0] == "1d-due-diligence"
    assert report["category"] == "lmt"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke(str(tmp_path / "absent.json"))[0] == 2
    assert invoke(EV, "--as-of", "tomorrow")[0] == 2
    assert invoke(EV, "--generated-at", "2027-09-01T08:00:00")[0] == 2
    assert invoke(EV, "--ruleset", "nope")[0] == 2
    assert invoke("verify", str(tmp_path / "absent.json"))[0] == 2


QUESTIONNAIRES = EXAMPLES.parent / "questionnaires"


def test_dd_summary_goes_to_the_extensions_only(tmp_path: Path) -> None:
    questionnaire = str(QUESTIONNAIRES / "valid" / "honest-red-flag.json")
    code, out, err = build(tmp_path, "dd.json", "--dd", questionnaire)
    assert code == 0, err
    passport = json.loads(out.read_bytes())["passport"]
    summary = passport["extensions"]["dueDiligence"]
    assert summary["catalogue"].startswith("dd-battery-raw-materials@")
    assert summary["riskLevel"] == "high"
    assert summary["details"]["demonstrationData"] is True
    assert passport["provenance"]["questionnaireDigest"].startswith("sha256:")
    assert any("demonstration" in t for t in passport["provenance"]["ddReferenceTables"])
    # the Art. 52(3) report link stays the operator's own declaration
    assert passport["public"]["responsibleSourcing"]["reportUrl"].startswith(
        "https://danube-battery.example/"
    )
    code, out, _ = build(tmp_path, "public.json", "--dd", questionnaire, "--access", "public")
    assert code == 0
    assert "dueDiligence" not in out.read_text("utf-8")


def test_invalid_questionnaire_stops_the_passport(tmp_path: Path) -> None:
    invalid = sorted((QUESTIONNAIRES / "invalid").glob("*.json"))[0]
    code, out, err = build(tmp_path, "dd.json", "--dd", str(invalid))
    assert code == 1
    assert f"{invalid}:" in err
    assert "the questionnaire has errors; no passport" in err
    assert not out.exists()


def test_verify_refuses_hostile_files_without_a_traceback(tmp_path: Path) -> None:
    cases = {
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "deep-object.json": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        "binary.json": b"\xff\xfe\x00garbage",
        "nan.json": b'{"passport": NaN}',
        "array.json": b"[]",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        code, out, _ = invoke("verify", str(path))
        assert code == 1, name
        assert "FAILED" in out, name
