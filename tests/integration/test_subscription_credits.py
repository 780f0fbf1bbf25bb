"""A subscription change that nets to a credit (downgrade now, cancel now, pause) becomes one credit
note for the unused time, exactly once per change, and the customer's contacts see it; a change that
bills (an upgrade) makes no credit note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

from tests.integration.test_subscriptions import change, plan, subscribe
from tests.support import ApiClient, Customer, PortalHandle, bus_spy, spied


def notes_of(customer: Customer) -> list[dict[str, Any]]:
    return list(customer.api.get("/credit-notes").json["items"])


def test_downgrade_now_and_cancel_now_credit_the_unused_time_once(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    assert staff.put("/staff/subscription-rules", {"downgrade": "now"}).status_code == 200
    spy = bus_spy(portal, {"source": ["portal.subscriptions"], "detail-type": ["SubscriptionChanged"]})
    big, small = plan(staff, 40_00), plan(staff, 10_00)
    started = (datetime.now(UTC) - timedelta(days=10)).replace(microsecond=0)
    sub = subscribe(staff, customer, big["plan_id"], starts_at=started.isoformat())
    sub_id = sub["subscription_id"]

    downgraded = change(customer, sub_id, {"action": "change_plan", "plan_id": small["plan_id"]})
    assert downgraded.status_code == 200, downgraded.get_data(as_text=True)
    net = downgraded.json["due_now"]["amount"]
    start, end = (datetime.fromisoformat(sub[k]) for k in ("current_period_start", "current_period_end"))
    at = datetime.fromisoformat(downgraded.json["at"])
    unused = Fraction(int((end - at).total_seconds()), int((end - start).total_seconds()))
    assert net == -round(40_00 * unused) + round(10_00 * unused) < 0
    portal.drain()
    portal.drain()
    [note] = notes_of(customer)
    assert note["total"] == {"amount": -net, "currency": "USD"} and note["status"] == "open"

    # the same event delivered again: still one note (one per charge id)
    from services.credit_notes.logic.from_subscriptions import credit_charge
    from shared.event_models import SubscriptionChanged

    [event] = [e for e in spied(spy) if e["detail"]["data"]["charge_id"] == downgraded.json["charge_id"]]
    assert credit_charge(SubscriptionChanged.model_validate(event["detail"]["data"])) is False
    assert len(notes_of(customer)) == 1

    cancelled = change(customer, sub_id, {"action": "cancel", "when": "now", "reason": "Moving on"})
    assert cancelled.status_code == 200, cancelled.get_data(as_text=True)
    credit = -cancelled.json["due_now"]["amount"]
    assert credit > 0
    portal.drain()
    portal.drain()
    totals = sorted(n["total"]["amount"] for n in notes_of(customer))
    assert totals == sorted([-net, credit])
    titles = [entry["title"] for entry in customer.api.get("/activity?limit=50").json["items"]]
    assert sum(1 for title in titles if title.startswith("Credit note CN-")) == 2


def test_a_change_that_bills_makes_no_credit_note(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200
    basic, pro = plan(staff, 10_00), plan(staff, 30_00)
    started = (datetime.now(UTC) - timedelta(days=3)).replace(microsecond=0)
    sub = subscribe(staff, customer, basic["plan_id"], starts_at=started.isoformat())
    upgraded = change(customer, sub["subscription_id"], {"action": "change_plan", "plan_id": pro["plan_id"]})
    assert upgraded.status_code == 200 and upgraded.json["due_now"]["amount"] > 0
    portal.drain()
    assert notes_of(customer) == []


def test_a_pause_credits_the_unused_time(portal: PortalHandle, staff: ApiClient, customer: Customer) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200
    monthly = plan(staff, 31_00)
    started = (datetime.now(UTC) - timedelta(days=5)).replace(microsecond=0)
    sub = subscribe(staff, customer, monthly["plan_id"], starts_at=started.isoformat())
    paused = change(customer, sub["subscription_id"], {"action": "pause"})
    assert paused.status_code == 200, paused.get_data(as_text=True)
    portal.drain()
    portal.drain()
    [note] = notes_of(customer)
    assert note["total"]["amount"] == -paused.json["due_now"]["amount"] > 0
