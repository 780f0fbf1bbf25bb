"""Statements of account end to end: a mixed history driven through the real APIs (invoices issued
and voided, a card payment with an overpayment, an offline payment, a refund) plus credit-note events
put on the bus as the credit-notes service will publish them (that service is not on this branch:
its events come from their models in shared/event_models.py). The ledger must reconcile with the
documents: closing = opening + invoiced − paid − credited + refunded, and closing = what the invoices
still ask − unused credit (the payments credit balance + what the credit notes have left)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from shared.event_models import CreditNoteIssued, CreditNoteRefunded, CreditNoteVoided
from shared.ids import new_id, utc_today
from shared.money import Money
from tests.integration.payments_support import VISA, Pay, paying, start_payment
from tests.integration.test_invoice_payments import publish
from tests.support import ApiClient, Customer, PortalHandle, create_invoice

TOTAL = 240_00  # create_invoice's default: 2 × 100.00 + 20 % VAT


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


def days_ago(days: int) -> str:
    return (utc_today() - timedelta(days=days)).isoformat()


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


def credit_note(kind: type[Any], customer: Customer, note_id: str, version: int, **fields: Any) -> Any:
    base = {
        "credit_note_id": note_id,
        "customer_id": customer.customer_id,
        "number": f"CN-{note_id[-6:]}",
        "issue_date": days_ago(20),
        "invoice_id": None,
        "credit_note_version": version,
    }
    return kind(**{**base, **fields})


def mixed_history(pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer) -> int:
    """Drives the history; answers what the credit notes have left."""
    old, middle, _recent, voided = (
        create_invoice(staff, customer.customer_id, days_ago(days)) for days in (130, 75, 10, 40)
    )
    portal.drain()
    # a card payment of the oldest invoice and 60.00 more (→ credit), then 50.00 of it refunded
    body = {"invoices": [{"invoice_id": old["invoice_id"]}], "amount": TOTAL + 60_00}
    started = start_payment(customer, body, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    payment_id = started.json["payment"]["payment_id"]
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()
    refunded = staff.post(f"/staff/payments/{payment_id}/refund", {"amount": 50_00, "reason": "duplicate"})
    assert refunded.status_code == 200, refunded.get_data(as_text=True)
    offline = staff.post(
        f"/staff/invoices/{middle['invoice_id']}/payments",
        {"amount": 100_00, "paid_on": days_ago(5), "method": "bank_transfer"},
    )
    assert offline.status_code == 200, offline.get_data(as_text=True)
    assert staff.post(f"/staff/invoices/{voided['invoice_id']}/void").status_code == 200
    portal.drain()
    # credit notes: one of 30.00 with 10.00 refunded from it, one of 15.00 voided
    kept, dropped = new_id(), new_id()
    publish(
        portal,
        credit_note(
            CreditNoteIssued,
            customer,
            kept,
            1,
            status="open",
            total=usd(30_00),
            remaining=usd(30_00),
            request_id=None,
        ),
        credit_note(
            CreditNoteRefunded,
            customer,
            kept,
            2,
            status="open",
            total=usd(30_00),
            remaining=usd(20_00),
            refund_id=new_id(),
            refund_amount=usd(10_00),
            method="bank_transfer",
            reference=None,
        ),
        credit_note(
            CreditNoteIssued,
            customer,
            dropped,
            1,
            status="open",
            total=usd(15_00),
            remaining=usd(15_00),
            request_id=None,
        ),
        credit_note(
            CreditNoteVoided, customer, dropped, 2, status="void", total=usd(15_00), remaining=usd(0)
        ),
    )
    return 20_00


def statement(api: ApiClient, query: str) -> Any:
    answer = api.get(f"/statement?{query}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.json


def test_the_statement_reconciles_with_the_documents_in_every_format(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    notes_left = mixed_history(pay, portal, staff, customer)
    today = utc_today().isoformat()
    whole = statement(customer.api, f"from={days_ago(365)}&to={today}")

    assert whole["opening_balance"] == {"amount": 0, "currency": "USD"}
    totals = {name: money["amount"] for name, money in whole["totals"].items()}
    assert totals == {
        "invoiced": 4 * TOTAL - TOTAL,  # four issued, one voided
        "paid": TOTAL + 60_00 + 100_00,
        "credited": 30_00,  # 30 + 15 − 15 voided
        "refunded": 50_00 + 10_00,
    }
    closing = whole["closing_balance"]["amount"]
    assert closing == totals["invoiced"] - totals["paid"] - totals["credited"] + totals["refunded"]
    running = 0
    for entry in whole["entries"]:
        running += entry["amount"]["amount"]
        assert entry["balance"]["amount"] == running
    assert [e["date"] for e in whole["entries"]] == sorted(e["date"] for e in whole["entries"])
    # documents by their own date: the invoices by issue date, the offline payment by the day it was paid
    assert {e["date"] for e in whole["entries"] if e["kind"] == "invoice"} == {
        days_ago(days) for days in (130, 75, 10, 40)
    }
    assert days_ago(5) in {e["date"] for e in whole["entries"] if e["kind"] == "payment"}

    invoices = customer.api.get("/invoices?limit=100").json["items"]
    due = sum(invoice["amount_due"]["amount"] for invoice in invoices if invoice["status"] != "void")
    credits = customer.api.get("/credits").json  # one available credit: payments' + credit notes'
    assert sum(note["remaining"]["amount"] for note in credits["credit_notes"]) == notes_left
    assert closing == due - credits["balance"]["amount"]

    aging = {name: money["amount"] for name, money in whole["aging"].items()}
    assert sum(aging.values()) == closing  # the closing balance on `to`, aged (balance forward)
    # the newest invoice (10 days old, not due yet) holds TOTAL of it, the one issued 75 days ago the rest
    assert aging["current"] == TOTAL and aging["days_31_60"] == closing - TOTAL

    # any split of the range continues: the second part opens where the first closed
    middle = days_ago(30)
    first = statement(customer.api, f"from={days_ago(365)}&to={middle}")
    second = statement(customer.api, f"from={(utc_today() - timedelta(days=29)).isoformat()}&to={today}")
    assert second["opening_balance"] == first["closing_balance"]
    assert second["closing_balance"] == whole["closing_balance"]
    assert len(first["entries"]) + len(second["entries"]) == len(whole["entries"])

    # staff see the same statement
    staffs = staff.get(f"/staff/customers/{customer.customer_id}/statement?from={days_ago(365)}&to={today}")
    assert staffs.status_code == 200 and staffs.json == whole

    # a redelivered fact (another event id, same credit note) adds nothing
    kept = next(e for e in whole["entries"] if e["kind"] == "credit_note_refund")["document_id"]
    publish(
        portal,
        credit_note(
            CreditNoteIssued,
            customer,
            kept,
            1,
            status="open",
            total=usd(30_00),
            remaining=usd(30_00),
            request_id=None,
        ),
    )
    assert statement(customer.api, f"from={days_ago(365)}&to={today}") == whole

    query = f"from={days_ago(365)}&to={today}"
    sheet = customer.api.get(f"/statement?{query}&format=csv")
    assert sheet.status_code == 200 and sheet.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert [row["type"] for row in rows] == [
        "opening_balance",
        *(entry["kind"] for entry in whole["entries"]),
        "closing_balance",
    ]
    assert [int(row["amount"]) for row in rows[1:-1]] == [e["amount"]["amount"] for e in whole["entries"]]
    assert int(rows[-1]["balance"]) == closing

    document = customer.api.get(f"/statement?{query}&format=pdf", headers={"Accept": "application/pdf"})
    assert document.status_code == 200 and document.headers["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.data)).pages)
    assert "STATEMENT OF ACCOUNT" in text
    for entry in whole["entries"]:
        assert entry["reference"] in text
    assert Money(amount=closing, currency="USD").display() in text
    refused = customer.api.get(f"/statement?{query}&format=pdf", headers={"Accept": "application/json"})
    assert refused.status_code == 406


def test_ranges_are_checked_and_access_is_limited(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    this_month = statement(customer.api, "")
    assert this_month["period_from"] == utc_today().replace(day=1).isoformat()
    assert this_month["period_to"] == utc_today().isoformat()
    assert this_month["entries"] == [] and this_month["closing_balance"]["amount"] == 0
    for query in (
        "from=2026-05-02&to=2026-05-01",  # from after to
        "from=2020-01-01&to=2026-01-01",  # over three years
        "from=2026-02-30",  # no such day
        "from=yesterday",
        "format=xml",
        "colour=red",
    ):
        answer = customer.api.get(f"/statement?{query}")
        assert answer.status_code == 400, query
        assert answer.json["error"]["code"] == "validation_failed"

    assert customer.api.get(f"/staff/customers/{customer.customer_id}/statement").status_code == 403
    assert staff.get(f"/staff/customers/{new_id()}/statement").status_code == 404
    assert staff.get("/staff/customers/not-an-id/statement").status_code == 404

    before = staff.get("/staff/portal/preferences").json
    changed = {**before, "modules": {**before["modules"], "statements": False}}
    assert staff.put("/staff/portal/preferences", changed).status_code == 200
    portal.drain()
    try:
        off = customer.api.get("/statement")
        assert off.status_code == 403 and off.json["error"]["code"] == "module_disabled"
    finally:
        restored = staff.get("/staff/portal/preferences").json
        assert (
            staff.put("/staff/portal/preferences", {**restored, "modules": before["modules"]}).status_code
            == 200
        )
        portal.drain()
