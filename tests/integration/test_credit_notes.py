"""Credit notes end to end: staff issue one against an invoice and apply it (the invoices service
lowers the invoice's amount due, once, however often the event arrives), refund part of another and
void a third; a contact asks for a credit note (capped by what is left to credit on the invoice),
staff approve or reject it, and the contact sees the outcome; PDFs read back with pypdf."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from tests.support import ApiClient, Customer, PortalHandle, create_invoice, mails_to, sent_messages

PDF = {"Accept": "application/pdf"}


@pytest.fixture
def restore_preferences(portal: PortalHandle) -> Iterator[None]:
    from services.customers import store
    from services.customers.logic import use_cases

    before = store.tenant_settings()
    yield
    if before is not None:
        use_cases.set_preferences(before.preferences)
    portal.drain()


def issued_invoice(portal: PortalHandle, staff: ApiClient, customer: Customer) -> Any:
    """A 240.00 USD invoice (200 + 20 % VAT), known to the credit-notes service."""
    invoice = create_invoice(staff, customer.customer_id, "2026-11-01")
    portal.drain()
    return invoice


def issue_note(staff: ApiClient, customer: Customer, amount: int, **extra: Any) -> Any:
    body = {
        "customer_id": customer.customer_id,
        "currency": "USD",
        "reason": "Goodwill",
        "lines": [{"description": "Goodwill credit", "quantity": 1, "unit_price": amount}],
        **extra,
    }
    created = staff.post("/staff/credit-notes", body)
    assert created.status_code == 201, created.get_data(as_text=True)
    return created.json


def test_staff_issue_and_apply_a_credit_note_and_the_invoice_amount_due_falls(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = issued_invoice(portal, staff, customer)
    invoice_id = invoice["invoice_id"]
    note = issue_note(staff, customer, 100_00, invoice_id=invoice_id)
    assert note["status"] == "open" and note["invoice_number"] == invoice["number"]
    assert note["remaining"] == {"amount": 100_00, "currency": "USD"}
    note_id = note["credit_note_id"]

    too_much = staff.post(
        f"/staff/credit-notes/{note_id}/apply", {"invoice_id": invoice_id, "amount": 100_01}
    )
    assert too_much.status_code == 409  # more than remains of the note
    applied = staff.post(f"/staff/credit-notes/{note_id}/apply", {"invoice_id": invoice_id, "amount": 60_00})
    assert applied.status_code == 200, applied.get_data(as_text=True)
    assert applied.json["remaining"]["amount"] == 40_00
    [application] = applied.json["applications"]
    assert application["invoice_number"] == invoice["number"] and application["amount"]["amount"] == 60_00
    portal.drain()

    seen = customer.api.get(f"/invoices/{invoice_id}").json
    assert seen["amount_due"]["amount"] == 240_00 - 60_00
    credit_entries = [entry for entry in seen["payments"] if entry["kind"] == "credit_note"]
    assert [entry["amount"]["amount"] for entry in credit_entries] == [60_00]

    # A redelivered CreditNoteApplied changes nothing: applied once per application id.
    from services.invoices.logic.payments import apply_allocation
    from shared.event_models import Allocation
    from shared.money import Money

    again = Allocation(
        invoice_id=invoice_id, invoice_number=invoice["number"], amount=Money(amount=60_00, currency="USD")
    )
    assert apply_allocation(again, application["application_id"], "credit_note", "credit_note", None) is False
    assert customer.api.get(f"/invoices/{invoice_id}").json["amount_due"]["amount"] == 180_00

    # The projection now knows 180.00 is due: more than that cannot be applied.
    other = issue_note(staff, customer, 200_00)
    over_due = staff.post(
        f"/staff/credit-notes/{other['credit_note_id']}/apply", {"invoice_id": invoice_id, "amount": 180_01}
    )
    assert over_due.status_code == 409, over_due.get_data(as_text=True)

    detail = customer.api.get(f"/credit-notes/{note_id}")
    assert detail.status_code == 200
    assert detail.json["applied"]["amount"] == 60_00 and detail.json["remaining"]["amount"] == 40_00
    listed = customer.api.get("/credit-notes").json["items"]
    assert {item["credit_note_id"] for item in listed} == {note_id, other["credit_note_id"]}
    assert [i["credit_note_id"] for i in customer.api.get("/credit-notes?status=closed").json["items"]] == []


def test_refund_void_and_their_limits(portal: PortalHandle, staff: ApiClient, customer: Customer) -> None:
    note = issue_note(staff, customer, 50_00)
    note_id = note["credit_note_id"]
    over = staff.post(f"/staff/credit-notes/{note_id}/refund", {"amount": 50_01, "method": "bank_transfer"})
    assert over.status_code == 409
    refunded = staff.post(
        f"/staff/credit-notes/{note_id}/refund",
        {"amount": 20_00, "method": "bank_transfer", "reference": "TX-9"},
    )
    assert refunded.status_code == 200, refunded.get_data(as_text=True)
    assert refunded.json["remaining"]["amount"] == 30_00
    assert refunded.json["refunds"][0]["reference"] == "TX-9"
    assert staff.post(f"/staff/credit-notes/{note_id}/void").status_code == 409  # something was refunded
    rest = staff.post(f"/staff/credit-notes/{note_id}/refund", {"amount": 30_00})
    assert rest.json["status"] == "closed" and rest.json["remaining"]["amount"] == 0
    assert staff.post(f"/staff/credit-notes/{note_id}/refund", {"amount": 1}).status_code == 409

    fresh = issue_note(staff, customer, 10_00)
    voided = staff.post(f"/staff/credit-notes/{fresh['credit_note_id']}/void")
    assert voided.status_code == 200 and voided.json["status"] == "void"
    assert voided.json["remaining"]["amount"] == 0
    assert staff.post(f"/staff/credit-notes/{fresh['credit_note_id']}/void").status_code == 409

    bad = staff.post(f"/staff/credit-notes/{note_id}/refund", {"amount": 0})
    assert bad.status_code == 400
    assert customer.api.post(f"/staff/credit-notes/{note_id}/void").status_code == 403  # contacts refused


def test_a_contact_requests_a_credit_note_within_what_is_left_and_staff_answer(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = issued_invoice(portal, staff, customer)
    invoice_id = invoice["invoice_id"]
    issue_note(staff, customer, 40_00, invoice_id=invoice_id)  # 240 − 40 = 200 left to credit
    portal.drain()
    issued_mails = [m for m in mails_to(customer.email) if str(m["Subject"]).startswith("Credit note CN-")]
    assert len(issued_mails) == 1  # staff issued one directly: the contacts are told
    since = len(sent_messages())

    over = customer.api.post(
        "/credit-note-requests", {"invoice_id": invoice_id, "amount": 200_01, "reason": "x"}
    )
    assert over.status_code == 409, over.get_data(as_text=True)
    assert (
        customer.api.post(
            "/credit-note-requests", {"invoice_id": invoice_id, "amount": 0, "reason": "x"}
        ).status_code
        == 400
    )
    first = customer.api.post(
        "/credit-note-requests", {"invoice_id": invoice_id, "amount": 150_00, "reason": "Two seats unused"}
    )
    assert first.status_code == 201, first.get_data(as_text=True)
    # 150 are pending: only 50 more can be asked for
    assert (
        customer.api.post(
            "/credit-note-requests", {"invoice_id": invoice_id, "amount": 50_01, "reason": "y"}
        ).status_code
        == 409
    )
    second = customer.api.post(
        "/credit-note-requests", {"invoice_id": invoice_id, "amount": 50_00, "reason": "Late"}
    )
    assert second.status_code == 201

    queue = staff.get("/staff/credit-note-requests?status=requested").json["items"]
    assert {first.json["request_id"], second.json["request_id"]} <= {item["request_id"] for item in queue}

    rejected = staff.post(
        f"/staff/credit-note-requests/{second.json['request_id']}/reject", {"reason": "Delivered on time"}
    )
    assert rejected.status_code == 200 and rejected.json["status"] == "rejected"
    approved = staff.post(f"/staff/credit-note-requests/{first.json['request_id']}/approve", {"apply": True})
    assert approved.status_code == 200, approved.get_data(as_text=True)
    note = approved.json["credit_note"]
    assert note["lines"][0]["description"] == f"Credit for {invoice['number']}: Two seats unused"
    assert note["total"]["amount"] == 150_00 and note["remaining"]["amount"] == 0
    assert staff.post(f"/staff/credit-note-requests/{first.json['request_id']}/approve").status_code == 409
    portal.drain()

    staff_me = str(staff.get("/me").json["email"])
    alerts = [
        m for m in mails_to(staff_me, since) if "asked for a credit note of $150.00" in str(m["Subject"])
    ]
    assert len(alerts) == 1
    answers = sorted(
        str(m["Subject"]) for m in mails_to(customer.email, since) if "request" in str(m["Subject"])
    )
    assert answers == [
        f"Your credit note request on {invoice['number']} was {outcome}"
        for outcome in ("approved", "rejected")
    ]
    feed = [entry["title"] for entry in customer.api.get("/activity").json["items"]]
    assert f"Credit note request on {invoice['number']} approved" in feed

    assert customer.api.get(f"/invoices/{invoice_id}").json["amount_due"]["amount"] == 240_00 - 150_00
    mine = {item["request_id"]: item for item in customer.api.get("/credit-note-requests").json["items"]}
    assert mine[first.json["request_id"]]["status"] == "approved"
    assert mine[first.json["request_id"]]["credit_note_id"] == note["credit_note_id"]
    assert mine[second.json["request_id"]]["answer"] == "Delivered on time"
    # the rejected 50 are free again: 240 − 40 − 150 = 50 left
    assert (
        customer.api.post(
            "/credit-note-requests", {"invoice_id": invoice_id, "amount": 50_00, "reason": "z"}
        ).status_code
        == 201
    )

    pdf = customer.api.get(f"/credit-notes/{note['credit_note_id']}/pdf", headers=PDF)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert note["number"] in text and invoice["number"] in text and "Two seats unused" in text
    assert "150.00" in text
    json_only = customer.api.get(
        f"/credit-notes/{note['credit_note_id']}/pdf", headers={"Accept": "application/json"}
    )
    assert json_only.status_code == 406


def test_another_customers_documents_answer_404(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    invoice = issued_invoice(portal, staff, other)
    note = issue_note(staff, other, 10_00)
    assert customer.api.get(f"/credit-notes/{note['credit_note_id']}").status_code == 404
    assert customer.api.get(f"/credit-notes/{note['credit_note_id']}/pdf", headers=PDF).status_code == 404
    asked = customer.api.post(
        "/credit-note-requests", {"invoice_id": invoice["invoice_id"], "amount": 1_00, "reason": "x"}
    )
    assert asked.status_code == 404
    assert customer.api.get("/credit-notes").json["items"] == []
    # staff cannot apply one customer's note to another's invoice
    mine = issue_note(staff, customer, 10_00)
    crossed = staff.post(
        f"/staff/credit-notes/{mine['credit_note_id']}/apply",
        {"invoice_id": invoice["invoice_id"], "amount": 1_00},
    )
    assert crossed.status_code == 400


@pytest.mark.usefixtures("restore_preferences")
def test_module_off_and_request_action_off_answer_403(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = issued_invoice(portal, staff, customer)
    preferences = staff.get("/staff/portal/preferences").json
    preferences["actions"]["request_credit_notes"] = False
    assert staff.put("/staff/portal/preferences", preferences).status_code == 200
    portal.drain()
    refused = customer.api.post(
        "/credit-note-requests", {"invoice_id": invoice["invoice_id"], "amount": 1_00, "reason": "x"}
    )
    assert refused.status_code == 403 and refused.json["error"]["code"] == "module_disabled"
    assert customer.api.get("/credit-notes").status_code == 200  # reading stays
    preferences["modules"]["credit_notes"] = False
    assert staff.put("/staff/portal/preferences", preferences).status_code == 200
    portal.drain()
    assert customer.api.get("/credit-notes").status_code == 403
    assert customer.api.get("/credit-note-requests").status_code == 403
