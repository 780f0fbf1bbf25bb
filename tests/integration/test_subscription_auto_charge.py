"""Auto-charge and dunning: a subscription's invoice is charged to the default saved method once
(payments is the only writer of payments); a failed auto-charge is retried 1, 3 and 5 days after the
first failure (each retry asked for once, however often the job runs), the failure after the last makes
the subscription `unpaid`, and the invoice paid makes it live again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.integration.payments_support import VISA, Pay, paying
from tests.integration.test_subscription_renewals import JOB
from tests.support import ApiClient, Customer, PortalHandle, bus_spy, spied

AUTH_ALWAYS = "4000002760003184"  # saved after 3-D Secure; declined off session (authentication_required)


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


def save_card(pay: Pay, customer: Customer, number: str) -> None:
    started = customer.api.post("/payment-methods")
    assert started.status_code == 201, started.get_data(as_text=True)
    secret = started.json["client_secret"]
    confirmed = pay.browser.confirm(secret, pay.browser.card(number, exp="08/31"))
    if confirmed.get("status") == "requires_action":
        confirmed = pay.browser.authenticate(secret)
    assert confirmed.get("status") == "succeeded", confirmed
    methods = customer.api.get(f"/payment-methods?setup_id={started.json['setup_id']}").json
    assert methods["default_method_id"] is not None
    assert customer.api.put("/payment-methods/auto-charge", {"enabled": True}).json["auto_charge"] is True


def subscribe(staff: ApiClient, customer: Customer, amount: int) -> dict[str, Any]:
    plan = staff.post(
        "/staff/catalog/plans", {"name": f"Auto {amount}", "currency": "USD", "unit_amount": amount}
    )
    created = staff.post(
        "/staff/subscriptions", {"customer_id": customer.customer_id, "plan_id": plan.json["plan_id"]}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    return dict(created.json)


def settle(pay: Pay, portal: PortalHandle, rounds: int = 4) -> None:
    for _ in range(rounds):  # invoice → charge request → payment → invoice paid → subscription
        portal.drain()
        pay.settle_webhooks()


def test_a_subscription_invoice_is_auto_charged_once(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    save_card(pay, customer, VISA)
    spy = bus_spy(
        portal, {"source": ["portal.subscriptions"], "detail-type": ["SubscriptionChargeRequested"]}
    )
    sub = subscribe(staff, customer, 19_00)
    settle(pay, portal)
    page = customer.api.get(f"/subscriptions/{sub['subscription_id']}").json
    [invoice] = page["invoices"]
    assert invoice["status"] == "paid" and invoice["amount_due"]["amount"] == 0
    payments = customer.api.get("/payments").json["items"]
    assert [(p["status"], p["amount"]["amount"]) for p in payments] == [("succeeded", 19_00)]
    [request] = spied(spy)
    assert request["detail"]["data"]["attempt"] == 1
    assert request["detail"]["data"]["invoice_id"] == invoice["invoice_id"]
    assert page["dunning"] is None and page["status"] == "live"


def test_without_auto_charge_nothing_is_charged(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    sub = subscribe(staff, customer, 11_00)
    settle(pay, portal, rounds=2)
    [invoice] = customer.api.get(f"/subscriptions/{sub['subscription_id']}").json["invoices"]
    assert invoice["status"] == "sent"
    assert customer.api.get("/payments").json["items"] == []


def test_failed_auto_charges_are_retried_then_unpaid_then_live_when_paid(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    save_card(pay, customer, AUTH_ALWAYS)
    spy = bus_spy(
        portal, {"source": ["portal.subscriptions"], "detail-type": ["SubscriptionChargeRequested"]}
    )
    sub = subscribe(staff, customer, 23_00)
    sub_id = sub["subscription_id"]
    settle(pay, portal)
    page = customer.api.get(f"/subscriptions/{sub_id}").json
    assert page["status"] == "live" and page["dunning"]["failures"] == 1
    first_retry = datetime.fromisoformat(page["dunning"]["next_retry_at"])
    now = datetime.now(UTC)
    assert timedelta(hours=23) < first_retry - now <= timedelta(days=1)

    # nothing before the retry is due; then each retry is asked for once, however often the job runs
    assert portal.local.worker.run_schedule(JOB, first_retry - timedelta(seconds=5))["retried"] == 0
    expected_retries = [1, 3, 5]
    for attempt, days in enumerate(expected_retries, start=2):
        due = datetime.fromisoformat(
            customer.api.get(f"/subscriptions/{sub_id}").json["dunning"]["next_retry_at"]
        )
        first_failed = first_retry - timedelta(days=1)
        assert due == first_failed + timedelta(days=days)
        at = due + timedelta(seconds=1)
        assert portal.local.worker.run_schedule(JOB, at)["retried"] == 1
        assert portal.local.worker.run_schedule(JOB, at)["retried"] == 0
        settle(pay, portal)
        page = customer.api.get(f"/subscriptions/{sub_id}").json
        assert page["dunning"]["failures"] == attempt
    assert page["status"] == "unpaid" and page["dunning"]["next_retry_at"] is None
    assert page["next_renewal_at"] is None and page["allowed"] == []
    attempts = sorted(event["detail"]["data"]["attempt"] for event in spied(spy))
    assert attempts == [1, 2, 3, 4]
    failed = [p for p in customer.api.get("/payments").json["items"] if p["status"] == "failed"]
    assert len(failed) == 4  # one payment per attempt, each written by payments

    # the contact (or staff) pays the invoice: the subscription is live again, the dunning over
    invoice = page["invoices"][0]
    paid = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": invoice["amount_due"]["amount"], "paid_on": datetime.now(UTC).date().isoformat()},
    )
    assert paid.status_code in (200, 201), paid.get_data(as_text=True)
    settle(pay, portal, rounds=2)
    page = customer.api.get(f"/subscriptions/{sub_id}").json
    assert page["status"] == "live" and page["dunning"] is None and page["next_renewal_at"] is not None


def test_credit_pays_a_subscription_invoice_before_the_card_is_charged(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    save_card(pay, customer, VISA)
    advance = customer.api.post(
        "/payments", {"amount": 30_00}, headers={"Idempotency-Key": f"adv-{customer.customer_id}"}
    )
    assert advance.status_code == 201, advance.get_data(as_text=True)
    pay.browser.pay_with_card(advance.json["client_secret"], VISA)
    pay.settle_webhooks()
    assert customer.api.get("/credits").json["balance"]["amount"] == 30_00
    worker = portal.local.worker
    worker.retry_visibility_seconds = 0  # a request waiting for its credit to land comes back at once
    try:
        covered = subscribe(staff, customer, 19_00)  # credit covers it all: the card is not charged
        settle(pay, portal)
        partly = subscribe(staff, customer, 23_00)  # 11.00 of credit left: the card pays 12.00
        settle(pay, portal)
    finally:
        worker.retry_visibility_seconds = 2
    for sub in (covered, partly):
        [invoice] = customer.api.get(f"/subscriptions/{sub['subscription_id']}").json["invoices"]
        assert (invoice["status"], invoice["amount_due"]["amount"]) == ("paid", 0)
    cards = [p["amount"]["amount"] for p in customer.api.get("/payments?kind=invoice").json["items"]]
    assert cards == [23_00 - 11_00]
    credits = customer.api.get("/credits").json
    assert credits["balance"]["amount"] == 0
    applied = sorted(e["amount"]["amount"] for e in credits["entries"] if e["kind"] == "applied")
    assert applied == [-19_00, -11_00]
