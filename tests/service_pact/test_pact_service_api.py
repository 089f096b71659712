"""Upload of supplier footprints, a battery's footprint in PACT form, publishing a successor."""

from __future__ import annotations

import json
from typing import Any

from tests.exchange.conftest import v3_footprint
from tests.service_pact.conftest import Host, validator

FACTS = {"fossilCarbonContent": "30", "noBiogenic": "true"}


def test_upload_supplier_footprint(host: Host) -> None:
    headers = {**host.bearer(), "Content-Type": "application/json"}
    answer = host.client.post(
        "/api/v1/pact/footprints", content=json.dumps(v3_footprint()), headers=headers
    )
    assert answer.status_code == 201, answer.text
    (fp,) = answer.json()["footprints"]
    assert fp["footprint"]["value"] == "50 kg CO2e/piece"
    assert fp["stored"] is True
    again = host.client.post(
        "/api/v1/pact/footprints", content=json.dumps(v3_footprint()), headers=headers
    )
    assert again.status_code == 201
    assert again.json()["footprints"][0]["stored"] is False  # the same footprint, kept once
    changed = v3_footprint()
    changed["pcf"]["pcfExcludingBiogenicUptake"] = "201"
    conflict = host.client.post(
        "/api/v1/pact/footprints", content=json.dumps(changed), headers=headers
    )
    assert conflict.status_code == 409  # immutable: a change needs a new id
    # received footprints are not re-published on /3/footprints
    listed = host.client.get("/3/footprints", headers=host.bearer()).json()["data"]
    assert v3_footprint()["id"] not in {pf["id"] for pf in listed}


def test_upload_with_errors_is_a_located_422(host: Host) -> None:
    bad = v3_footprint()
    bad["pcf"]["fossilGhgEmissions"] = "-1"
    answer = host.client.post(
        "/api/v1/pact/footprints",
        content=json.dumps(bad),
        headers={**host.bearer(), "Content-Type": "application/json"},
    )
    assert answer.status_code == 422
    issues = answer.json()["issues"]
    assert [(i["code"], i["pointer"]) for i in issues if i["severity"] == "error"] == [
        ("pact.sign", "/pcf/fossilGhgEmissions")
    ]
    assert issues[0]["line"] == 1


def test_battery_footprint_in_pact_form(host: Host) -> None:
    doc_id = host.submission_ids[0]
    answer = host.client.get(
        f"/api/v1/submissions/{doc_id}/pact", params=FACTS, headers=host.bearer()
    )
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert list(validator().iter_errors(data)) == []
    published = host.client.get("/3/footprints", headers=host.bearer()).json()["data"]
    assert data == published[0]  # unchanged: the published one
    kwh = host.client.get(
        f"/api/v1/submissions/{doc_id}/pact",
        params={**FACTS, "unit": "kilowatt hour"},
        headers=host.bearer(),
    )
    assert kwh.status_code == 422
    missing = host.client.get(f"/api/v1/submissions/{doc_id}/pact", headers=host.bearer())
    assert missing.status_code == 422
    assert {i["code"] for i in missing.json()["issues"]} == {"pact.export-fact-missing"}


def test_publishing_a_change_deprecates_the_predecessor(host: Host) -> None:
    doc_id = host.submission_ids[0]
    before: list[dict[str, Any]] = host.client.get("/3/footprints", headers=host.bearer()).json()[
        "data"
    ]
    old = before[0]
    same = host.client.post(
        f"/api/v1/submissions/{doc_id}/pact", params=FACTS, headers=host.bearer()
    )
    assert (same.status_code, same.json()["published"]) == (200, False)
    changed = host.client.post(
        f"/api/v1/submissions/{doc_id}/pact",
        params={**FACTS, "fossilCarbonContent": "31"},
        headers=host.bearer(),
    )
    assert changed.status_code == 201
    new = changed.json()["data"]
    assert new["precedingPfIds"] == [old["id"]]
    after = host.client.get("/3/footprints", headers=host.bearer()).json()["data"]
    status = {pf["id"]: pf["status"] for pf in after}
    assert status[old["id"]] == "Deprecated"
    assert status[new["id"]] == "Active"
    active = host.client.get("/3/footprints?status=active", headers=host.bearer()).json()["data"]
    assert old["id"] not in {pf["id"] for pf in active}


def test_fulfilled_event_footprints_are_kept(host: Host) -> None:
    body = {
        "specversion": "1.0",
        "id": "answer-1",
        "source": "https://supplier.example/3/events",
        "time": "2026-06-01T11:00:00Z",
        "type": "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
        "data": {"requestEventId": "ours-1", "pfs": [v3_footprint()]},
    }
    headers = {**host.bearer(), "Content-Type": "application/cloudevents+json"}
    assert host.client.post("/3/events", json=body, headers=headers).status_code == 200
    bad = json.loads(json.dumps(body))
    bad["data"]["pfs"][0]["pcf"]["declaredUnitAmount"] = "0"
    bad["data"]["pfs"][0]["id"] = "6f1c2a7e-5b8d-4c6e-9a1f-2d3e4b5c6a7f"
    answer = host.client.post("/3/events", json=bad, headers=headers)
    assert answer.status_code == 400
    assert "declaredUnitAmount" in answer.json()["message"]
