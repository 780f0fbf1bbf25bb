"""A contact's statement of account: pick a range, see its entries with the running balance, and
download it as PDF and as CSV (both read back: the same entries and closing balance)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from shared.ids import utc_today
from shared.money import Money
from tests.browser.test_portal_slice import sign_in
from tests.support import DemoTenant, PortalHandle

pytestmark = pytest.mark.browser


def test_contact_picks_a_range_and_downloads_the_statement(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    maya = demo.contact(0)
    start, end = (utc_today() - timedelta(days=365)).isoformat(), utc_today().isoformat()
    expected = portal.login(maya.email, maya.password).get(f"/statement?from={start}&to={end}").json
    assert expected["entries"], "the demo tenant's year of history reaches the ledger"

    sign_in(page, base_url, maya.email, maya.password)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Statement").click()
    expect(page.get_by_role("heading", name="Statement of account", level=1)).to_be_visible()
    page.get_by_label("From").fill(start)
    page.get_by_label("To").fill(end)
    rows = page.locator("table.statement tbody tr")
    expect(rows).to_have_count(len(expected["entries"]) + 2)  # opening, entries, closing
    closing = Money.model_validate(expected["closing_balance"])
    expect(rows.last).to_contain_text("Closing balance")
    first = expected["entries"][0]
    expect(rows.nth(1)).to_contain_text(first["reference"])

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download PDF").click()
    pdf = downloading.value
    assert pdf.suggested_filename == f"statement-{start}-{end}.pdf"
    with open(pdf.path(), "rb") as file:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(file.read())).pages)
    assert "STATEMENT OF ACCOUNT" in text and closing.display() in text
    assert all(entry["reference"] in text for entry in expected["entries"])

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download CSV").click()
    sheet = downloading.value
    assert sheet.suggested_filename == f"statement-{start}-{end}.csv"
    with open(sheet.path(), encoding="utf-8") as file:
        table = list(csv.DictReader(file))
    assert [row["reference"] for row in table[1:-1]] == [e["reference"] for e in expected["entries"]]
    assert int(table[-1]["balance"]) == closing.amount
