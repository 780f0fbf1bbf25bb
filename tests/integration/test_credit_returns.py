"""Money an invoice does not take goes back where it came from, and a refund takes back first the
credit its payment created (issue 21, defects 1 and 4). Each race is made deterministic: the staff's
offline payment is recorded by the invoices service, but the payments (or credit-notes) service's
copy of the invoice is still the old one until `portal.drain()` delivers the events."""

from __future__ import annotations

from typing import Any

import pytest

from shared.ids import new_id
from tests.integration.payments_support import VISA, Pay, open_invoices, paying, start_payment
from tests.integration.test_credit_notes import issue_note
from tests.support import ApiClient, Customer, PortalHandle

INVOICE_TOTAL = 24000  # create_invoice's default: 2 × 100.00 + 20 % VAT


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


def record_offline(staff: ApiClient, invoice: dict[str, Any], amount: int) -> None:
    offline = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": amount, "paid_on": "2026-11-02", "method": "bank_transfer"},
    )
    assert offline.status_code == 200, offline.get_data(as_text=True)


def card_payment_overtaken_by_offline(
    pay: Pay, staff: ApiClient, customer: Customer, invoice: dict[str, Any], offline: int
) -> str:
    """A card payment of the whole invoice is started, staff record `offline` received meanwhile,
    then the contact confirms the card: the invoice takes only what was still due."""
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    record_offline(staff, invoice, offline)
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()
    return str(started.json["payment"]["payment_id"])


def balance(customer: Customer) -> int:
    return int(customer.api.get("/credits").json["balance"]["amount"])


