"""The web pages in-process (TestClient), on SQLite and PostgreSQL: sign-in, CSRF, tenancy,
dashboard filters, upload with located issues, the document page, languages, and the public
passport by content negotiation."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests.service.conftest import EV, SEMANTIC, World, submit

pytestmark = pytest.mark.with_users


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(world: World, name: str) -> str:
    """Sign ``name`` in through the login form; the session's CSRF token (from a page)."""
    world.client.cookies.clear()
    form = world.client.get("/web/login")
    assert form.status_code == 200
    actor = world[name]
    response = world.client.post(
        "/web/login?next=/web/",
        data={
            "username": actor.username,
            "password": actor.password,
            "csrf_token": _csrf(form.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/web/"
    return _csrf(world.client.get("/web/").text)


def test_pages_need_a_session_and_the_login_form_its_token(world: World) -> None:
    for path in ("/web/", "/web/upload", "/web/submissions/x"):
        response = world.client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/web/login?next=")
    form = world.client.get("/web/login")
    actor = world["auditor"]
    forged = world.client.post(
        "/web/login",
        data={"username": actor.username, "password": actor.password, "csrf_token": "forged"},
    )
    assert forged.status_code == 403
    wrong = world.client.post(
        "/web/login",
        data={"username": actor.username, "password": "nope", "csrf_token": _csrf(form.text)},
    )
    assert wrong.status_code == 401
    assert "Wrong user name or password." in wrong.text
    # A redirect target elsewhere is never followed.
    token = _csrf(world.client.get("/web/login").text)
    off_site = world.client.post(
        "/web/login?next=https://evil.example/",
        data={"username": actor.username, "password": actor.password, "csrf_token": token},
        follow_redirects=False,
    )
    assert off_site.headers["location"] == "/web/"


def test_dashboard_lists_what_the_user_may_see_with_filters_and_search(world: World) -> None:
    submit(world, "operator", EV)
    submit(world, "supplier", SEMANTIC)
    submit(world, "other_supplier", EV)  # not assigned to the auditor
    sign_in(world, "auditor")
    page = world.client.get("/web/").text
    assert page.count('class="status status-') == 2
    assert "DBS-EV80-NMC811" in page
    assert "82.5" in page  # CFP per kWh stored with the version
    assert "Org other_supplier" not in page
    invalid = world.client.get("/web/", params={"status": "invalid"}).text
    assert 'class="status status-invalid"' in invalid
    assert 'class="status status-valid"' not in invalid
    search = world.client.get("/web/", params={"q": "nmc811"}).text
    assert "DBS-EV80-NMC811" in search
    assert 'class="status status-invalid"' not in search
    assert world.client.get("/web/", params={"status": "bogus"}).status_code == 422
    sign_in(world, "supplier")
    own = world.client.get("/web/").text
    assert 'class="status status-invalid"' in own
    assert "DBS-EV80-NMC811" not in own  # the operator's


def test_upload_shows_the_located_issues_at_once_and_needs_the_csrf_token(world: World) -> None:
    token = sign_in(world, "supplier")
    files = {"file": ("semantic-errors.json", SEMANTIC.read_bytes(), "application/json")}
    refused = world.client.post("/web/upload", data={"kind": "submission"}, files=files)
    assert refused.status_code == 403  # no CSRF token
    response = world.client.post(
        "/web/upload", data={"kind": "submission", "csrf_token": token}, files=files
    )
    assert response.status_code == 200
    assert "Stored as version 1: invalid, 5 errors." in response.text
    assert "semantic.vehicle-class-missing" in response.text
    assert "/battery/vehicleClass" in response.text
    listed = world.client.get("/api/v1/submissions", headers=world["supplier"].headers).json()
    assert listed["total"] == 1
    assert listed["items"][0]["valid"] is False
    missing = world.client.post("/web/upload", data={"csrf_token": token}, files=files)
    assert missing.status_code == 422
    assert "Choose the kind and a file." in missing.text
    sign_in(world, "auditor")
    assert world.client.get("/web/upload").status_code == 403  # auditors read only


def test_document_page_shows_issues_and_trace_and_hides_other_tenants(world: World) -> None:
    created = submit(world, "operator", EV).json()
    sign_in(world, "auditor")
    page = world.client.get(f"/web/submissions/{created['id']}")
    assert page.status_code == 200
    assert "cfp.eol-not-modelled" in page.text  # a warning of this submission
    assert 'class="trace"' in page.text
    assert 'data-report="cfp-ja"' in page.text
    sign_in(world, "other_operator")
    assert world.client.get(f"/web/submissions/{created['id']}").status_code == 404


def test_languages_by_query_and_accept_language(world: World) -> None:
    login = world.client.get("/web/login", headers={"Accept-Language": "ja-JP,ja;q=0.9"})
    assert '<html lang="ja">' in login.text
    english = world.client.get("/web/login?lang=en", headers={"Accept-Language": "ja"})
    assert '<html lang="en">' in english.text
    unsupported = world.client.get("/web/login?lang=fr")
    assert unsupported.status_code == 400
    assert unsupported.headers["content-type"] == "application/problem+json"


def _public_path(world: World) -> str:
    created = submit(world, "operator", EV).json()
    made = world.client.post(
        "/api/v1/passports", json={"submission": created["id"]}, headers=world["operator"].headers
    )
    assert made.status_code == 201, made.text
    path: str = made.json()["publicPath"]
    return path


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_public_passport_html_for_browsers_json_for_machines(world: World) -> None:
    path = _public_path(world)
    world.client.cookies.clear()
    page = world.client.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers["vary"]
    assert "<h1>Battery passport</h1>" in page.text
    assert "346417-97-8" not in page.text  # legitimate-interest content never shown
    japanese = world.client.get(path, headers={"Accept": BROWSER, "Accept-Language": "ja"})
    assert "<h1>電池パスポート</h1>" in japanese.text
    machine = world.client.get(path, headers={"Accept": "application/json"})
    assert machine.headers["content-type"] == "application/json"
    body: dict[str, Any] = machine.json()
    assert body["accessLevel"] == "public"
    assert body["passport"]["legitimateInterest"] is None
    forced = world.client.get(path, params={"format": "json"}, headers={"Accept": BROWSER})
    assert forced.json() == body
    assert world.client.get(path, headers={"Accept": "image/png"}).status_code == 406
    assert (
        world.client.get(path, params={"lang": "de"}, headers={"Accept": BROWSER}).status_code
        == 400
    )
    assert (
        world.client.get("/passports/urn%3Auuid%3Anope", headers={"Accept": BROWSER}).status_code
        == 404
    )


def test_the_page_report_button_downloads_the_pdf(world: World) -> None:
    created = submit(world, "operator", EV).json()
    token = sign_in(world, "operator")
    response = world.client.post(
        f"/web/submissions/{created['id']}/reports",
        data={"language": "en", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    status_page = response.headers["location"]
    assert status_page.startswith("/web/reports/")
    for _ in range(600):
        page = world.client.get(status_page, follow_redirects=False)
        if page.headers["content-type"] == "application/pdf":
            break
        assert page.status_code == 200
        assert 'http-equiv="refresh"' in page.text  # reloads itself, no script
        time.sleep(0.2)
    assert page.content.startswith(b"%PDF-")


def test_the_language_links_keep_the_filters(world: World) -> None:
    sign_in(world, "auditor")
    page = world.client.get("/web/", params={"q": "x y", "status": "valid", "lang": "en"}).text
    assert 'href="/web/?q=x+y&amp;status=valid&amp;lang=ja"' in page
