"""API behaviour per resource, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import pytest

from compliance.passport.integrity import verify
from compliance.service.keys import public_key_pem
from tests.service.conftest import BUS, EBIKE, EV, FIXED_NOW, QUESTIONNAIRE, SEMANTIC, World, submit

PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    return body


# --- submissions ---------------------------------------------------------------------------


def test_a_valid_submission_is_stored_with_its_validation_and_cfp(world: World) -> None:
    response = submit(world, "supplier")
    assert response.status_code == 201
    body = response.json()
    assert body["valid"] is True
    assert body["version"] == 1
    assert body["organisation"] == world["supplier"].org_id
    assert body["summary"]["ruleset"] == "eu-da-2024-draft"
    assert body["summary"]["cfpPerKwh"]["unit"].startswith("kg")
    assert body["summary"]["cfpPerKwh"]["value"] > 0
    assert response.headers["location"] == f"/api/v1/submissions/{body['id']}/versions/1"
    stored = world.client.get(response.headers["location"], headers=world["supplier"].headers)
    assert stored.json() == body
    content = world.client.get(body["links"]["content"], headers=world["supplier"].headers)
    assert content.content == EV.read_bytes()
    assert content.headers["content-type"] == "application/json"
    import hashlib

    assert body["sha256"] == hashlib.sha256(EV.read_bytes()).hexdigest()


def test_an_invalid_submission_is_stored_flagged_with_the_clis_located_issues(world: World) -> None:
    response = submit(world, "supplier", SEMANTIC)
    assert response.status_code == 201
    body = response.json()
    assert body["valid"] is False
    expected = json.loads((SEMANTIC.parents[1] / "expected" / "semantic-errors.json").read_text())
    got = [(i["code"], i["pointer"], i.get("line")) for i in body["issues"]]
    for issue in expected["issues"]:
        assert (issue["code"], issue["pointer"], issue.get("line")) in got
    listed = world.client.get(
        "/api/v1/submissions", params={"valid": "false"}, headers=world["supplier"].headers
    )
    assert [item["id"] for item in listed.json()["items"]] == [body["id"]]


def test_reject_invalid_refuses_with_a_problem_carrying_the_issues_and_stores_nothing(
    world: World,
) -> None:
    response = submit(world, "supplier", SEMANTIC, reject_invalid="true")
    body = _problem(response, 422)
    codes = {i["code"] for i in body["issues"]}
    assert "semantic.vehicle-class-missing" in codes
    assert all(i["pointer"].startswith("/") for i in body["issues"])
    listed = world.client.get("/api/v1/submissions", headers=world["supplier"].headers)
    assert listed.json()["total"] == 0


def test_yaml_and_multipart_uploads(world: World) -> None:
    yaml = submit(world, "supplier", BUS)
    assert yaml.status_code == 201
    assert yaml.json()["mediaType"] == "application/yaml"
    assert yaml.json()["valid"] is True
    multipart = world.client.post(
        "/api/v1/submissions",
        files={"file": ("ebike.json", EBIKE.read_bytes(), "application/json")},
        headers=world["supplier"].headers,
    )
    assert multipart.status_code == 201, multipart.text
    assert multipart.json()["filename"] == "ebike.json"
    assert multipart.json()["valid"] is True


def test_unsupported_media_type_and_missing_file_part_are_problems(world: World) -> None:
    response = world.client.post(
        "/api/v1/submissions",
        content=b"<xml/>",
        headers={**world["supplier"].headers, "Content-Type": "application/xml"},
    )
    body = _problem(response, 415)
    assert body["issues"][0]["pointer"] == "/header/content-type"
    response = world.client.post(
        "/api/v1/submissions",
        files={"other": ("x.json", b"{}", "application/json")},
        headers=world["supplier"].headers,
    )
    assert _problem(response, 422)["issues"][0]["pointer"] == "/body/other"
    no_file = world.client.post(
        "/api/v1/submissions", files={"csrf_token": (None, "x")}, headers=world["supplier"].headers
    )
    assert _problem(no_file, 422)["issues"][0]["pointer"] == "/body/file"


def test_each_post_is_a_new_immutable_version(world: World) -> None:
    first = submit(world, "supplier", SEMANTIC).json()
    url = f"/api/v1/submissions/{first['id']}/versions"
    second = world.client.post(
        url,
        content=EV.read_bytes(),
        headers={**world["supplier"].headers, "Content-Type": "application/json"},
    )
    assert second.status_code == 201
    assert second.json()["version"] == 2
    assert second.json()["valid"] is True
    versions = world.client.get(url, headers=world["supplier"].headers).json()
    assert [(v["version"], v["valid"]) for v in versions["items"]] == [(1, False), (2, True)]
    one = world.client.get(f"{url}/1/content", headers=world["supplier"].headers)
    assert one.content == SEMANTIC.read_bytes()
    latest = world.client.get(
        f"/api/v1/submissions/{first['id']}", headers=world["supplier"].headers
    )
    assert latest.json()["version"] == 2


def test_the_cfp_is_recomputed_under_another_ruleset(world: World) -> None:
    created = submit(world, "supplier").json()
    base = f"{created['links']['self']}/cfp"
    default = world.client.get(base, headers=world["supplier"].headers).json()
    other = world.client.get(
        base, params={"ruleset": "jrc-cfb-ev-2023"}, headers=world["supplier"].headers
    ).json()
    assert default["result"]["ruleset"]["id"] == "eu-da-2024-draft"
    assert other["result"]["ruleset"]["id"] == "jrc-cfb-ev-2023"
    per_kwh = default["result"]["cradleToGatePerNominalEnergy"]
    assert per_kwh == created["summary"]["cfpPerKwh"]
    gwp = world.client.get(
        base, params={"gwp": "ipcc-ar5-gwp100"}, headers=world["supplier"].headers
    ).json()
    assert gwp["result"]["gwpSet"]["id"] == "ipcc-ar5-gwp100"
    unknown = world.client.get(base, params={"ruleset": "nope"}, headers=world["supplier"].headers)
    assert _problem(unknown, 422)["issues"][0]["pointer"] == "/query/ruleset"
    bad_choice = world.client.get(base, params={"choice": "x"}, headers=world["supplier"].headers)
    assert _problem(bad_choice, 422)["issues"][0]["pointer"] == "/query/choice/0"


# --- questionnaires ---------------------------------------------------------------------------


def test_a_questionnaire_is_scored_and_rescored(world: World) -> None:
    response = world.client.post(
        "/api/v1/questionnaires",
        content=QUESTIONNAIRE.read_bytes(),
        headers={**world["supplier"].headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["valid"] is True, body["issues"]
    from compliance.pipeline import run_questionnaire

    direct = run_questionnaire(QUESTIONNAIRE.read_bytes(), name="q.json", as_of=FIXED_NOW.date())
    assert direct.dd is not None
    assert body["summary"]["riskLevel"] == direct.dd.risk.level
    assert body["summary"]["redFlags"] == len(direct.dd.red_flags)
    assert body["summary"]["maturity"] == direct.dd.maturity.score
    rescored = world.client.get(
        f"{body['links']['self']}/dd",
        params={"as_of": "2026-06-01"},
        headers=world["supplier"].headers,
    ).json()
    assert rescored["computed"] is True
    earlier = run_questionnaire(QUESTIONNAIRE.read_bytes(), name="q.json", as_of=date(2026, 6, 1))
    assert earlier.dd is not None
    assert rescored["result"] == json.loads(json.dumps(earlier.dd.to_dict()))


def test_an_rmi_workbook_is_imported_scored_and_stored_as_received(world: World) -> None:
    from tests.dd.rmi_fixtures import emrt_workbook

    data = emrt_workbook()
    response = world.client.post(
        "/api/v1/questionnaires",
        files={"file": ("emrt.xlsx", data, "application/octet-stream")},
        headers=world["supplier"].headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["mediaType"].endswith("spreadsheetml.sheet")
    content = world.client.get(body["links"]["content"], headers=world["supplier"].headers)
    assert content.content == data
    assert isinstance(body["issues"], list)
    assert ("supplier" in body["summary"]) is body["valid"]


def test_a_submission_upload_refuses_a_workbook(world: World) -> None:
    response = world.client.post(
        "/api/v1/submissions",
        files={"file": ("emrt.xlsx", b"PK\x03\x04", "application/octet-stream")},
        headers=world["supplier"].headers,
    )
    _problem(response, 415)


# --- passports ---------------------------------------------------------------------------------


def _passport(world: World, actor: str = "operator", path=EV) -> dict[str, Any]:
    created = submit(world, actor, path).json()
    response = world.client.post(
        "/api/v1/passports", json={"submission": created["id"]}, headers=world[actor].headers
    )
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def test_a_passport_is_built_sealed_signed_and_verifies_with_the_server_key(world: World) -> None:
    made = _passport(world)
    assert made["version"] == 1
    assert made["accessLevel"] == "full"
    document = world.client.get(made["links"]["document"], headers=world["operator"].headers)
    assert document.status_code == 200
    from cryptography.hazmat.primitives import serialization

    served = world.client.get("/passport-signing-key.pem")
    assert served.headers["content-type"] == "application/x-pem-file"
    pem = served.content
    assert pem == public_key_pem(world.service.key).encode()
    raw = serialization.load_pem_public_key(pem).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    result = verify(document.content, trusted_key=raw)
    assert result.ok, result.reasons
    assert result.document is not None
    assert result.document.digest == made["digest"]
    assert result.document.signature is not None
    assert base64.b64decode(result.document.signature.public_key) == raw


def test_public_reads_show_the_public_view_only(world: World) -> None:
    made = _passport(world)
    public = world.client.get(made["publicPath"])
    assert public.status_code == 200
    body = public.json()
    assert body["accessLevel"] == "public"
    assert body["passport"]["view"] == "public"
    assert body["passport"]["individual"] is None
    assert body["passport"]["legitimateInterest"] is None
    assert body["passport"]["authorities"] is None
    assert "status" not in body
    assert "organisation" not in body
    assert '"original"' not in public.text  # the battery status (Annex XIII 4(c)) never leaks
    full = world.client.get(made["links"]["passport"], headers=world["operator"].headers).json()
    assert full["passport"]["individual"]["status"] == "original"


def test_each_role_reads_its_annex_xiii_level(world: World) -> None:
    made = _passport(world)
    url = made["links"]["passport"]
    levels = {}
    for actor in ("operator", "auditor", "authority", "admin"):
        response = world.client.get(url, headers=world[actor].headers)
        assert response.status_code == 200, (actor, response.text)
        levels[actor] = response.json()["accessLevel"]
        if levels[actor] == "authority":
            assert response.json()["passport"]["individual"] is None
            assert "status" not in response.json()
    assert levels == {
        "operator": "full",
        "auditor": "authority",
        "authority": "authority",
        "admin": "full",
    }
    sealed = world.client.get(made["links"]["document"], headers=world["authority"].headers)
    _problem(sealed, 403)


def test_a_status_change_is_a_new_linked_version_and_waste_is_final(world: World) -> None:
    made = _passport(world)
    status_url = f"{made['links']['passport']}/status"
    waste = world.client.post(
        status_url, json={"status": "waste"}, headers=world["operator"].headers
    )
    assert waste.status_code == 201, waste.text
    assert waste.json()["version"] == 2
    assert waste.json()["status"] == "waste"
    document = world.client.get(
        waste.json()["links"]["document"], headers=world["operator"].headers
    )
    parsed = verify(document.content)
    assert parsed.ok
    assert parsed.document is not None
    assert parsed.document.previous_digest == made["digest"]
    back = world.client.post(
        status_url, json={"status": "original"}, headers=world["operator"].headers
    )
    _problem(back, 409)
    bad = world.client.post(
        status_url, json={"status": "melted"}, headers=world["operator"].headers
    )
    assert _problem(bad, 422)["issues"][0]["pointer"] == "/body/status"
    first = world.client.get(
        f"{made['links']['passport']}/versions/1", headers=world["operator"].headers
    )
    assert first.json()["passport"]["individual"]["status"] == "original"


def test_a_passport_of_an_invalid_submission_is_a_problem_with_issues(world: World) -> None:
    created = submit(world, "operator", SEMANTIC).json()
    response = world.client.post(
        "/api/v1/passports", json={"submission": created["id"]}, headers=world["operator"].headers
    )
    body = _problem(response, 422)
    assert any(i["code"] == "semantic.vehicle-class-missing" for i in body["issues"])
    unknown = world.client.post(
        "/api/v1/passports", json={"submission": "nope"}, headers=world["operator"].headers
    )
    assert _problem(unknown, 422)["issues"][0]["pointer"] == "/body/submission"
    extra = world.client.post(
        "/api/v1/passports",
        json={"submission": created["id"], "colour": "red"},
        headers=world["operator"].headers,
    )
    assert _problem(extra, 422)["issues"][0]["pointer"] == "/body/colour"


# --- HTTP: paging, ETags, idempotency, limits, errors ------------------------------------------


def test_pagination_with_link_headers(world: World) -> None:
    ids = [submit(world, "supplier").json()["id"] for _ in range(5)]
    seen = []
    url: str | None = "/api/v1/submissions?limit=2"
    pages = 0
    while url:
        response = world.client.get(url, headers=world["supplier"].headers)
        body = response.json()
        assert body["total"] == 5
        seen += [item["id"] for item in body["items"]]
        links = {
            part.split(";")[1].strip(): part.split(";")[0].strip()[1:-1]
            for part in response.headers["link"].split(",")
        }
        assert 'rel="first"' in links
        url = links.get('rel="next"')
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(ids)


def test_etag_and_conditional_get(world: World) -> None:
    created = submit(world, "supplier").json()
    url = created["links"]["self"]
    first = world.client.get(url, headers=world["supplier"].headers)
    etag = first.headers["etag"]
    again = world.client.get(url, headers={**world["supplier"].headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = world.client.get(url, headers={**world["supplier"].headers, "If-None-Match": '"x"'})
    assert other.status_code == 200
    listing = world.client.get("/api/v1/submissions", headers=world["supplier"].headers)
    submit(world, "supplier")
    changed = world.client.get(
        "/api/v1/submissions",
        headers={**world["supplier"].headers, "If-None-Match": listing.headers["etag"]},
    )
    assert changed.status_code == 200


def test_idempotency_key_replays_and_never_duplicates(world: World) -> None:
    headers = {
        **world["supplier"].headers,
        "Content-Type": "application/json",
        "Idempotency-Key": "k-1",
    }
    first = world.client.post("/api/v1/submissions", content=EV.read_bytes(), headers=headers)
    second = world.client.post("/api/v1/submissions", content=EV.read_bytes(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"]
    listed = world.client.get("/api/v1/submissions", headers=world["supplier"].headers)
    assert listed.json()["total"] == 1
    different = world.client.post("/api/v1/submissions", content=BUS.read_bytes(), headers=headers)
    body = _problem(different, 422)
    assert body["issues"][0]["pointer"] == "/header/idempotency-key"
    # keys are per caller: another supplier's same key is a new request
    other = {
        **world["other_supplier"].headers,
        "Content-Type": "application/json",
        "Idempotency-Key": "k-1",
    }
    assert (
        world.client.post("/api/v1/submissions", content=EV.read_bytes(), headers=other).status_code
        == 201
    )


@pytest.mark.service_settings(max_request_size=4096)
def test_oversized_bodies_are_413_problems(world: World) -> None:
    response = submit(world, "supplier", EV)
    assert len(EV.read_bytes()) > 4096
    body = _problem(response, 413)
    assert body["issues"][0]["code"] == "request.too-large"

    def chunks():
        for _ in range(10):
            yield b" " * 1000

    streamed = world.client.post(
        "/api/v1/submissions",
        content=chunks(),
        headers={**world["supplier"].headers, "Content-Type": "application/json"},
    )
    _problem(streamed, 413)


def test_errors_are_problem_documents(world: World) -> None:
    _problem(world.client.get("/no/such/path"), 404)
    _problem(world.client.delete("/api/v1/submissions", headers=world["supplier"].headers), 405)
    bad = world.client.get(
        "/api/v1/submissions", params={"limit": "many"}, headers=world["supplier"].headers
    )
    body = _problem(bad, 422)
    assert body["issues"][0]["pointer"] == "/query/limit"
    assert body["issues"][0]["code"] == "request.invalid"
    unauth = world.client.get("/api/v1/submissions")
    _problem(unauth, 401)
    assert unauth.headers["www-authenticate"].startswith("Bearer")


def test_openapi_is_published(world: World) -> None:
    schema = world.client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/submissions" in schema["paths"]
    assert "Problem" in schema["components"]["schemas"]
    assert world.client.get("/docs").status_code == 200


# --- auth ----------------------------------------------------------------------------------------


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def test_client_credentials_token(world: World) -> None:
    actor = world["supplier"]
    response = world.client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(actor.client_id, actor.client_secret),
    )
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3600
    me = world.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.json()["organisation"] == actor.org_id
    assert me.json()["role"] == "supplier"
    assert me.json()["accessLevel"] == "legitimate-interest"
    wrong = world.client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(actor.client_id, "x"),
    )
    assert _problem(wrong, 401)["error"] == "invalid_client"
    grant = world.client.post(
        "/auth/token",
        data={"grant_type": "password"},
        headers=_basic(actor.client_id, actor.client_secret),
    )
    assert _problem(grant, 400)["error"] == "unsupported_grant_type"
    nobasic = world.client.post("/auth/token", data={"grant_type": "client_credentials"})
    assert _problem(nobasic, 401)["error"] == "invalid_client"
    bogus = world.client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    _problem(bogus, 401)
    key = world.client.get("/api/v1/me", headers={"X-API-Key": "cpk_abc_def"})
    _problem(key, 401)


def test_api_keys_are_stored_hashed(world: World) -> None:
    from sqlalchemy import select

    from compliance.service.tables import ApiClient, ApiKey

    with world.service.db.read() as session:
        hashes = session.execute(select(ApiKey.key_hash)).scalars().all()
        secrets = session.execute(select(ApiClient.secret_hash)).scalars().all()
    stored = " ".join([*hashes, *secrets])
    for actor in world.actors.values():
        assert actor.api_key not in stored
        assert actor.client_secret not in stored
        assert actor.api_key.split("_")[2] not in stored


@pytest.mark.with_users
def test_browser_login_session_and_csrf(world: World) -> None:
    actor = world["supplier"]
    bad = world.client.post("/auth/login", data={"username": actor.username, "password": "nope"})
    _problem(bad, 401)
    login = world.client.post(
        "/auth/login", data={"username": actor.username, "password": actor.password}
    )
    assert login.status_code == 200
    cookie = login.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith("compliance_session="))
    assert "HttpOnly" in session_cookie
    assert "samesite=lax" in session_cookie.lower()
    csrf = login.json()["csrfToken"]
    me = world.client.get("/api/v1/me")
    assert me.json()["subject"] == actor.username
    no_csrf = world.client.post(
        "/api/v1/submissions", content=EV.read_bytes(), headers={"Content-Type": "application/json"}
    )
    assert _problem(no_csrf, 403)["type"] == "/problems/csrf"
    with_csrf = world.client.post(
        "/api/v1/submissions",
        content=EV.read_bytes(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    assert with_csrf.status_code == 201
    assert with_csrf.json()["createdBy"] == f"user:{actor.username}"
    form = world.client.post(
        "/api/v1/submissions",
        files={"file": ("ev.json", EV.read_bytes(), "application/json")},
        data={"csrf_token": csrf},
    )
    assert form.status_code == 201, form.text
    logout = world.client.post("/auth/logout", headers={"X-CSRF-Token": csrf})
    assert logout.status_code == 204
    world.client.cookies.clear()
    _problem(world.client.get("/api/v1/me"), 401)


# --- admin ---------------------------------------------------------------------------------------


def test_admin_creates_tenants_and_credentials(world: World) -> None:
    admin = world["admin"].headers
    org = world.client.post(
        "/api/v1/organisations", json={"name": "New Co", "kind": "supplier"}, headers=admin
    )
    assert org.status_code == 201, org.text
    org_id = org.json()["id"]
    dup = world.client.post(
        "/api/v1/organisations", json={"name": "New Co", "kind": "supplier"}, headers=admin
    )
    _problem(dup, 409)
    key = world.client.post(
        f"/api/v1/organisations/{org_id}/api-keys", json={"name": "k"}, headers=admin
    )
    assert key.status_code == 201
    me = world.client.get("/api/v1/me", headers={"X-API-Key": key.json()["apiKey"]}).json()
    assert me["organisation"] == org_id
    assert me["role"] == "supplier"
    client = world.client.post(
        f"/api/v1/organisations/{org_id}/clients", json={"name": "c"}, headers=admin
    )
    token = world.client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers=_basic(client.json()["clientId"], client.json()["clientSecret"]),
    )
    assert token.status_code == 200
    user = world.client.post(
        f"/api/v1/organisations/{org_id}/users",
        json={"username": "newbie", "password": "long-enough"},
        headers=admin,
    )
    assert user.status_code == 201
    assert "password" not in user.json()
    short = world.client.post(
        f"/api/v1/organisations/{org_id}/users",
        json={"username": "x", "password": "short"},
        headers=admin,
    )
    assert _problem(short, 422)["issues"][0]["pointer"] == "/body/password"
    assigned = world.client.post(
        f"/api/v1/organisations/{world['auditor'].org_id}/assignments",
        json={"organisation": org_id},
        headers=admin,
    )
    assert assigned.status_code == 201
    auditor_me = world.client.get("/api/v1/me", headers=world["auditor"].headers).json()
    assert org_id in auditor_me["organisations"]
    not_auditor = world.client.post(
        f"/api/v1/organisations/{org_id}/assignments", json={"organisation": org_id}, headers=admin
    )
    _problem(not_auditor, 422)


@pytest.mark.with_users
def test_nul_characters_are_refused_not_stored(world: World) -> None:
    headers = world["admin"].headers
    assert (
        _problem(world.client.get("/api/v1/submissions/a%00b", headers=headers), 400)["issues"][0][
            "pointer"
        ]
        == "/path"
    )
    query = world.client.get(
        "/api/v1/submissions", params={"organisation": "a\x00"}, headers=headers
    )
    assert _problem(query, 400)["issues"][0]["pointer"] == "/query"
    org = world.client.post(
        "/api/v1/organisations", json={"name": "a\x00b", "kind": "supplier"}, headers=headers
    )
    assert _problem(org, 422)["issues"][0]["pointer"] == "/body/name"
    login = world.client.post("/auth/login", data={"username": "user-\x00", "password": "x"})
    _problem(login, 400)
    token = world.client.post(
        "/auth/token", data={"grant_type": "client_credentials"}, headers=_basic("a\x00", "b")
    )
    _problem(token, 401)


def test_unknown_query_parameters_and_form_fields_are_refused(world: World) -> None:
    misspelt = submit(world, "supplier", SEMANTIC, reject_invalids="true")
    body = _problem(misspelt, 422)
    assert body["issues"][0]["pointer"] == "/query/reject_invalids"
    listed = world.client.get("/api/v1/submissions", headers=world["supplier"].headers)
    assert listed.json()["total"] == 0  # nothing stored under the misspelt flag
    form = world.client.post(
        "/api/v1/submissions",
        files={"file": ("ev.json", EV.read_bytes(), "application/json")},
        data={"comment": "hello"},
        headers=world["supplier"].headers,
    )
    assert _problem(form, 422)["issues"][0]["pointer"] == "/body/comment"
    public = submit(world, "operator").json()
    made = world.client.post(
        "/api/v1/passports", json={"submission": public["id"]}, headers=world["operator"].headers
    ).json()
    tagged = world.client.get(made["publicPath"], params={"utm_source": "qr"})
    assert tagged.status_code == 200  # the public page tolerates tags a QR scanner adds


def test_an_operator_reads_the_suppliers_assigned_to_it(world: World) -> None:
    created = submit(world, "supplier").json()
    url = created["links"]["self"]
    assert world.client.get(url, headers=world["operator"].headers).status_code == 404
    assigned = world.client.post(
        f"/api/v1/organisations/{world['operator'].org_id}/assignments",
        json={"organisation": world["supplier"].org_id},
        headers=world["admin"].headers,
    )
    assert assigned.status_code == 201, assigned.text
    assert world.client.get(url, headers=world["operator"].headers).status_code == 200
    assert world.client.get(url, headers=world["other_operator"].headers).status_code == 404
    # reading is not writing: the operator cannot add versions to the supplier's submission
    version = world.client.post(
        f"/api/v1/submissions/{created['id']}/versions",
        content=EV.read_bytes(),
        headers={**world["operator"].headers, "Content-Type": "application/json"},
    )
    _problem(version, 403)
    operator_to_operator = world.client.post(
        f"/api/v1/organisations/{world['operator'].org_id}/assignments",
        json={"organisation": world["other_operator"].org_id},
        headers=world["admin"].headers,
    )
    _problem(operator_to_operator, 422)


def test_the_recycled_content_of_a_stored_version(world: World) -> None:
    example = EV.parents[2] / "recycled" / "nmc811-m1-ev.json"
    created = submit(world, "supplier", example).json()
    base = f"{created['links']['self']}/recycled"
    body = world.client.get(
        base, params={"as_of": "2031-09-01"}, headers=world["supplier"].headers
    ).json()
    assert body["computed"] is True
    result = body["result"]
    assert result["ruleset"]["id"] == "art8-interim"
    assert [(e["element"], e["sharePercent"]) for e in result["elements"]] == [
        ("cobalt", 6.0),
        ("lithium", 2.0),
        ("nickel", 5.0),
    ]
    # the bundled EV example states no composition: located errors, no result
    plain = submit(world, "supplier").json()
    missing = world.client.get(
        f"{plain['links']['self']}/recycled", headers=world["supplier"].headers
    ).json()
    assert missing["computed"] is False
    assert ("recycled.element-data-missing", "/billOfMaterials/0") in [
        (i["code"], i["pointer"]) for i in missing["issues"]
    ]
    unknown = world.client.get(base, params={"ruleset": "9"}, headers=world["supplier"].headers)
    assert _problem(unknown, 422)["issues"][0]["pointer"] == "/query/ruleset"
