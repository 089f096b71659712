"""Authorisation matrix: every endpoint x role x tenant, with the expected outcome.

Tenants (conftest.TENANTS): the resources belong to ``supplier`` (a submission and a
questionnaire) and ``operator`` (a submission, its passport and its published PACT footprint);
``other_supplier`` and
``other_operator`` are other tenants of the same roles; the auditor is assigned to ``supplier``
and ``operator``. Another tenant's ids answer 404 exactly like ids that do not exist; a role
that may read but not write answers 403; no credentials answer 401. The matrix must cover
every operation of the OpenAPI document. The PACT v3 routes (``/3/...``) take the credentials as
``Authorization: Bearer`` and answer errors in PACT form (``{"code", "message"}``,
``application/json``); every other error is ``application/problem+json``.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.exchange.conftest import v3_footprint
from tests.service.conftest import EV, QUESTIONNAIRE, World, submit

ROLES = (
    "anonymous",
    "admin",
    "supplier",
    "other_supplier",
    "operator",
    "other_operator",
    "auditor",
    "authority",
)


@dataclass(frozen=True)
class Row:
    method: str
    template: str
    expected: dict[str, int]
    body: Callable[[World, dict[str, str]], dict[str, Any]] | None = None


def _all(status: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLES}


def _reader(own: str) -> dict[str, int]:
    """Reads of a resource of tenant ``own`` (supplier or operator)."""
    return _all(404, anonymous=401, admin=200, auditor=200, authority=200, **{own: 200})


_counter = itertools.count()


def _upload(world: World, ids: dict[str, str]) -> dict[str, Any]:
    return {"content": EV.read_bytes(), "headers": {"Content-Type": "application/json"}}


def _questionnaire(world: World, ids: dict[str, str]) -> dict[str, Any]:
    return {"content": QUESTIONNAIRE.read_bytes(), "headers": {"Content-Type": "application/json"}}


def _json(
    make: Callable[[dict[str, str]], Any],
) -> Callable[[World, dict[str, str]], dict[str, Any]]:
    return lambda world, ids: {"json": make(ids)}


def _order(own: str) -> dict[str, int]:
    """A report order on a resource of tenant ``own``: readers get to the order's check."""
    return {role: 422 if code == 200 else code for role, code in _reader(own).items()}


def _wrong_kind(kind: str) -> Callable[[World, dict[str, str]], dict[str, Any]]:
    return _json(lambda ids: {"kind": kind})


PACT_FACTS = "fossilCarbonContent=30&noBiogenic=true"
"""The facts a battery's PACT footprint needs beyond the submission (PACT v3 pcf fields)."""


def _pact_upload(world: World, ids: dict[str, str]) -> dict[str, Any]:
    return {
        "content": json.dumps(v3_footprint()).encode(),
        "headers": {"Content-Type": "application/json"},
    }


def _event(kind: str, data: dict[str, Any]) -> Callable[[World, dict[str, str]], dict[str, Any]]:
    """A PACT v3 event (CloudEvents structured mode) of type ``kind``."""

    def body(world: World, ids: dict[str, str]) -> dict[str, Any]:
        event = {
            "specversion": "1.0",
            "id": f"event-{next(_counter)}",
            "source": "https://partner.example/3/events",
            "time": "2027-09-01T11:00:00Z",
            "type": f"org.wbcsd.pact.ProductFootprint.{kind}",
            "data": data,
        }
        return {
            "content": json.dumps(event).encode(),
            "headers": {"Content-Type": "application/cloudevents+json"},
        }

    return body


WRITE_NEW = _all(201, anonymous=401, auditor=403, authority=403)
WRITE_OWN_SUPPLIER = _all(404, anonymous=401, admin=201, supplier=201, auditor=403, authority=403)
BUILD = _all(403, anonymous=401, admin=201, operator=201, other_operator=422)
OPERATOR_WRITE = _all(403, anonymous=401, admin=201, operator=201, other_operator=404)
ADMIN_ONLY = _all(403, anonymous=401, admin=201)
PUBLIC = _all(200)

