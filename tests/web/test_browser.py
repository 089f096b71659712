"""The web pages in a real browser: Debian's chromium driven by playwright (never a downloaded one).

Against a real server (``compliance serve --demo``, uvicorn subprocess, SQLite in a temporary
data directory): a supplier signs in, uploads an invalid submission and sees its located issues;
an auditor opens a submission from the dashboard, sees its trace and downloads its PDF; the
passport's QR URL answers HTML to the browser (English and Japanese) and JSON to a machine.

Skipped with the reason when ``/usr/bin/chromium`` is missing, except in CI (``CI=true``), where a
missing browser fails the test: ``scripts/install-system-packages`` installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import ROOT, LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing in CI: scripts/install-system-packages installs it")
        pytest.skip(f"{CHROMIUM} is not installed (scripts/install-system-packages installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def sign_in(page: Any, server: LiveServer, username: str) -> None:
    account = server.account(username)
    page.goto(server.base_url + "/web/")
    assert page.url.startswith(server.base_url + "/web/login"), page.url  # redirected
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", account["password"])
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(server.base_url + "/web/")


def test_supplier_uploads_a_file_and_sees_its_issues(browser: Any, live_server: LiveServer) -> None:
    page = browser.new_page()
    sign_in(page, live_server, "supplier1")
    page.click("nav >> text=Upload")
    page.select_option("select[name=kind]", "submission")
    invalid = ROOT / "examples" / "submissions" / "invalid" / "semantic-errors.json"
    page.set_input_files("input[name=file]", str(invalid))
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("table.issues")
    status = page.inner_text("section.result [role=status]")
    assert "invalid, 5 errors" in status
    rows = page.locator("table.issues tbody tr")
    found = {(rows.nth(i).locator("td").nth(1).inner_text(), rows.nth(i).locator("td").nth(2)
              .inner_text()) for i in range(rows.count())}  # fmt: skip
    assert ("semantic.vehicle-class-missing", "/battery/vehicleClass") in found
    assert ("semantic.duplicate-id", "/billOfMaterials/1/id") in found
    # The stored version is on the supplier's dashboard, flagged invalid.
    page.click("nav >> text=Dashboard")
    assert page.locator("table.documents .status-invalid").count() >= 2
    page.close()


def test_auditor_opens_a_submission_and_downloads_its_pdf(
    browser: Any, live_server: LiveServer
) -> None:
    page = browser.new_page(accept_downloads=True)
    sign_in(page, live_server, "auditor")
    page.fill("input[name=q]", "NMC811")
    page.click("form.filters button[type=submit]")
    links = page.locator("table.documents tbody a")
    assert links.count() == 1
    assert links.first.inner_text() == "DBS-EV80-NMC811"
    links.first.click()
    page.wait_for_selector("h1:text('DBS-EV80-NMC811')")
    assert "82.5 kg CO2e/kWh" in page.inner_text("table.fields")
    assert page.locator("table.trace tbody tr").count() > 10  # the calculation trace
    with page.expect_download(timeout=180_000) as download_info:
        page.click("button[data-report=cfp-en]")
    download = download_info.value
    assert download.suggested_filename.startswith("cfp-en-")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 20_000
    page.close()


def test_qr_url_answers_html_to_browsers_and_json_to_machines(
    browser: Any, live_server: LiveServer
) -> None:
    (line,) = live_server.loaded("operator", "passport /01/")
    url = live_server.base_url + line.split(" ", 1)[1]
    page = browser.new_page()
    response = page.goto(url)
    assert response is not None
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert page.inner_text("h1") == "Battery passport"
    assert "DBS-EV80-NMC811" in page.inner_text("main")
    # The QR code on the page encodes this very URL (GS1 Digital Link), shown beside it.
    assert url in page.inner_text("figure.qr figcaption").replace("\n", "")
    # Only the public view: values of the restricted levels (Annex XIII points 2-4) are absent.
    text = page.content()
    assert "346417-97-8" not in text  # a material's CAS number (legitimate interest)
    assert "un38-3-summary.pdf" not in text  # a test report (authorities)
    assert "2027-05-10" not in text
    assert "10 May 2027" not in text
    page.goto(url + "?lang=ja")
    assert page.inner_text("h1") == "電池パスポート"
    machine = page.request.get(url, headers={"Accept": "application/json"})
    assert machine.status == 200
    body = machine.json()
    assert body["accessLevel"] == "public"
    assert body["passport"]["gs1DigitalLink"] == url
    assert (
        "legitimateInterest" not in body["passport"] or not body["passport"]["legitimateInterest"]
    )
    page.close()
