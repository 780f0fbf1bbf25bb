"""Forwarding as a contact does it: open an invoice, press Forward, pick a colleague, add a message
and send; the page confirms, and the colleague's mailbox has the invoice's PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_portal_slice import sign_in
from tests.support import PASSWORD, PortalHandle, create_invoice, mails_to, sent_messages

pytestmark = pytest.mark.browser


def test_contact_forwards_an_invoice_to_a_colleague(page: Page, base_url: str, portal: PortalHandle) -> None:
    staff = portal.staff()
    customer = portal.new_customer(staff)
    colleague = f"sam.{customer.customer_id.lower()}@colleagues.example"
    added = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Sam", "last_name": "Colleague", "email": colleague, "is_primary": False},
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    invoice = create_invoice(staff, customer.customer_id, "2026-11-02")
    portal.drain()
    since = len(sent_messages())

    sign_in(page, base_url, customer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{base_url}/invoices/{invoice['invoice_id']}")
    expect(page.get_by_role("heading", name=f"Invoice {invoice['number']}", level=1)).to_be_visible()
    page.get_by_role("button", name="Forward").click()
    page.get_by_label("Send the PDF to").select_option(colleague)
    page.get_by_label("Message (optional)").fill("For your records")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Invoice sent to {colleague}")

    portal.drain()
    [mail] = [m for m in mails_to(colleague, since) if "sent you" in str(m["Subject"])]
    assert any(part.get_filename() == f"{invoice['number']}.pdf" for part in mail.iter_attachments())