MATRIX = (
    Row("GET", "/api/v1/me", _all(200, anonymous=401)),
    # submissions
    Row("POST", "/api/v1/submissions?{upload_org}", WRITE_NEW, _upload),
    Row("GET", "/api/v1/submissions", _all(200, anonymous=401)),
    Row("GET", "/api/v1/submissions/{sub}", _reader("supplier")),
    Row("POST", "/api/v1/submissions/{sub}/versions", WRITE_OWN_SUPPLIER, _upload),
    Row("GET", "/api/v1/submissions/{sub}/versions", _reader("supplier")),
    Row("GET", "/api/v1/submissions/{sub}/versions/1", _reader("supplier")),
    Row("GET", "/api/v1/submissions/{sub}/versions/1/content", _reader("supplier")),
    Row("GET", "/api/v1/submissions/{sub}/versions/1/cfp", _reader("supplier")),
    Row("GET", "/api/v1/submissions/{sub}/versions/1/recycled", _reader("supplier")),
    # questionnaires
    Row("POST", "/api/v1/questionnaires?{upload_org}", WRITE_NEW, _questionnaire),
    Row("GET", "/api/v1/questionnaires", _all(200, anonymous=401)),
    Row("GET", "/api/v1/questionnaires/{q}", _reader("supplier")),
    Row("POST", "/api/v1/questionnaires/{q}/versions", WRITE_OWN_SUPPLIER, _questionnaire),
    Row("GET", "/api/v1/questionnaires/{q}/versions", _reader("supplier")),
    Row("GET", "/api/v1/questionnaires/{q}/versions/1", _reader("supplier")),
    Row("GET", "/api/v1/questionnaires/{q}/versions/1/content", _reader("supplier")),
    Row("GET", "/api/v1/questionnaires/{q}/versions/1/dd", _reader("supplier")),
    # passports
    Row("POST", "/api/v1/passports", BUILD, _json(lambda ids: {"submission": ids["op_sub"]})),
    Row("GET", "/api/v1/passports", _all(200, anonymous=401)),
    Row("GET", "/api/v1/passports/{passport}", _reader("operator")),
    Row("GET", "/api/v1/passports/{passport}/versions/1", _reader("operator")),
    Row(
        "GET",
        "/api/v1/passports/{passport}/versions/1/document",
        _all(404, anonymous=401, admin=200, operator=200, auditor=403, authority=403),
    ),
    Row(
        "POST",
        "/api/v1/passports/{passport}/status",
        OPERATOR_WRITE,
        _json(lambda ids: {"status": "original"}),
    ),
    Row("GET", "{public}", PUBLIC),
    Row("GET", "/passports/{passport_id_path}", _all(404)),  # no such passport: 404 for all
    Row("GET", "/01/{gtin}/21/{serial}", _all(404)),
    # reports on request (an order of the wrong kind: 422 for readers, so nothing is rendered)
    Row("POST", "/api/v1/submissions/{sub}/reports", _order("supplier"), _wrong_kind("dd")),
    Row("POST", "/api/v1/questionnaires/{q}/reports", _order("supplier"), _wrong_kind("cfp")),
    Row("POST", "/api/v1/passports/{passport}/reports", _order("operator"), _wrong_kind("cfp")),
    Row("GET", "/api/v1/reports/{report}", _reader("supplier")),
    Row("GET", "/api/v1/reports/{report}/pdf", _reader("supplier")),
    Row("GET", "/passport-signing-key.pem", PUBLIC),
    # organisations and principals
    Row(
        "POST",
        "/api/v1/organisations",
        ADMIN_ONLY,
        _json(lambda ids: {"name": f"org {next(_counter)}", "kind": "supplier"}),
    ),
    Row("GET", "/api/v1/organisations", _all(200, anonymous=401)),
    Row(
        "GET",
        "/api/v1/organisations/{supplier_org}",
        _all(404, anonymous=401, admin=200, supplier=200, auditor=200, authority=200),
    ),
    Row(
        "POST",
        "/api/v1/organisations/{supplier_org}/users",
        ADMIN_ONLY,
        _json(lambda ids: {"username": f"u{next(_counter)}", "password": "long-password"}),
    ),
    Row(
        "POST",
        "/api/v1/organisations/{supplier_org}/clients",
        ADMIN_ONLY,
        _json(lambda ids: {"name": "c"}),
    ),
    Row(
        "POST",
        "/api/v1/organisations/{supplier_org}/api-keys",
        ADMIN_ONLY,
        _json(lambda ids: {"name": "k"}),
    ),
    Row(
        "POST",
        "/api/v1/organisations/{auditor_org}/assignments",
        ADMIN_ONLY,
        _json(lambda ids: {"organisation": ids["supplier_org"]}),
    ),
    # PACT: the service API (problem+json errors)
    Row("POST", "/api/v1/pact/footprints", WRITE_NEW, _pact_upload),
    Row("GET", "/api/v1/submissions/{op_sub}/pact?" + PACT_FACTS, _reader("operator")),
    Row(
        "POST",  # published in the fixtures: unchanged content answers 200 (201 in service_pact)
        "/api/v1/submissions/{op_sub}/pact?" + PACT_FACTS,
        _all(404, anonymous=401, admin=200, operator=200, auditor=403, authority=403),
    ),
    # PACT v3 (PACT error bodies): the published footprints of the tenants the caller reads
    Row("GET", "/3/footprints", _all(200, anonymous=401)),
    Row("GET", "/3/footprints/{pf}", _reader("operator")),
    Row(
        "POST",
        "/3/events",
        _all(200, anonymous=401),
        _event("PublishedEvent.3", {"pfIds": ["123e4567-e89b-12d3-a456-426614174000"]}),
    ),
    Row(  # keeping received footprints is a write
        "POST",
        "/3/events",
        _all(200, anonymous=401, auditor=403, authority=403),
        _event("RequestFulfilledEvent.3", {"requestEventId": "ours-1", "pfs": [v3_footprint()]}),
    ),
    # service
    Row("GET", "/healthz", PUBLIC),
    Row("GET", "/openapi.json", PUBLIC),
)
OUTSIDE_MATRIX = {
    (
        "POST",
        "/auth/token",
    ): "tested in test_api.test_client_credentials_token (client credentials, not roles)",
    (
        "POST",
        "/auth/login",
    ): "tested in test_api.test_browser_login_session_and_csrf (passwords, not roles)",
    ("POST", "/auth/logout"): "tested in test_api.test_browser_login_session_and_csrf",
}


