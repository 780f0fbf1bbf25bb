"""The local clock (`/_local/clock`, local only): moving it forward runs the template's schedules at
the new instant, so a trial's reminder and end, and a renewal, happen on demand; the template deploys
nothing of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.test import Client

from infra.local.pages.time_travel import CLOCK, add_months
from tests.support import ApiClient, Customer, PortalHandle, mails_to


@pytest.fixture
def clock() -> Iterator[None]:
    yield
    CLOCK.reset()  # later tests run at real time


def test_add_months_keeps_the_day_or_the_last_one() -> None:
    at = datetime(2028, 1, 31, 9, tzinfo=UTC)
    assert add_months(at, 1) == datetime(2028, 2, 29, 9, tzinfo=UTC)
    assert add_months(datetime(2026, 12, 15, tzinfo=UTC), 1) == datetime(2027, 1, 15, tzinfo=UTC)


def test_moving_the_clock_runs_the_schedules_trial_then_renewal(
    clock: None, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200
    plan = staff.post(
        "/staff/catalog/plans", {"name": "Demo", "currency": "USD", "unit_amount": 9_00, "trial_days": 4}
    ).json
    sub = staff.post(
        "/staff/subscriptions", {"customer_id": customer.customer_id, "plan_id": plan["plan_id"]}
    ).json
    sub_id = sub["subscription_id"]
    browser = Client(portal.gateway)
    assert browser.get("/_local/clock").status_code == 200
    assert browser.post("/_local/clock/advance", data={"by": "2y"}).status_code == 400

    moved = browser.post("/_local/clock/advance", data={"by": "1d"})
    assert moved.status_code == 303
    state = browser.get("/_local/clock/state.json").json
    assert 86_390 <= state["offset_seconds"] <= 86_410
    assert state["last_run"]["results"]["SubscriptionsRenewalFunction"]["reminded"] >= 1  # 3 days before
    portal.drain()
    assert customer.api.get(f"/subscriptions/{sub_id}").json["status"] == "trial"
    assert any("trial ends on" in str(m["Subject"]) for m in mails_to(customer.email))

    browser.post("/_local/clock/advance", data={"by": "7d"})  # past the trial's end: billed
    portal.drain()
    portal.drain()
    after_trial = customer.api.get(f"/subscriptions/{sub_id}").json
    assert after_trial["status"] == "live" and len(after_trial["invoices"]) == 1
    trial_end = datetime.fromisoformat(sub["trial_ends_at"])
    assert datetime.fromisoformat(after_trial["current_period_start"]) == trial_end

    browser.post("/_local/clock/advance", data={"by": "1m"})  # a month on: renewed once
    portal.drain()
    portal.drain()
    renewed = customer.api.get(f"/subscriptions/{sub_id}").json
    assert renewed["current_period_start"] == after_trial["current_period_end"]
    assert len(renewed["invoices"]) == 2
    assert datetime.fromisoformat(renewed["next_renewal_at"]) > datetime.now(UTC) + timedelta(days=30)

    assert browser.post("/_local/clock/reset").status_code == 303
    assert browser.get("/_local/clock/state.json").json["offset_seconds"] == 0


def test_the_template_deploys_no_clock() -> None:
    from infra.local.template import load

    assert "clock" not in str(load()).lower()
