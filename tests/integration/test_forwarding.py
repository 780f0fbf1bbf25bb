"""Forwarding invoices and estimates by email, end to end through the real routes and consumers: the
recipient's mail carries the PDF (read back with pypdf); only another contact of the same customer
may receive it unless the tenant allows any address; the customer's forwards are limited per rolling
hour (the next one is a 429 with Retry-After and sends nothing); another customer's document is a 404;
the action turned off is a 403; the PDF is cached in the documents bucket by document version."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from pypdf import PdfReader

from shared import document_files
from tests.support import (
    ApiClient,
    Customer,
    PortalHandle,
    create_estimate,
    create_invoice,
    mails_to,
    sent_messages,
)

PDF = {"Accept": "application/pdf"}


def pdf_attachment(message: EmailMessage) -> tuple[str, str]:
    """(file name, text) of the mail's PDF attachment."""
    for part in message.iter_attachments():
        if part.get_content_type() == "application/pdf":
            content = part.get_payload(decode=True)
            assert isinstance(content, bytes)
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
            return str(part.get_filename()), text
    raise AssertionError("no PDF attached")


def add_colleague(portal: PortalHandle, staff: ApiClient, customer: Customer, name: str) -> str:
    email = f"{name.lower()}.{customer.customer_id.lower()}@colleagues.example"
    added = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": name, "last_name": "Colleague", "email": email, "is_primary": False},
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    portal.drain()
    return email


@pytest.fixture
def preferences(portal: PortalHandle, staff: ApiClient) -> Iterator[Callable[..., None]]:
    """Change the portal preferences for one test (put back afterwards)."""
    from shared.preferences import forget_cached_preferences

    before = staff.get("/staff/portal/preferences").json

    def change(**changes: Any) -> None:
        assert staff.put("/staff/portal/preferences", json={**before, **changes}).status_code == 200
        portal.drain()
        forget_cached_preferences()

    yield change
    assert staff.put("/staff/portal/preferences", json=before).status_code == 200
    portal.drain()
    forget_cached_preferences()


