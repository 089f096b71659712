"""Edge defects of issue 14 (items 13 and 15), each with its reproducer.

Sizes are parsed strictly, ``--seed`` is checked, ``--qr`` cannot overwrite the passport,
``keygen`` never leaves half a key pair, small-order Ed25519 keys prove nothing and are refused,
``report --kind passport --key`` checks who signed, and every reading command offers the
``--max-file-size`` its too-large message suggests.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli.main import app
from compliance.passport.integrity import canonical_bytes, verify
from compliance.passport.small_order import is_small_order
from tests.conftest import EXAMPLES
from tests.dd.conftest import QUESTIONNAIRES

runner = CliRunner()
EV = str(EXAMPLES / "valid" / "nmc811-m1-ev.json")
FIXED = ["--as-of", "2027-09-01", "--generated-at", "2027-09-01T08:00:00Z"]
IDENTITY = bytes([1]) + bytes(31)
"""The Ed25519 identity point (0, 1): [k]A is the identity for every k."""


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# --- item 13: sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.5", "'0.5' is not a whole number of bytes"),
        ("1.5B", "is not a whole number of bytes"),
        ("0", "is out of range: give 1 B to 1 TiB"),
        ("2TiB", "is out of range: give 1 B to 1 TiB"),
        ("9" * 400, "is not a size like"),
    ],
)
def test_bad_max_file_size_is_a_usage_error(value: str, message: str) -> None:
    code, _, err = invoke("validate", "--max-file-size", value, EV)
    assert code == 2
    assert message in " ".join(err.replace("│", " ").split())
    code, _, err = invoke("validate", EV, env={"COMPLIANCE_MAX_FILE_SIZE": value})
    assert code == 2
    assert "compliance: COMPLIANCE_MAX_FILE_SIZE:" in err
    assert message.split("'")[-1].strip() in err


def test_fractional_sizes_that_are_whole_bytes_are_exact(tmp_path: Path) -> None:
    data = b'{"a": "' + b"x" * 1530 + b'"}'  # 1538 bytes: over 1.5KiB (1536 B)
    path = tmp_path / "big.json"
    path.write_bytes(data)
    code, out, _ = invoke("validate", "--max-file-size", "1.5KiB", str(path))
    assert code == 1
    assert "limit 1.5 KiB" in out
    path.write_bytes(data[:1536])  # exactly 1536 bytes passes the size check
    _, out, _ = invoke("validate", "--max-file-size", "1.5KiB", str(path))
    assert "io.too-large" not in out


READING_COMMANDS = [
    ["validate"],
    ["cfp"],
    ["dd", "score"],
    ["dd", "import"],
    ["passport", "build"],
    ["passport", "verify"],
    ["passport", "completeness"],
    ["report"],
    ["rules", "test"],
    ["rules", "lint"],
]


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_every_reading_command_offers_max_file_size(command: list[str]) -> None:
    code, out, _ = invoke(*command, "--help")
    assert code == 0
    assert "--max-file-size" in out


@pytest.mark.parametrize(
    "args",
    [
        ["passport", "verify", EV],
        ["passport", EV, *FIXED],
        ["dd", "import", EV],
        ["cfp", "--factors", EV, EV],
        ["report", EV, "--kind", "cfp", "--factors", EV, "-o", "-"],
    ],
    ids=["verify", "build", "dd-import", "cfp-factors", "report-factors"],
)
def test_the_too_large_message_names_an_option_the_command_has(args: list[str]) -> None:
    code, _, err = invoke(*args, "--max-file-size", "1KiB")
    assert code == 2
    assert "the file is too large" in err
    assert "limit 1 KiB); raise the limit with --max-file-size or COMPLIANCE_MAX_FILE_SIZE" in err


# --- item 15 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["cfp", EV], ["report", EV, "--kind", "cfp", "-o", "-"]])
def test_negative_seed_is_a_usage_error(command: list[str]) -> None:
    code, _, err = invoke(*command, "--seed", "-1")
    assert code == 2
    assert "--seed" in err
    assert "greater than or equal to 0" in err


def test_qr_on_the_output_file_is_refused(tmp_path: Path) -> None:
    output = tmp_path / "p.svg"
    output.write_text("previous")
    same = tmp_path / "sub" / ".." / "p.svg"
    (tmp_path / "sub").mkdir()
    code, _, err = invoke("passport", EV, *FIXED, "-o", str(output), "--qr", str(same))
    assert code == 2
    assert f"--qr: {same} is the --output file" in err
    assert output.read_text() == "previous"


def test_keygen_leaves_no_private_key_when_the_public_key_fails(tmp_path: Path) -> None:
    private = tmp_path / "k.pem"
    code, _, err = invoke(
        "passport", "keygen", "--private", str(private), "--public", str(tmp_path / "no" / "k.pub")
    )
    assert code == 2
    assert "cannot write" in err
    assert not private.exists()
    assert list(tmp_path.iterdir()) == []


def test_keygen_refuses_one_file_for_both_keys(tmp_path: Path) -> None:
    key = tmp_path / "k.pem"
    code, _, err = invoke("passport", "keygen", "--private", str(key), "--public", str(key))
    assert code == 2
    assert "give each key its own file" in err
    assert not key.exists()


def _forged_by_the_identity_key(tmp_path: Path) -> Path:
    """A passport 'signed' without any private key: A = identity, R = identity, S = 0."""
    unsigned = tmp_path / "unsigned.json"
    assert invoke("passport", EV, *FIXED, "-o", str(unsigned))[0] == 0
    document = json.loads(unsigned.read_bytes())
    document["signature"] = {
        "algorithm": "Ed25519",
        "publicKey": base64.b64encode(IDENTITY).decode(),
        "value": base64.b64encode(IDENTITY + bytes(32)).decode(),
    }
    forged = tmp_path / "forged.json"
    forged.write_bytes(canonical_bytes(document))
    return forged


def test_a_signature_by_a_small_order_key_does_not_verify(tmp_path: Path) -> None:
    forged = _forged_by_the_identity_key(tmp_path)
    result = verify(forged.read_bytes())
    assert not result.ok
    assert result.reasons == (
        "the public key is a small-order point, which any forger can sign for",
    )
    code, out, _ = invoke("passport", "verify", str(forged))
    assert code == 1
    assert "OK" not in out
    assert "small-order point" in out


def test_small_order_points_are_recognised_in_every_encoding() -> None:
    """The 8 points of order 1, 2, 4, 8 (libsodium's blocklist lists their encodings)."""
    canonical = [
        "0000000000000000000000000000000000000000000000000000000000000000",  # order 4
        "0100000000000000000000000000000000000000000000000000000000000000",  # identity
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  # order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  # order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  # order 2
    ]
    non_canonical = [  # y written as y + p
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ]
    for text in canonical + non_canonical:
        raw = bytes.fromhex(text)
        assert is_small_order(raw), text
        assert is_small_order(raw[:31] + bytes([raw[31] | 0x80])), text  # the other x
    real = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"  # RFC 8032 test 1
    assert not is_small_order(bytes.fromhex(real))


def test_a_small_order_trusted_key_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "identity.pub"
    key.write_text(base64.b64encode(IDENTITY).decode())
    forged = _forged_by_the_identity_key(tmp_path)
    code, _, err = invoke("passport", "verify", str(forged), "--key", str(key))
    assert code == 2
    assert "a small-order point, not a usable public key" in err
    code, _, err = invoke("report", str(forged), "--kind", "passport", "--key", str(key), "-o", "-")
    assert code == 2
    assert "a small-order point" in err


def test_report_passport_key_checks_who_signed(tmp_path: Path) -> None:
    keys = {}
    for name in ("ours", "theirs"):
        keys[name] = (tmp_path / f"{name}.pem", tmp_path / f"{name}.pub")
        code, _, _ = invoke(
            "passport", "keygen", "--private", str(keys[name][0]), "--public", str(keys[name][1])
        )
        assert code == 0
    signed = tmp_path / "signed.json"
    assert invoke("passport", EV, *FIXED, "--sign", str(keys["ours"][0]), "-o", str(signed))[0] == 0
    html = tmp_path / "sheet.html"
    report = ["report", str(signed), "--kind", "passport", "-f", "html", "-o", str(html)]
    code, _, err = invoke(*report, "--key", str(keys["theirs"][1]))
    assert code == 1
    assert "signed with another key than the trusted one" in err
    assert not html.exists()
    code, _, err = invoke(*report, "--key", str(keys["ours"][1]))
    assert code == 0, err
    assert html.exists()
    code, _, err = invoke("report", EV, "--kind", "cfp", "--key", str(keys["ours"][1]), "-o", "-")
    assert code == 2
    assert "--key applies to the passport sheet only (--kind passport), not to 'cfp'" in err


def test_dd_import_of_a_directory_is_an_io_error(tmp_path: Path) -> None:
    code, _, err = invoke("dd", "import", str(QUESTIONNAIRES))
    assert code == 2
    assert "io.unreadable" in err
