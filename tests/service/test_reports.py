"""Reports on request: rendered in a worker, cached, 200 at once or 202 + status URL, tenancy.

Runs on SQLite and PostgreSQL (the ``world`` fixture). The PDFs are real (WeasyPrint in the
report worker process); their text is read back with pypdf.
"""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from pypdf import PdfReader

from tests.service.conftest import EV, QUESTIONNAIRE, SEMANTIC, World, submit

pytestmark = pytest.mark.slow


def _poll(world: World, actor: str, location: str, timeout: float = 180.0) -> dict[str, Any]:
    """Poll a status URL until the job is no longer pending; its last status."""
    deadline = time.monotonic() + timeout
    while True:
        status = world.client.get(location, headers=world[actor].headers)
        assert status.status_code == 200, status.text
        body: dict[str, Any] = status.json()
        if body["status"] != "pending" or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def _pdf(world: World, actor: str, url: str, order: dict[str, Any]) -> tuple[bytes, str]:
    """POST a report order; the PDF (at once or after polling) and the job's status URL."""
    response = world.client.post(url, json=order, headers=world[actor].headers)
    if response.status_code == 200:
        assert response.headers["content-type"] == "application/pdf"
        return response.content, ""
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    assert response.json()["status"] == "pending"
    assert response.json()["links"]["self"] == location
    body = _poll(world, actor, location)
    assert body["status"] == "done", body
    download = world.client.get(body["links"]["download"], headers=world[actor].headers)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    return download.content, location


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_cfp_report_rendered_in_a_worker_cached_and_scoped_to_the_tenant(world: World) -> None:
    created = submit(world, "operator", EV).json()
    url = f"/api/v1/submissions/{created['id']}/reports"
    pdf, location = _pdf(world, "operator", url, {"kind": "cfp", "language": "en"})
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "DBS-EV80-NMC811" in text
    assert "Carbon footprint" in text
    # The second request is served from the cache at once, byte for byte.
    again = world.client.post(url, json={"language": "en"}, headers=world["operator"].headers)
    assert again.status_code == 200
    assert again.content == pdf
    assert again.headers["content-disposition"].startswith('attachment; filename="cfp-en-')
    # The auditor assigned to the operator may order and read it; other tenants see nothing.
    assert world.client.post(url, json={}, headers=world["auditor"].headers).status_code == 200
    for stranger in ("other_operator", "supplier"):
        refused = world.client.post(url, json={}, headers=world[stranger].headers)
        assert refused.status_code == 404
        assert refused.headers["content-type"] == "application/problem+json"
    if location:
        assert (
            world.client.get(location, headers=world["other_operator"].headers).status_code == 404
        )
        assert world.client.get(location).status_code == 401


def test_a_japanese_dd_report_of_a_questionnaire(world: World) -> None:
    created = submit_questionnaire(world)
    url = f"/api/v1/questionnaires/{created['id']}/reports"
    pdf, _ = _pdf(world, "supplier", url, {"kind": "dd", "language": "ja"})
    assert "デュー・ディリジェンス監査報告書" in _text(pdf)


def submit_questionnaire(world: World) -> dict[str, Any]:
    response = world.client.post(
        "/api/v1/questionnaires",
        content=QUESTIONNAIRE.read_bytes(),
        headers={**world["supplier"].headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_an_invalid_submission_gives_no_report_but_its_located_issues(world: World) -> None:
    created = submit(world, "supplier", SEMANTIC).json()
    url = f"/api/v1/submissions/{created['id']}/reports"
    response = world.client.post(url, json={}, headers=world["supplier"].headers)
    if response.status_code == 202:
        body = _poll(world, "supplier", response.headers["location"])
        assert body["status"] == "failed"
        issues = body["issues"]
        pdf = world.client.get(
            response.headers["location"] + "/pdf", headers=world["supplier"].headers
        )
        assert pdf.status_code == 422
    else:
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        issues = response.json()["issues"]
    assert {"semantic.vehicle-class-missing", "semantic.duplicate-id"} <= {
        i["code"] for i in issues
    }
    assert "/battery/vehicleClass" in {i["pointer"] for i in issues}


def test_bad_orders_are_located_problems(world: World) -> None:
    created = submit(world, "operator", EV).json()
    url = f"/api/v1/submissions/{created['id']}/reports"
    headers = world["operator"].headers
    wrong_kind = world.client.post(url, json={"kind": "dd"}, headers=headers)
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["issues"][0]["pointer"] == "/body/kind"
    access = world.client.post(url, json={"access": "public"}, headers=headers)
    assert access.status_code == 422
    assert access.json()["issues"][0]["pointer"] == "/body/access"
    unknown = world.client.post(url, json={"colour": "red"}, headers=headers)
    assert unknown.status_code == 422
    language = world.client.post(url, json={"language": "fr"}, headers=headers)
    assert language.status_code == 422
    missing = world.client.post(url, json={"version": 9}, headers=headers)
    assert missing.status_code == 404
    assert world.client.post(url, json={}).status_code == 401
    assert world.client.get("/api/v1/reports/" + "0" * 64, headers=headers).status_code == 404
    assert world.client.get("/api/v1/reports/not-a-job", headers=headers).status_code == 404


def test_a_passport_sheet_is_capped_at_the_callers_access_level(world: World) -> None:
    created = submit(world, "operator", EV).json()
    made = world.client.post(
        "/api/v1/passports", json={"submission": created["id"]}, headers=world["operator"].headers
    ).json()
    url = f"/api/v1/passports/{made['id']}/reports"
    too_high = world.client.post(url, json={"access": "full"}, headers=world["auditor"].headers)
    assert too_high.status_code == 403
    assert too_high.json()["issues"][0]["pointer"] == "/body/access"
    pdf, _ = _pdf(world, "auditor", url, {"kind": "passport", "access": "public"})
    text = _text(pdf)
    assert "Battery passport" in text
    assert "346417-97-8" not in text  # a CAS number of the legitimate-interest level
