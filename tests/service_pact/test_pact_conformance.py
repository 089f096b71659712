"""The PACT Conformance Service's V3.0 test cases (interop.md section 2.2), one test each.

Names follow the official list (``tc01`` ... ``tc40``); expectations are the documented ones
(``docs/v3-test-cases-expected-results.md`` of wbcsd/pact-conformance-service, MIT).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.service_pact.conftest import BASE, Host, later, make_host, validator

EVENTS = "/3/events"
CE = {"Content-Type": "application/cloudevents+json; charset=UTF-8"}


def listed(host: Host, query: str = "") -> list[dict[str, Any]]:
    answer = host.client.get(f"/3/footprints{query}", headers=host.bearer())
    assert answer.status_code == 200, answer.text
    data: list[dict[str, Any]] = answer.json()["data"]
    pf_validator = validator()
    for pf in data:
        assert list(pf_validator.iter_errors(pf)) == []
    return data


def event(kind: str, data: dict[str, Any], ident: str = "test-run-id-12345") -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": ident,
        "source": "https://webhook.example.com",
        "time": "2026-06-01T10:30:00Z",
        "type": f"org.wbcsd.pact.ProductFootprint.{kind}",
        "data": data,
    }


def post_event(host: Host, body: dict[str, Any], token: str | None = None) -> Any:
    auth = {"Authorization": f"Bearer {token}"} if token else host.bearer()
    return host.client.post(EVENTS, json=body, headers={**auth, **CE})


def test_tc01_token_with_valid_credentials(host: Host) -> None:
    answer = host.client.post(
        "/auth/token", data={"grant_type": "client_credentials"}, headers=host.basic()
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"]


def test_tc02_token_with_invalid_credentials(host: Host) -> None:
    answer = host.client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers=host.basic(secret="wrong"),
    )
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] == "invalid_client"


def test_tc03_get_footprint_of_the_first_listed(host: Host) -> None:
    first = listed(host)[0]
    answer = host.client.get(f"/3/footprints/{first['id']}", headers=host.bearer())
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert data["id"] == first["id"]
    assert list(validator().iter_errors(data)) == []


def test_tc04_list_footprints(host: Host) -> None:
    data = listed(host)
    assert len(data) == 2  # the preconditions ask for at least two
    assert [pf["productNameCompany"] for pf in data] == [
        "EV80 high-energy pack",
        "LFP 108 kWh bus battery system",
    ]


def test_tc05_pagination_link(host: Host) -> None:
    headers = host.bearer()
    first = host.client.get("/3/footprints?limit=1", headers=headers)
    assert first.status_code == 200
    assert len(first.json()["data"]) == 1
    link = first.headers["Link"]
    url = link.split(">")[0].lstrip("<")
    assert url.startswith(BASE + "/3/footprints?")  # absolute, same host as the request
    assert link.endswith('rel="next"')
    second = host.client.get(url[len(BASE) :], headers=headers)
    assert second.status_code == 200
    assert second.json()["data"]
    assert second.json()["data"][0]["id"] != first.json()["data"][0]["id"]
    assert "Link" not in second.headers  # the last page
    again = host.client.get(url[len(BASE) :], headers=headers)  # a link may be called again
    assert again.json() == second.json()


def test_tc06_list_with_invalid_token(host: Host) -> None:
    answer = host.client.get(
        "/3/footprints", headers={"Authorization": "Bearer invalid-access-token"}
    )
    assert answer.status_code == 401
    assert answer.json()["code"] == "BadRequest"


def test_tc07_get_with_invalid_token(host: Host) -> None:
    pf_id = listed(host)[0]["id"]
    answer = host.client.get(
        f"/3/footprints/{pf_id}", headers={"Authorization": "Bearer invalid-access-token"}
    )
    assert answer.status_code == 401
    assert answer.json() == {"code": "BadRequest", "message": "Invalid token provided"}


def test_tc08_get_unknown_footprint(host: Host) -> None:
    answer = host.client.get(
        "/3/footprints/00000000-0000-0000-0000-000000000000", headers=host.bearer()
    )
    assert answer.status_code == 404
    assert answer.json()["code"] == "NotFound"


@pytest.fixture
def plain_http(tmp_path: Path) -> Any:
    """An HTTPS-only host reached over plain HTTP (what tests 9, 10, 11 and 17 do)."""
    made = make_host(tmp_path, https_only=True)
    token = made.token()
    pf_id = made.client.get("/3/footprints", headers={"Authorization": f"Bearer {token}"}).json()[
        "data"
    ][0]["id"]
    insecure = TestClient(made.client.app, base_url="http://testserver")
    return made, insecure, token, pf_id


def test_tc09_token_over_http(plain_http: Any) -> None:
    made, insecure, _token, _pf = plain_http
    answer = insecure.post(
        "/auth/token", data={"grant_type": "client_credentials"}, headers=made.basic()
    )
    assert answer.status_code != 200
    assert "access_token" not in answer.text


def test_tc10_list_over_http(plain_http: Any) -> None:
    _made, insecure, token, _pf = plain_http
    answer = insecure.get("/3/footprints", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code != 200
    assert "data" not in answer.json()


def test_tc11_get_over_http(plain_http: Any) -> None:
    _made, insecure, token, pf_id = plain_http
    answer = insecure.get(f"/3/footprints/{pf_id}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code != 200
    assert "data" not in answer.json()


def test_tc12_request_created_event(host: Host) -> None:
    product = listed(host)[0]["productIds"][0]
    answer = post_event(host, event("RequestCreatedEvent.3", {"productId": [product]}))
    assert answer.status_code == 200
    assert answer.content == b""


def test_tc13_fulfilled_callback(host: Host) -> None:
    first = listed(host)[0]
    request = event("RequestCreatedEvent.3", {"productId": [first["productIds"][0]]}, "req-13")
    assert post_event(host, request).status_code == 200
    (target, sent) = host.sender.sent[-1]
    assert target == "https://webhook.example.com/3/events"
    assert sent["type"] == "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3"
    assert sent["data"]["requestEventId"] == "req-13"
    assert [pf["id"] for pf in sent["data"]["pfs"]] == [first["id"]]
    assert list(validator("RequestFulfilledEvent").iter_errors(sent)) == []


def test_tc14a_request_for_an_unknown_product(host: Host) -> None:
    answer = post_event(host, event("RequestCreatedEvent.3", {"productId": ["urn:pact:null"]}))
    assert answer.status_code == 200


def test_tc14b_rejected_callback(host: Host) -> None:
    request = event("RequestCreatedEvent.3", {"productId": ["urn:pact:null"]}, "req-14")
    assert post_event(host, request).status_code == 200
    (_target, sent) = host.sender.sent[-1]
    assert sent["type"] == "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3"
    assert sent["data"] == {
        "requestEventId": "req-14",
        "error": {"code": "NotFound", "message": "no footprint matches the request"},
    }
    assert list(validator("RequestRejectedEvent").iter_errors(sent)) == []


def test_tc15_published_event(host: Host) -> None:
    body = event("PublishedEvent.3", {"pfIds": ["123e4567-e89b-12d3-a456-426614174000"]})
    assert post_event(host, body).status_code == 200


def test_tc16_events_with_invalid_token(host: Host) -> None:
    body = event("PublishedEvent.3", {"pfIds": ["123e4567-e89b-12d3-a456-426614174000"]})
    answer = post_event(host, body, token="invalid-access-token")
    assert answer.status_code == 401
    assert answer.json()["code"] == "BadRequest"


def test_tc17_events_over_http(plain_http: Any) -> None:
    _made, insecure, token, _pf = plain_http
    body = event("PublishedEvent.3", {"pfIds": ["123e4567-e89b-12d3-a456-426614174000"]})
    answer = insecure.post(EVENTS, json=body, headers={"Authorization": f"Bearer {token}", **CE})
    assert answer.status_code != 200


def test_tc18_token_via_auth_token_endpoint(host: Host) -> None:
    """Optional: the fallback endpoint works; OpenID discovery is not offered (404)."""
    assert host.client.get("/.well-known/openid-configuration").status_code == 404
    assert host.token()


def test_tc19_token_via_auth_token_with_incorrect_credentials(host: Host) -> None:
    answer = host.client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers=host.basic(client_id="cc_unknown"),
    )
    assert answer.status_code in (400, 401)


def _filtered(host: Host, query: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return listed(host), listed(host, query)


def test_tc20_filter_product_id(host: Host) -> None:
    everything = listed(host)
    product = everything[0]["productIds"][0]
    data = listed(host, f"?productId={product.upper()}")  # case-insensitive
    assert [pf["id"] for pf in data] == [everything[0]["id"]]


def test_tc21_filter_company_id(host: Host) -> None:
    everything = listed(host)
    company = everything[0]["companyIds"][0]
    data = listed(host, f"?companyId={company}")
    assert data
    assert all(company in pf["companyIds"] for pf in data)


def test_tc22_filter_geography(host: Host) -> None:
    data = listed(host, "?geography=hu")
    assert [pf["pcf"]["geographyCountry"] for pf in data] == ["HU"]


def test_tc23_filter_classification(host: Host) -> None:
    data = listed(host, "?classification=urn:pact:productclassification:un-cpc:46420")
    assert len(data) == 2


def test_tc24_filter_valid_on(host: Host) -> None:
    everything = listed(host)
    # nmc811: reference period 2025 -> valid 2026-01-01 .. 2029-01-01
    data = listed(host, "?validOn=2026-06-01T00:00:00Z")
    assert data
    assert len(data) <= len(everything)
    for pf in data:
        end = pf["pcf"]["referencePeriodEnd"]
        assert end <= "2026-06-01T00:00:00Z"


def test_tc25_filter_valid_after(host: Host) -> None:
    data = listed(host, "?validAfter=2025-12-31T00:00:00Z")
    assert data
    assert all(pf["pcf"]["referencePeriodEnd"] > "2025-12-31T00:00:00Z" for pf in data)


def test_tc26_filter_valid_before(host: Host) -> None:
    data = listed(host, "?validBefore=2099-01-01T00:00:00Z")
    assert len(data) == 2


def test_tc27_filter_status(host: Host) -> None:
    data = listed(host, "?status=Active")
    assert len(data) == 2
    assert all(pf["status"] == "Active" for pf in data)


def test_tc28_filter_status_and_product_id(host: Host) -> None:
    first = listed(host)[0]
    data = listed(host, f"?status=Active&productId={first['productIds'][0]}")
    assert [pf["id"] for pf in data] == [first["id"]]


def test_tc29_filter_company_id_or(host: Host) -> None:
    company = listed(host)[0]["companyIds"][0]
    data = listed(
        host, f"?companyId={company}&companyId=urn:uuid:other-company&companyId=urn:uuid:another"
    )
    assert data
    assert all(company in pf["companyIds"] for pf in data)


@pytest.mark.parametrize(
    ("case", "query"),
    [
        ("tc30", "?productId=urn:bogus:product:nonexistent123"),
        ("tc31", "?companyId=urn:bogus:company:nonexistent456"),
        ("tc32", "?geography=XX"),
        ("tc33", "?classification=urn:bogus:classification:nonexistent789"),
        ("tc34", "?validOn=1900-01-01T00:00:00Z"),
        ("tc35", "?validAfter=2099-12-31T23:59:59Z"),
        ("tc36", "?validBefore=1900-01-01T00:00:00Z"),
        ("tc37", "?status=BogusStatusValue"),
        (
            "tc38",
            "?companyId=urn:bogus:company:5FIi8zS3&productId=urn:bogus:product:nonexistent123",
        ),
        (
            "tc39",
            "?companyId=urn:bogus:company:nonexistent1&companyId=urn:bogus:company:nonexistent2"
            "&companyId=urn:bogus:company:nonexistent3",
        ),
    ],
)
def test_tc30_to_tc39_bogus_filters_give_empty_lists(host: Host, case: str, query: str) -> None:
    answer = host.client.get(f"/3/footprints{query}", headers=host.bearer())
    assert answer.status_code == 200, case
    assert answer.json() == {"data": []}


def test_tc40_published_event_with_non_uuid_pf_ids(host: Host) -> None:
    answer = post_event(host, event("PublishedEvent.3", {"pfIds": ["urn:gtin:4712345060507"]}))
    assert answer.status_code == 400
    assert answer.json()["code"] == "BadRequest"


# ---------------------------------------------------------------- beyond the official list


def test_expired_token_is_token_expired(host: Host) -> None:
    headers = host.bearer()
    later(host, 3601)
    answer = host.client.get("/3/footprints", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["code"] == "TokenExpired"


def test_bad_filter_values_are_bad_requests(host: Host) -> None:
    headers = host.bearer()
    for query in ("?validOn=yesterday", "?limit=-1", "?limit=abc", "?colour=red"):
        answer = host.client.get(f"/3/footprints{query}", headers=headers)
        assert answer.status_code == 400, query
        assert answer.json()["code"] == "BadRequest", query
    answer = host.client.get("/3/footprints?$filter=created ge '2020'", headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (400, "NotImplemented")


def test_malformed_events_are_bad_requests(host: Host) -> None:
    headers = {**host.bearer(), **CE}
    good = event("PublishedEvent.3", {"pfIds": ["123e4567-e89b-12d3-a456-426614174000"]})
    cases = [
        b"not json",
        b"[]",
        {**good, "specversion": "0.3"},
        {k: v for k, v in good.items() if k != "time"},
        {**good, "type": "org.wbcsd.pathfinder.ProductFootprint.Published.v1"},
        {**good, "data": []},
        event("RequestCreatedEvent.3", {"productId": "x"}) | {"source": "ftp://x"},
        event("RequestCreatedEvent.3", {"validOn": "soon"}),
        event("RequestFulfilledEvent.3", {"requestEventId": "r", "pfs": []}),
    ]
    for body in cases:
        content = body if isinstance(body, bytes) else __import__("json").dumps(body).encode()
        answer = host.client.post(EVENTS, content=content, headers=headers)
        assert answer.status_code == 400, body
        assert answer.json()["code"] == "BadRequest"
    wrong_type = host.client.post(
        EVENTS, content=b"{}", headers={**host.bearer(), "Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 400


def test_failed_delivery_is_kept_in_the_outbox(host: Host) -> None:
    from compliance.service.tables import PactOutbox

    host.sender.fail = True
    request = event("RequestCreatedEvent.3", {"productId": ["urn:pact:null"]}, "req-lost")
    assert post_event(host, request).status_code == 200
    service = host.client.app.state.service  # type: ignore[attr-defined]
    with service.db.read() as session:
        rows = session.query(PactOutbox).filter_by(request_event_id="req-lost").all()
        assert [(r.status, r.attempts) for r in rows] == [("failed", 1)]
        assert "unreachable" in (rows[0].last_error or "")


def test_link_host_follows_the_request(host: Host) -> None:
    answer = host.client.get(
        "/3/footprints?limit=1", headers={**host.bearer(), "Host": "pact.example.org"}
    )
    url = answer.headers["Link"].split(">")[0].lstrip("<")
    assert urlsplit(url).netloc == "pact.example.org"
