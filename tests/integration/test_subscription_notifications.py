"""Customers hear about their subscriptions: a renewal, a pause, a cancellation at term end and a
reactivation each email the customer's contacts once (running the job again sends nothing more) and
put an entry in their activity feed linking to the subscription."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.integration.test_subscription_renewals import JOB
from tests.integration.test_subscription_renewals import subscribe as subscribe_monthly
from tests.integration.test_subscriptions import change
from tests.support import ApiClient, Customer, PortalHandle, mails_to


def test_subscription_events_email_the_contacts_once_and_fill_the_feed(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200
    sub = subscribe_monthly(staff, customer, 12_00, days_ago=35)  # its first period ended days ago
    sub_id, plan = sub["subscription_id"], sub["plan_name"]
    portal.local.worker.run_schedule(JOB, datetime.now(UTC))
    portal.drain()
    for body in (
        {"action": "pause"},
        {"action": "resume"},
        {"action": "cancel", "when": "term_end", "reason": "Budget"},
        {"action": "reactivate"},
    ):
        applied = change(customer, sub_id, body)
        assert applied.status_code == 200, applied.get_data(as_text=True)
    portal.drain()
    portal.drain()

    subjects = sorted(
        str(m["Subject"]) for m in mails_to(customer.email) if "subscription" in str(m["Subject"])
    )
    assert subjects == sorted(
        [
            f"Your {plan} subscription renewed",
            f"Your {plan} subscription is paused",
            f"Your {plan} subscription is active again",  # resumed
            f"Your {plan} subscription will end at the end of its term",
            f"Your {plan} subscription is active again",  # reactivated
        ]
    )
    feed = customer.api.get("/activity?limit=50").json["items"]
    entries = [e for e in feed if e["type"] == "subscription_changed"]
    assert len(entries) == 5 and all(e["link"] == f"/subscriptions/{sub_id}" for e in entries)
    assert f"Subscription {plan} will end at the end of its term" in {e["title"] for e in entries}

    portal.local.worker.run_schedule(JOB, datetime.now(UTC))  # nothing due: nothing more is sent
    portal.drain()
    again = [m for m in mails_to(customer.email) if "subscription" in str(m["Subject"])]
    assert len(again) == 5
