"""Credit notes as a contact uses them: from an invoice's page, ask for a credit note; staff approve
it (API); the contact sees the outcome, opens the credit note and downloads its PDF."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from shared.ids import utc_today
from tests.browser.test_portal_slice import sign_in
from tests.support import DemoTenant, PortalHandle, create_invoice

pytestmark = pytest.mark.browser


def test_contact_requests_a_credit_note_and_downloads_it_once_approved(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    maya = demo.contact(0)
    api = portal.login(maya.email, maya.password)
    seeded = api.get("/credit-notes").json["items"]
    assert len(seeded) >= 2 and any(note["remaining"]["amount"] > 0 for note in seeded)
    assert any(r["status"] == "requested" for r in api.get("/credit-note-requests").json["items"])
    staff = portal.staff()
    customer_id = api.get("/dashboard").json["customer"]["customer_id"]
    invoice = create_invoice(staff, customer_id, utc_today().isoformat())
    portal.drain()  # the credit-notes service learns of the invoice

    sign_in(page, base_url, maya.email, maya.password)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Credit notes")
    ).to_be_visible()
    page.goto(f"{base_url}/invoices/{invoice['invoice_id']}")
    expect(page.get_by_role("heading", name=f"Invoice {invoice['number']}", level=1)).to_be_visible()
    page.get_by_role("link", name="Request a credit note").click()
    expect(page.get_by_role("heading", name="Credit notes", level=1)).to_be_visible()
    expect(page.get_by_label("Invoice")).to_have_value(invoice["invoice_id"])
    page.get_by_label("Amount").fill("25.50")
    page.get_by_label("Reason").fill("One workshop day was cancelled")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("status")).to_contain_text("Your request was sent")
    mine = page.locator("table.credit-requests tr", has_text="One workshop day was cancelled")
    expect(mine).to_contain_text("Waiting for an answer")

    [request] = [
        r
        for r in staff.get("/staff/credit-note-requests?status=requested&limit=100").json["items"]
        if r["invoice_id"] == invoice["invoice_id"]
    ]
    assert request["amount"] == {"amount": 25_50, "currency": invoice["currency"]}
    approved = staff.post(f"/staff/credit-note-requests/{request['request_id']}/approve", {"apply": True})
    assert approved.status_code == 200, approved.get_data(as_text=True)
    number = approved.json["credit_note"]["number"]
    portal.drain()

    page.reload()
    expect(mine).to_contain_text("Approved")
    mine.get_by_role("link", name="Approved").click()
    expect(page.get_by_role("heading", name=f"Credit note {number}", level=1)).to_be_visible()
    applied = page.locator("table.applied tr", has_text=invoice["number"])
    expect(applied).to_be_visible()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download PDF").click()
    with open(downloading.value.path(), "rb") as file:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(file.read())).pages)
    assert number in text and invoice["number"] in text and "One workshop day was cancelled" in text
