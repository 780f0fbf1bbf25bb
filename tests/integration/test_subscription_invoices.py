"""A subscription's page lists the invoices that billed it: the invoices service issues one per charge,
its events (issued, paid, voided) reach the subscriptions service's own copy, and a redelivered or
older snapshot changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.ids import new_id
from tests.integration.test_subscriptions import change, plan, subscribe
from tests.support import ApiClient, Customer, PortalHandle


@pytest.fixture(autouse=True)
def default_rules(staff: ApiClient) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200


def test_invoices_of_a_subscription_are_listed_with_their_status(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    basic, pro = plan(staff, 10_00), plan(staff, 30_00)
    started = (datetime.now(UTC) - timedelta(days=9)).replace(microsecond=0)
    sub = subscribe(staff, customer, basic["plan_id"], starts_at=started.isoformat())
    other = subscribe(staff, customer, basic["plan_id"])
    assert sub["invoices"] == []
    applied = change(customer, sub["subscription_id"], {"action": "change_plan", "plan_id": pro["plan_id"]})
    assert applied.status_code == 200, applied.get_data(as_text=True)
    portal.drain()

    page = customer.api.get(f"/subscriptions/{sub['subscription_id']}").json
    listed = page["invoices"]
    assert len(listed) == 2  # the first period, then the upgrade's proration
    invoices = customer.api.get("/invoices").json["items"]
    by_id = {invoice["invoice_id"]: invoice for invoice in invoices}
    for shown in listed:
        invoice = by_id[shown["invoice_id"]]
        assert (shown["number"], shown["total"], shown["status"]) == (
            invoice["number"],
            invoice["total"],
            invoice["status"],
        )
    assert sorted(i["total"]["amount"] for i in listed) == sorted([10_00, applied.json["due_now"]["amount"]])
    # the other subscription's invoice is on its own page only
    other_page = customer.api.get(f"/subscriptions/{other['subscription_id']}").json
    assert len(other_page["invoices"]) == 1
    assert not {i["invoice_id"] for i in other_page["invoices"]} & {i["invoice_id"] for i in listed}

    first = next(i for i in listed if i["total"]["amount"] == 10_00)
    paid = staff.post(
        f"/staff/invoices/{first['invoice_id']}/payments",
        {"amount": 10_00, "paid_on": datetime.now(UTC).date().isoformat()},
    )
    assert paid.status_code in (200, 201), paid.get_data(as_text=True)
    portal.drain()
    again = customer.api.get(f"/subscriptions/{sub['subscription_id']}").json["invoices"]
    now_paid = next(i for i in again if i["invoice_id"] == first["invoice_id"])
    assert now_paid["status"] == "paid" and now_paid["amount_due"]["amount"] == 0
    staff_view = staff.get(f"/staff/subscriptions/{sub['subscription_id']}").json
    assert staff_view["invoices"] == again


def test_a_stale_or_repeated_invoice_snapshot_changes_nothing(portal: PortalHandle) -> None:
    from services.subscriptions import store
    from services.subscriptions.logic.invoices import apply_invoice_event
    from shared.event_models import InvoiceIssued, InvoicePaymentRecorded
    from shared.money import Money

    sub_id = new_id()
    facts = {
        "invoice_id": new_id(),
        "customer_id": new_id(),
        "number": "INV-T1",
        "issue_date": "2026-01-31",
        "due_date": "2026-03-02",
        "total": Money(amount=12_34, currency="USD"),
        "subscription_id": sub_id,
    }
    issued = InvoiceIssued(**facts, status="sent", amount_due=facts["total"], invoice_version=1)
    paid = InvoicePaymentRecorded(
        **facts,
        status="paid",
        amount_due=Money.zero("USD"),
        invoice_version=2,
        payment_id=new_id(),
        payment_amount=facts["total"],
        method="cash",
    )
    assert apply_invoice_event(issued) is True
    assert apply_invoice_event(paid) is True
    assert apply_invoice_event(issued) is False  # older, arriving late
    assert apply_invoice_event(paid) is False  # redelivered
    unrelated = InvoiceIssued(
        **{**facts, "subscription_id": None}, status="sent", amount_due=facts["total"], invoice_version=1
    )
    assert apply_invoice_event(unrelated) is False
    _, invoices = store.get_with_invoices(sub_id)
    assert [(i.number, i.status, i.amount_due.amount) for i in invoices] == [("INV-T1", "paid", 0)]


def test_staff_list_a_customers_subscriptions_newest_first(
    staff: ApiClient, customer: Customer, portal: PortalHandle
) -> None:
    basic = plan(staff, 7_00)
    older = subscribe(
        staff, customer, basic["plan_id"], starts_at=(datetime.now(UTC) - timedelta(days=2)).isoformat()
    )
    newer = subscribe(staff, customer, basic["plan_id"])
    listed = staff.get(f"/staff/subscriptions?customer_id={customer.customer_id}")
    assert listed.status_code == 200, listed.get_data(as_text=True)
    assert [i["subscription_id"] for i in listed.json["items"]] == [
        newer["subscription_id"],
        older["subscription_id"],
    ]
    other = portal.new_customer(staff)
    assert staff.get(f"/staff/subscriptions?customer_id={other.customer_id}").json["items"] == []
    assert staff.get("/staff/subscriptions").status_code == 400
    assert customer.api.get(f"/staff/subscriptions?customer_id={customer.customer_id}").status_code == 403
