"""A statement tells the account as it stood on its `to` date: its aging ages that day's closing
balance (not what is due today) and sums to it; an offline payment is dated by the day it was paid,
which cannot be after today."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.ids import utc_today
from tests.support import ApiClient, Customer, PortalHandle, create_invoice

TOTAL = 240_00  # create_invoice's default: 2 × 100.00 + 20 % VAT


def days_ago(days: int) -> str:
    return (utc_today() - timedelta(days=days)).isoformat()


def aging_of(api: ApiClient, first: str, last: str) -> tuple[int, dict[str, int]]:
    answer = api.get(f"/statement?from={first}&to={last}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body: Any = answer.json
    return body["closing_balance"]["amount"], {k: v["amount"] for k, v in body["aging"].items()}


def record_offline(staff: ApiClient, invoice_id: str, amount: int, paid_on: str) -> Any:
    return staff.post(
        f"/staff/invoices/{invoice_id}/payments",
        {"amount": amount, "paid_on": paid_on, "method": "bank_transfer"},
    )


def test_a_past_range_ages_what_was_owed_on_its_last_day_and_sums_to_its_closing(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    old = create_invoice(staff, customer.customer_id, days_ago(70))  # due 40 days ago
    newer = create_invoice(staff, customer.customer_id, days_ago(25))  # due in 5 days
    paid = record_offline(staff, old["invoice_id"], TOTAL, days_ago(2))  # settled after the range
    assert paid.status_code == 200, paid.get_data(as_text=True)
    part = record_offline(staff, newer["invoice_id"], 40_00, days_ago(1))
    assert part.status_code == 200, part.get_data(as_text=True)
    portal.drain()

    # on 10 days ago both were unpaid: the old one 30 days overdue, the newer one not yet due
    closing, aging = aging_of(customer.api, days_ago(90), days_ago(10))
    assert closing == 2 * TOTAL
    assert aging == {
        "current": TOTAL,
        "days_1_30": TOTAL,
        "days_31_60": 0,
        "days_61_90": 0,
        "days_over_90": 0,
    }
    # today: only what is left of the newer one (its due date still ahead)
    closing, aging = aging_of(customer.api, days_ago(90), days_ago(0))
    assert closing == TOTAL - 40_00
    assert aging["current"] == TOTAL - 40_00 and sum(aging.values()) == closing


def test_an_offline_payment_dated_after_today_is_refused_and_nothing_is_written(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(staff, customer.customer_id, days_ago(3))
    tomorrow = (utc_today() + timedelta(days=1)).isoformat()
    refused = record_offline(staff, invoice["invoice_id"], 10_00, tomorrow)
    assert refused.status_code == 400, refused.get_data(as_text=True)
    assert refused.json["error"]["details"][0]["field"] == "paid_on"
    after = staff.get(f"/staff/invoices/{invoice['invoice_id']}").json
    assert after["amount_paid"]["amount"] == 0 and after["payments"] == []
    assert record_offline(staff, invoice["invoice_id"], 10_00, days_ago(0)).status_code == 200