def test_a_full_refund_of_a_card_payment_the_invoice_did_not_take_takes_its_credit_back(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    payment_id = card_payment_overtaken_by_offline(pay, staff, customer, invoice, INVOICE_TOTAL)
    assert balance(customer) == INVOICE_TOTAL  # all of the card money became credit
    detail = customer.api.get(f"/payments/{payment_id}").json
    assert detail["credit_created"]["amount"] == INVOICE_TOTAL

    refunded = staff.post(f"/staff/payments/{payment_id}/refund", {"reason": "paid twice"})
    assert refunded.status_code == 200, refunded.get_data(as_text=True)
    (refund,) = refunded.json["refunds"]
    assert refund["credit_reversed"]["amount"] == INVOICE_TOTAL
    assert refund["allocations"] == []  # nothing of it was on the invoice
    portal.drain()
    assert balance(customer) == 0
    paid = customer.api.get(f"/invoices/{invoice['invoice_id']}").json
    assert paid["status"] == "paid" and paid["amount_due"]["amount"] == 0


def test_a_refund_takes_the_shortfall_credit_first_then_the_invoice_and_refuses_spent_credit(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    first, second = open_invoices(staff, portal, customer, "2026-11-01", "2026-11-02")
    payment_id = card_payment_overtaken_by_offline(pay, staff, customer, first, 4000)
    assert balance(customer) == 4000
    spent = customer.api.post("/credits/apply", {"invoice_id": second["invoice_id"], "amount": 1500})
    assert spent.status_code == 201, spent.get_data(as_text=True)
    portal.drain()

    too_much = staff.post(f"/staff/payments/{payment_id}/refund", {})  # 15.00 of its credit is spent
    assert too_much.status_code in (400, 409), too_much.get_data(as_text=True)
    assert "already used" in too_much.json["error"]["message"]
    assert customer.api.get(f"/payments/{payment_id}").json["refunded"]["amount"] == 0

    refunded = staff.post(f"/staff/payments/{payment_id}/refund", {"amount": INVOICE_TOTAL - 1500})
    assert refunded.status_code == 200, refunded.get_data(as_text=True)
    (refund,) = refunded.json["refunds"]
    assert refund["credit_reversed"]["amount"] == 2500  # the credit it created and is still there …
    assert [a["amount"]["amount"] for a in refund["allocations"]] == [20000]  # … then what the invoice took
    portal.drain()
    assert balance(customer) == 0
    reopened = customer.api.get(f"/invoices/{first['invoice_id']}").json
    assert reopened["amount_due"]["amount"] == 20000


def test_credit_applied_to_an_invoice_staff_just_paid_offline_returns_to_the_balance(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    advance = start_payment(customer, {"amount": INVOICE_TOTAL}, new_id())
    pay.browser.pay_with_card(advance.json["client_secret"], VISA)
    pay.settle_webhooks()
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    record_offline(staff, invoice, INVOICE_TOTAL - 5000)  # payments still believes 240.00 is due
    applied = customer.api.post("/credits/apply", {"invoice_id": invoice["invoice_id"]})
    assert applied.status_code == 201, applied.get_data(as_text=True)
    assert applied.json["allocation"]["amount"]["amount"] == INVOICE_TOTAL
    portal.drain()
    portal.drain()  # a redelivery returns nothing twice

    paid = customer.api.get(f"/invoices/{invoice['invoice_id']}").json
    assert paid["status"] == "paid"
    assert balance(customer) == INVOICE_TOTAL - 5000  # only the 50.00 still due was taken
    kinds = [(e["kind"], e["amount"]["amount"]) for e in customer.api.get("/credits").json["entries"]]
    assert kinds[:2] == [("returned", INVOICE_TOTAL - 5000), ("applied", -INVOICE_TOTAL)]


def test_a_credit_note_applied_to_an_invoice_staff_just_paid_offline_keeps_what_it_did_not_take(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    note = issue_note(staff, customer, 10000)
    portal.drain()
    record_offline(staff, invoice, INVOICE_TOTAL - 3000)  # credit notes still believe 240.00 is due
    path = f"/staff/credit-notes/{note['credit_note_id']}"
    applied = staff.post(f"{path}/apply", {"invoice_id": invoice["invoice_id"], "amount": 10000})
    assert applied.status_code == 200, applied.get_data(as_text=True)
    assert applied.json["status"] == "closed"
    portal.drain()
    portal.drain()

    paid = customer.api.get(f"/invoices/{invoice['invoice_id']}").json
    assert paid["status"] == "paid" and paid["amount_due"]["amount"] == 0
    after = staff.get(path).json
    assert after["status"] == "open"
    assert after["remaining"]["amount"] == 7000  # the invoice took 30.00 of the 100.00
    assert [a["amount"]["amount"] for a in after["applications"]] == [3000]


def test_open_credit_notes_are_part_of_the_one_available_credit(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    """Defect 7: overpayments, advances and open credit notes are all the customer's credit."""
    advance = start_payment(customer, {"amount": 2000}, new_id())
    pay.browser.pay_with_card(advance.json["client_secret"], VISA)
    pay.settle_webhooks()
    note = issue_note(staff, customer, 8000)
    voided = issue_note(staff, customer, 500)
    assert staff.post(f"/staff/credit-notes/{voided['credit_note_id']}/void").status_code == 200
    portal.drain()
    credits = customer.api.get("/credits").json
    assert credits["balance"] == {"amount": 10000, "currency": "USD"}
    assert [(n["number"], n["remaining"]["amount"]) for n in credits["credit_notes"]] == [
        (note["number"], 8000)
    ]
    assert customer.api.get("/dashboard").json["available_credit"] == credits["balance"]

    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    path = f"/staff/credit-notes/{note['credit_note_id']}/apply"
    assert staff.post(path, {"invoice_id": invoice["invoice_id"], "amount": 3000}).status_code == 200
    portal.drain()
    after = customer.api.get("/credits").json
    assert after["balance"]["amount"] == 7000
    assert [n["remaining"]["amount"] for n in after["credit_notes"]] == [5000]
    assert customer.api.get("/dashboard").json["available_credit"]["amount"] == 7000


def test_a_contact_uses_an_open_credit_note_to_pay_an_invoice(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    """Defect 7: credit notes are credit the customer can use, not only staff."""
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    note = issue_note(staff, customer, 8000)
    portal.drain()
    path = f"/credit-notes/{note['credit_note_id']}/apply"
    applied = customer.api.post(path, {"invoice_id": invoice["invoice_id"]})
    assert applied.status_code == 200, applied.get_data(as_text=True)
    assert applied.json["remaining"]["amount"] == 0 and applied.json["status"] == "closed"
    portal.drain()
    assert customer.api.get(f"/invoices/{invoice['invoice_id']}").json["amount_due"]["amount"] == 16000
    assert customer.api.get("/credits").json["credit_notes"] == []
    other = portal.new_customer(staff)
    assert other.api.post(path, {"invoice_id": invoice["invoice_id"]}).status_code == 404
