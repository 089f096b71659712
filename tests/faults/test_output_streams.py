"""Output that cannot fail on content, and a clear error when the output itself fails.

Reproducers of issue 14 item 8 (a lone surrogate ``"\\ud800"`` in an echoed string raised
``UnicodeEncodeError`` in the reporters: one such file killed a 10,000-file batch with nothing
printed) and item 10 (``> /dev/full`` was a traceback).
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from pydantic import ValidationError

from compliance.cli.streams import JsonReportStream, OutputError, SafeText, printable, safe_text
from compliance.models import SupplierSubmission
from compliance.validation.model_layer import model_issues
from tests.conftest import EXAMPLES
from tests.dd.conftest import QUESTIONNAIRES
from tests.faults.helpers import EV, FIXED, LMT, run_cli

SURROGATE = "\ud800"
BASE: dict[str, Any] = json.loads((EXAMPLES / "valid" / "nmc811-m1-ev.json").read_text("utf-8"))


def _mutant(path: Path, where: tuple[str, ...], value: Any) -> Path:
    document = copy.deepcopy(BASE)
    node = document
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    path.write_text(json.dumps(document), encoding="utf-8")  # ensure_ascii: "\ud800" escapes
    return path


@pytest.fixture
def batch(tmp_path: Path) -> list[Path]:
    """A good file, four with a lone surrogate (unit, enum, member name, country), a good file."""
    return [
        _mutant(tmp_path / "a-good.json", ("battery", "modelName"), "EV80"),
        _mutant(tmp_path / "b-unit.json", ("battery", "mass"), f"480 kg{SURROGATE}"),
        _mutant(tmp_path / "c-chemistry.json", ("battery", "chemistry"), f"NMC{SURROGATE}"),
        _mutant(tmp_path / "d-member.json", ("battery", f"x{SURROGATE}"), 1),
        _mutant(tmp_path / "e-country.json", ("plant", "address", "country"), f"H{SURROGATE}"),
        _mutant(tmp_path / "f-good.json", ("battery", "modelName"), "EV81"),
    ]


def test_printable_escapes_lone_surrogates_only() -> None:
    assert printable("a\ud800b\udfffc") == "a\\ud800b\\udfffc"
    assert printable("Példа 日本 🔋") == "Példа 日本 🔋"  # noqa: RUF001 - real non-ASCII text
    assert json.loads('"' + printable("x\ud800") + '"') == "x\ud800"  # the escape reads back


def test_safe_text_escapes_what_a_narrow_encoding_cannot_carry() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    safe = safe_text(stream)
    safe.write("é 日 \ud800\n")
    stream.flush()
    assert raw.getvalue() == b"\xe9 \\u65e5 \\ud800\n"
    assert safe_text(safe) is safe


def test_safe_text_turns_a_failing_stream_into_output_error() -> None:
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left"):
        SafeText(Full()).write("x")


def test_model_layer_locates_a_lone_surrogate_pydantic_cannot_render() -> None:
    document = copy.deepcopy(BASE)
    document["battery"]["mass"] = f"480 kg{SURROGATE}"
    with pytest.raises(ValidationError) as caught:
        SupplierSubmission.model_validate(document, by_alias=True, by_name=False)
    issues = model_issues(caught.value, document)
    assert [(i.code, i.pointer) for i in issues] == [("model.string_unicode", "/battery/mass")]


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github"])
def test_validate_batch_goes_on_past_lone_surrogates(batch: list[Path], fmt: str) -> None:
    result = run_cli(["validate", "--format", fmt, *map(str, batch)])
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert "internal.error" not in out
    assert result.returncode == 1, err
    if fmt == "json":
        document = json.loads(out)
        assert document["summary"]["files"] == 6
        assert document["summary"]["passed"] == 2
        by_source = {Path(f["source"]).name: f for f in document["files"]}
        unit = [i for i in by_source["b-unit.json"]["issues"] if i["severity"] == "error"]
        assert [i["pointer"] for i in unit] == ["/battery/mass"]
        member = by_source["d-member.json"]["issues"][0]
        # a lone surrogate is refused when the file is parsed (parse.encoding, issue 14 item 8);
        # a key holding one is located at its object, so the pointer never carries it
        assert (member["code"], member["pointer"]) == ("parse.encoding", "/battery")
    elif fmt == "junit":
        assert 'tests="6" failures="4"' in out
    else:
        assert "6 files checked: 2 valid, 4 invalid" in out
    if fmt == "text":
        assert "b-unit.json:1:" in out
        assert "error [parse.encoding] /battery/mass: a string or key holds a lone" in out
        assert "d-member.json:1:" in out
        assert "error [parse.encoding] /battery: a string or key holds a lone" in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cfp_batch_goes_on_past_lone_surrogates(batch: list[Path], fmt: str) -> None:
    details = ["--details"] if fmt == "text" else []
    args = ["cfp", "--format", fmt, *details, "--as-of", "2026-06-01", *map(str, batch)]
    result = run_cli(args)
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert result.returncode == 1
    if fmt == "json":
        files = json.loads(out)["files"]
        assert [f["computed"] for f in files] == [True, False, False, False, False, True]
    else:
        assert out.count("cradle-to-gate per nominal kWh") == 2  # both good files computed
        assert "c-chemistry.json:1:" in out
        assert "error [parse.encoding] /battery/chemistry: a string or key holds a lone" in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_dd_batch_goes_on_past_lone_surrogates(tmp_path: Path, fmt: str) -> None:
    good = QUESTIONNAIRES / "valid" / "strong-supplier.json"
    document = json.loads(good.read_text("utf-8"))
    document["header"]["supplier"]["name"] = f"Nordic{SURROGATE}"
    document["header"]["supplier"][f"x{SURROGATE}"] = "?"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli(["dd", "--format", fmt, "--as-of", "2026-01-15", str(bad), str(good)])
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert "internal.error" not in err
    assert result.returncode == 1
    if fmt == "json":
        summary = json.loads(out)["summary"]
        assert (summary["files"], summary["passed"], summary["failed"]) == (2, 1, 1)
    else:
        assert "2 files checked: 1 scored, 1 failed" in out
        assert "error [parse.encoding] /header/supplier" in out


# --- a full standard output -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(EXAMPLES / "valid")],
        ["validate", "--format", "json", str(EXAMPLES / "valid")],
        ["cfp", "--format", "json", "--as-of", "2026-06-01", str(EV)],
        ["passport", str(EV), *FIXED],
        ["schema"],
        ["dd", "--as-of", "2026-01-15", str(QUESTIONNAIRES / "valid")],
        ["report", str(LMT), "--kind", "cfp", "-f", "html", "--as-of", "2026-06-01", "-o", "-"],
    ],
    ids=["validate", "validate-json", "cfp-json", "passport", "schema", "dd", "report"],
)
def test_a_full_stdout_is_a_clear_error(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = run_cli(args, stdout=full)
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2, err
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert "cannot write to standard output" in err
    assert "No space left on device" in err


def test_json_report_stream_is_the_document_json_dumps_writes() -> None:
    out = io.StringIO()
    stream = JsonReportStream(out, {"tool": "compliance", "version": "1"})
    stream.add({"source": "a", "issues": [{"x": [1, 2]}]})
    stream.add({"source": "b", "issues": []})
    stream.finish({"summary": {"files": 2}})
    expected = {
        "tool": "compliance",
        "version": "1",
        "files": [{"source": "a", "issues": [{"x": [1, 2]}]}, {"source": "b", "issues": []}],
        "summary": {"files": 2},
    }
    assert out.getvalue() == json.dumps(expected, indent=2) + "\n"
    empty = io.StringIO()
    JsonReportStream(empty, {"tool": "compliance"}).finish({"summary": {"files": 0}})
    assert json.loads(empty.getvalue()) == {
        "tool": "compliance",
        "files": [],
        "summary": {"files": 0},
    }


def test_junit_stays_well_formed_xml_with_control_characters(tmp_path: Path) -> None:
    """A JSON string may hold U+0000; XML 1.0 cannot, so the report escapes it."""
    bad = _mutant(tmp_path / "nul.json", ("battery", "x\u0000\u0007"), 1)
    result = run_cli(["validate", "--format", "junit", str(bad)])
    assert result.returncode == 1
    root = ElementTree.fromstring(result.stdout)  # well-formed
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.text is not None
    assert "/battery/x\\u0000\\u0007: unknown field" in failure.text
