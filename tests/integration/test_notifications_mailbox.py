"""The local mailbox page lists what moto's SES accepted and shows each email as sent."""

from __future__ import annotations

import re

from werkzeug.test import Client

from shared.ids import utc_today
from tests.integration.test_notifications import tenant_defaults  # noqa: F401 (autouse fixture)
from tests.support import ApiClient, Customer, PortalHandle, create_invoice


def test_the_mailbox_lists_sent_emails_and_shows_one_with_clickable_links(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    browser = Client(portal.gateway)

    listing = browser.get(f"/_local/mail?to={customer.email}")
    assert listing.status_code == 200 and listing.content_type.startswith("text/html")
    page = listing.get_data(as_text=True)
    assert "Sent emails (1)" in page
    [href] = re.findall(r"href='(/_local/mail/[^']+)'>Invoice " + invoice["number"], page)

    shown = browser.get(href).get_data(as_text=True)
    assert f"<dd>{customer.email}</dd>" in shown
    assert "<iframe" in shown and "target=&#x27;_top&#x27;" in shown  # links leave the frame
    assert f"/invoices/{invoice['invoice_id']}" in shown  # the portal link, inside the HTML part
    assert "Hi Casey Contact" in shown  # the plain-text part

    raw = browser.get(href + ".eml")
    assert raw.content_type == "message/rfc822"
    assert f"To: {customer.email}" in raw.get_data(as_text=True)

    everything = browser.get("/_local/mail/messages.json").json
    mine = [m for m in everything if m["to"] == customer.email]  # type: ignore[union-attr]
    assert [m["subject"].split(":")[0] for m in mine] == [
        f"Invoice {invoice['number']} from RenoTech Solutions"
    ]
    assert browser.get("/_local/mail/nope").status_code == 404


def test_the_mailbox_escapes_what_it_shows(portal: PortalHandle, staff: ApiClient) -> None:
    customer = portal.new_customer(staff)
    listing = Client(portal.gateway).get("/_local/mail?to=<script>").get_data(as_text=True)
    assert "<script>" not in listing and "&lt;script&gt;" in listing
    assert customer.email not in listing
