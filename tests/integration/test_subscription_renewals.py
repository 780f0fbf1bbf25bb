"""Renewals bill themselves: the scheduled job (run as the local worker runs the template's schedule)
finds what is due by the sparse index, renews each subscription exactly once — run twice at the same
instant, or overlapping with a run that read the same state, it issues one invoice — ends trials and
term-end cancellations; the invoices service issues one invoice per charge id."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support import ApiClient, Customer, PortalHandle

JOB = "SubscriptionsRenewalFunction"


def started_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()


def subscribe(
    staff: ApiClient, customer: Customer, amount: int, days_ago: int = 0, starts_at: str = "", **plan: Any
) -> dict[str, Any]:
    body = {"name": f"Monthly {amount}", "currency": "USD", "unit_amount": amount, **plan}
    plan_id = staff.post("/staff/catalog/plans", body).json["plan_id"]
    created = staff.post(
        "/staff/subscriptions",
        {
            "customer_id": customer.customer_id,
            "plan_id": plan_id,
            "starts_at": starts_at or started_ago(days_ago),
        },
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    return dict(created.json)


def invoices_of(customer: Customer) -> list[dict[str, Any]]:
    return list(customer.api.get("/invoices?limit=100").json["items"])


def test_the_job_run_twice_at_the_same_instant_renews_and_invoices_once(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    sub = subscribe(staff, customer, 25_00, days_ago=40)  # its first period ended ~10 days ago
    portal.drain()
    assert [i["total"]["amount"] for i in invoices_of(customer)] == [
        25_00
    ]  # the first period, billed at once
    at = datetime.now(UTC)
    first = portal.local.worker.run_schedule(JOB, at)
    second = portal.local.worker.run_schedule(JOB, at)
    assert first["renewed"] >= 1 and second == {
        "renewed": 0,
        "ended": 0,
        "reminded": 0,
        "skipped": 0,
        "retried": 0,
    }
    portal.drain()
    portal.drain()
    assert [i["total"]["amount"] for i in invoices_of(customer)] == [25_00, 25_00]
    renewed = customer.api.get(f"/subscriptions/{sub['subscription_id']}").json
    assert renewed["current_period_start"] == sub["current_period_end"]
    assert datetime.fromisoformat(renewed["next_renewal_at"]) > at


def test_an_overlapping_run_that_read_the_same_state_bills_nothing(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from services.subscriptions import store
    from services.subscriptions.logic import renewals

    sub = subscribe(staff, customer, 31_00, days_ago=35)
    portal.drain()
    at = datetime.now(UTC)
    stale = store.get(sub["subscription_id"])  # what a second, slower run read before the first wrote
    assert stale is not None
    assert portal.local.worker.run_schedule(JOB, at)["renewed"] >= 1
    late = renewals.RunReport()
    renewals._catch_up(stale, at, late)
    assert (late.renewed, late.skipped) == (0, 1)
    portal.drain()
    assert [i["total"]["amount"] for i in invoices_of(customer)] == [31_00, 31_00]


def test_trials_end_and_term_end_cancellations_take_effect(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from services.subscriptions.logic.proration import add_months

    trial = subscribe(staff, customer, 12_00, days_ago=20, trial_days=14, setup_fee=3_00)
    # a period that ends two seconds from now (the job is never run ahead of the clock here: other
    # tests' subscriptions share the table)
    term_end = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    ending = subscribe(staff, customer, 8_00, starts_at=add_months(term_end, -1).isoformat())
    cancelled = customer.api.post(
        f"/subscriptions/{ending['subscription_id']}/changes",
        {"change": {"action": "cancel", "when": "term_end", "reason": "Moving on"}},
        headers={"Idempotency-Key": f"k-{ending['subscription_id']}"},
    )
    assert cancelled.status_code == 200
    portal.local.worker.run_schedule(JOB, datetime.now(UTC))
    assert customer.api.get(f"/subscriptions/{trial['subscription_id']}").json["status"] == "live"
    assert customer.api.get(f"/subscriptions/{ending['subscription_id']}").json["status"] == "non_renewing"
    time.sleep(max(0.0, (term_end - datetime.now(UTC)).total_seconds()) + 0.1)
    portal.local.worker.run_schedule(JOB, datetime.now(UTC))
    assert customer.api.get(f"/subscriptions/{ending['subscription_id']}").json["status"] == "cancelled"
    portal.drain()
    totals = sorted(i["total"]["amount"] for i in invoices_of(customer))
    assert 12_00 + 3_00 in totals  # the trial's first period and its setup fee, on one invoice


def test_a_trial_ending_is_announced_once_three_days_before(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from tests.support import bus_spy, spied

    spy = bus_spy(portal, {"source": ["portal.subscriptions"], "detail-type": ["TrialEnding"]})
    trial = subscribe(staff, customer, 9_00, days_ago=12, trial_days=14)  # ends in 2 days
    fresh = subscribe(staff, customer, 9_00, days_ago=1, trial_days=14)  # ends in 13 days
    portal.local.worker.run_schedule(JOB, datetime.now(UTC))
    portal.local.worker.run_schedule(JOB, datetime.now(UTC))
    portal.drain()
    told = [e["detail"]["data"] for e in spied(spy)]
    mine = [d for d in told if d["customer_id"] == customer.customer_id]
    assert [d["subscription_id"] for d in mine] == [trial["subscription_id"]]
    told_end = datetime.fromisoformat(mine[0]["trial_ends_at"])
    assert told_end == datetime.fromisoformat(trial["trial_ends_at"]) and mine[0]["lines"] == []
    assert customer.api.get(f"/subscriptions/{trial['subscription_id']}").json["status"] == "trial"
    assert customer.api.get(f"/subscriptions/{fresh['subscription_id']}").json["status"] == "trial"