def test_contact_forwards_an_invoice_to_a_colleague_with_the_pdf(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    colleague = add_colleague(portal, staff, customer, "Maya")
    invoice = create_invoice(staff, customer.customer_id, "2026-11-02")
    portal.drain()

    since = len(sent_messages())
    forwarded = customer.api.post(
        f"/invoices/{invoice['invoice_id']}/forward", {"to": colleague, "message": "For the books"}
    )
    assert forwarded.status_code == 201, forwarded.get_data(as_text=True)
    assert forwarded.json == {"forward_id": forwarded.json["forward_id"], "to": colleague, "remaining": 9}
    portal.drain()

    [mail] = mails_to(colleague, since)
    filename, text = pdf_attachment(mail)
    assert filename == f"{invoice['number']}.pdf"
    assert invoice["number"] in text and "Design sprint" in text
    assert "For the books" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    feed = customer.api.get("/activity").json["items"]
    forwards = [item["title"] for item in feed if item["type"] == "document_forwarded"]
    assert len(forwards) == 1 and invoice["number"] in forwards[0] and colleague in forwards[0]
    staff_feed = staff.get(f"/staff/activity?customer_id={customer.customer_id}&type=document_forwarded")
    assert [item["title"] for item in staff_feed.json["items"]] == forwards


def test_an_estimate_is_forwarded_the_same_way(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    colleague = add_colleague(portal, staff, customer, "Noor")
    estimate = create_estimate(staff, customer.customer_id)
    since = len(sent_messages())
    forwarded = customer.api.post(f"/estimates/{estimate['estimate_id']}/forward", {"to": colleague})
    assert forwarded.status_code == 201, forwarded.get_data(as_text=True)
    portal.drain()
    [mail] = mails_to(colleague, since)
    filename, text = pdf_attachment(mail)
    assert filename == f"{estimate['number']}.pdf" and estimate["number"] in text


def test_only_a_contact_of_the_customer_may_receive_unless_the_tenant_allows_any(
    portal: PortalHandle, staff: ApiClient, customer: Customer, preferences: Callable[..., None]
) -> None:
    invoice = create_invoice(staff, customer.customer_id, "2026-11-02")
    outsider = "someone@elsewhere.example"
    since = len(sent_messages())

    refused = customer.api.post(f"/invoices/{invoice['invoice_id']}/forward", {"to": outsider})
    assert refused.status_code == 400
    assert refused.json["error"]["details"][0]["field"] == "to"
    bad = customer.api.post(f"/invoices/{invoice['invoice_id']}/forward", {"to": "not an address"})
    assert bad.status_code == 400
    portal.drain()
    assert mails_to(outsider, since) == []

    preferences(documents={"forward_to_any_address": True, "forwards_per_hour": 10})
    allowed = customer.api.post(f"/invoices/{invoice['invoice_id']}/forward", {"to": outsider})
    assert allowed.status_code == 201, allowed.get_data(as_text=True)
    portal.drain()
    assert len(mails_to(outsider, since)) == 1


def test_the_eleventh_forward_in_an_hour_is_429_and_sends_nothing(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    colleague = add_colleague(portal, staff, customer, "Lee")
    invoice = create_invoice(staff, customer.customer_id, "2026-11-02")
    path = f"/invoices/{invoice['invoice_id']}/forward"
    portal.drain()  # the issue email (the colleague is a contact too) before counting
    since = len(sent_messages())
    for _ in range(10):
        assert customer.api.post(path, {"to": colleague}).status_code == 201
    estimate = create_estimate(staff, customer.customer_id)
    limited = customer.api.post(path, {"to": colleague})
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    portal.drain()
    assert len(mails_to(colleague, since)) == 10
    # Estimates keep their own count (another service's table): the invoice limit does not block them.
    assert (
        customer.api.post(f"/estimates/{estimate['estimate_id']}/forward", {"to": colleague}).status_code
        == 201
    )


def test_another_customers_document_is_404_and_the_action_off_is_403(
    portal: PortalHandle, staff: ApiClient, customer: Customer, preferences: Callable[..., None]
) -> None:
    other = portal.new_customer(staff)
    colleague = add_colleague(portal, staff, customer, "Ana")
    theirs = create_invoice(staff, other.customer_id, "2026-11-02")
    foreign = customer.api.post(f"/invoices/{theirs['invoice_id']}/forward", {"to": colleague})
    missing = customer.api.post("/invoices/01JZZZZZZZZZZZZZZZZZZZZZZZ/forward", {"to": colleague})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_data() == missing.get_data()

    mine = create_invoice(staff, customer.customer_id, "2026-11-02")
    preferences(actions={"forward_documents": False})
    off = customer.api.post(f"/invoices/{mine['invoice_id']}/forward", {"to": colleague})
    assert off.status_code == 403 and off.json["error"]["code"] == "module_disabled"


def test_a_second_pdf_download_is_served_from_the_cache_until_the_invoice_changes(
    portal: PortalHandle, staff: ApiClient, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = create_invoice(staff, customer.customer_id, "2026-11-02")
    customer.api.get(f"/invoices/{invoice['invoice_id']}")  # first view: a new version (viewed)
    writes: list[str] = []
    real_write = document_files.write
    monkeypatch.setattr(document_files, "write", lambda key, *a: (writes.append(key), real_write(key, *a)))

    first = customer.api.get(f"/invoices/{invoice['invoice_id']}/pdf", headers=PDF)
    second = customer.api.get(f"/invoices/{invoice['invoice_id']}/pdf", headers=PDF)
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert len(writes) == 1  # rendered and stored once
    assert writes[0].startswith(f"invoices/{customer.customer_id}/{invoice['invoice_id']}/v")

    paid = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 10_00, "method": "bank_transfer", "paid_on": "2026-11-03"},
    )
    assert paid.status_code == 200, paid.get_data(as_text=True)
    third = customer.api.get(f"/invoices/{invoice['invoice_id']}/pdf", headers=PDF)
    assert third.status_code == 200 and len(writes) == 2 and writes[1] != writes[0]  # a new version


def test_the_invoice_issued_email_attaches_the_pdf(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    since = len(sent_messages())
    invoice = create_invoice(staff, customer.customer_id, "2026-11-02")
    portal.drain()
    [mail] = [m for m in mails_to(customer.email, since) if invoice["number"] in str(m["Subject"])]
    filename, text = pdf_attachment(mail)
    assert filename == f"{invoice['number']}.pdf" and invoice["number"] in text