def _fixtures(world: World) -> dict[str, str]:
    sub = submit(world, "supplier").json()
    q = world.client.post(
        "/api/v1/questionnaires",
        content=QUESTIONNAIRE.read_bytes(),
        headers={**world["supplier"].headers, "Content-Type": "application/json"},
    ).json()
    op_sub = submit(world, "operator").json()
    passport = world.client.post(
        "/api/v1/passports", json={"submission": op_sub["id"]}, headers=world["operator"].headers
    ).json()
    published = world.client.post(
        f"/api/v1/submissions/{op_sub['id']}/pact?{PACT_FACTS}", headers=world["operator"].headers
    )
    assert published.status_code == 201, published.text
    return {
        "report": _report(world, sub["id"]),
        "sub": sub["id"],
        "q": q["id"],
        "op_sub": op_sub["id"],
        "passport": passport["id"],
        "pf": published.json()["data"]["id"],
        "public": passport["publicPath"],
        "passport_id_path": "urn%3Auuid%3Anot-a-passport",
        "gtin": "00000000000000",
        "serial": "none",
        "supplier_org": world["supplier"].org_id,
        "auditor_org": world["auditor"].org_id,
    }


def _report(world: World, submission: str) -> str:
    """The job id of the supplier submission's CFP report, rendered (polled until done)."""
    headers = world["supplier"].headers
    ordered = world.client.post(
        f"/api/v1/submissions/{submission}/reports", json={}, headers=headers
    )
    location = ordered.headers.get("content-location") or ordered.headers["location"]
    job = location.removesuffix("/pdf").rsplit("/", 1)[-1]
    for _ in range(900):
        status = world.client.get(f"/api/v1/reports/{job}", headers=headers).json()
        if status["status"] != "pending":
            break
        time.sleep(0.2)
    assert status["status"] == "done", status
    return job


def _headers(world: World, role: str, url: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    if url.startswith("/3/"):  # PACT v3 takes bearer credentials (the API key here)
        return {"Authorization": f"Bearer {world[role].api_key}"}
    return world[role].headers


def _call(world: World, row: Row, role: str, ids: dict[str, str]) -> Any:
    values = dict(ids)
    values["upload_org"] = f"organisation={world['supplier'].org_id}" if role == "admin" else ""
    url = row.template.format(**values)
    kwargs: dict[str, Any] = row.body(world, ids) if row.body else {}
    headers = {**kwargs.pop("headers", {}), **_headers(world, role, url)}
    return world.client.request(row.method, url, headers=headers, **kwargs)


def test_every_operation_is_in_the_matrix(world: World) -> None:
    schema = world.client.get("/openapi.json").json()
    operations = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    covered = set()
    for row in MATRIX:
        path = row.template.split("?")[0]
        covered.add((row.method, path))
    names = {
        "sub": "document_id",
        "q": "document_id",
        "passport": "passport_id",
        "supplier_org": "org_id",
        "auditor_org": "org_id",
        "passport_id_path": "identifier",
        "report": "job_id",
        "op_sub": "document_id",
        "pf": "footprint_id",
    }
    normalised = set()
    for method, path in covered:
        for short, long in names.items():
            path = path.replace("{" + short + "}", "{" + long + "}")
        path = path.replace("/versions/1", "/versions/{version}")
        normalised.add((method, path))
    missing = operations - normalised - set(OUTSIDE_MATRIX) - {("GET", "/docs"), ("GET", "/redoc")}
    assert not missing, sorted(missing)


def test_authorisation_matrix(world: World) -> None:
    ids = _fixtures(world)
    mismatches = []
    for row in MATRIX:
        for role in ROLES:
            response = _call(world, row, role, ids)
            expected = row.expected[role]
            if response.status_code != expected:
                mismatches.append(
                    (
                        row.method,
                        row.template,
                        role,
                        expected,
                        response.status_code,
                        response.text[:160],
                    )
                )
            if response.status_code >= 400:
                pact = row.template.startswith("/3/")
                media = "application/json" if pact else "application/problem+json"
                assert response.headers["content-type"] == media, (row.template, role)
                if pact:
                    assert set(response.json()) == {"code", "message"}
    assert not mismatches, "\n".join(map(str, mismatches))


def test_another_tenants_ids_look_like_missing_ones(world: World) -> None:
    ids = _fixtures(world)
    other = world["other_supplier"].headers
    for template in ("/api/v1/submissions/{}", "/api/v1/questionnaires/{}", "/api/v1/passports/{}"):
        real = {
            "submissions": ids["sub"],
            "questionnaires": ids["q"],
            "passports": ids["passport"],
        }[template.split("/")[3]]
        hidden = world.client.get(template.format(real), headers=other).json()
        missing = world.client.get(template.format("no-such-id"), headers=other).json()
        assert hidden["status"] == missing["status"] == 404
        assert hidden["detail"].replace(real, "X") == missing["detail"].replace("no-such-id", "X")


def test_lists_show_only_the_callers_tenants(world: World) -> None:
    ids = _fixtures(world)
    other_sub = submit(world, "other_supplier").json()["id"]
    seen = {}
    for role in ("admin", "supplier", "other_supplier", "operator", "auditor", "authority"):
        listed = world.client.get("/api/v1/submissions", headers=world[role].headers).json()
        seen[role] = {item["id"] for item in listed["items"]}
    everything = {ids["sub"], ids["op_sub"], other_sub}
    assert seen == {
        "admin": everything,
        "authority": everything,
        "supplier": {ids["sub"]},
        "other_supplier": {other_sub},
        "operator": {ids["op_sub"]},
        "auditor": {ids["sub"], ids["op_sub"]},
    }


def test_restricted_passport_fields_per_reader(world: World) -> None:
    ids = _fixtures(world)
    public = world.client.get(ids["public"]).json()
    assert public["passport"]["legitimateInterest"] is None
    assert public["passport"]["authorities"] is None
    assert public["passport"]["individual"] is None
    assert public["passport"]["extensions"] in (None, {}, {"dueDiligence": None})
    # credentials do not widen the public page: it is always the public view
    with_key = world.client.get(ids["public"], headers=world["operator"].headers).json()
    assert with_key == public
    operator = world.client.get(
        f"/api/v1/passports/{ids['passport']}", headers=world["operator"].headers
    ).json()
    assert operator["passport"]["individual"]["status"] == "original"
    assert operator["passport"]["legitimateInterest"] is not None
    auditor = world.client.get(
        f"/api/v1/passports/{ids['passport']}", headers=world["auditor"].headers
    ).json()
    assert auditor["passport"]["authorities"] is not None
    assert auditor["passport"]["individual"] is None
