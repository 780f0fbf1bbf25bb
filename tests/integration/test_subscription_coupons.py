"""Issue 21, defect 3 — coupons, as Stripe: a credit for unused time carries the discount that applied
to the time it credits; a redemption is recorded per subscription; every bill that applies a coupon
uses one of its cycles (renewals, first periods, trial conversion, resume, reactivation, prorations).

The service's clock is set to instants in a 31-day January (2030), so every amount is by hand:
a 31.00 plan costs 1.00 a day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from shared.ids import new_id
from tests.integration.test_subscriptions import change, plan, subscribe
from tests.support import ApiClient, Customer

JAN_1 = datetime(2030, 1, 1, tzinfo=UTC)  # its period ends Feb 1: 31 days


def day(n: int) -> datetime:
    return JAN_1.replace(day=n)


@pytest.fixture(autouse=True)
def default_rules(staff: ApiClient) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    from services.subscriptions.logic import previews, use_cases

    def set_to(instant: datetime) -> None:
        monkeypatch.setattr(use_cases, "utc_now", lambda: instant)
        monkeypatch.setattr(previews, "utc_now", lambda: instant)

    return set_to


def coupon(staff: ApiClient, **fields: Any) -> str:
    code = f"C{new_id()[-8:]}"
    added = staff.post("/staff/catalog/coupons", {"code": code, **fields})
    assert added.status_code == 201, added.get_data(as_text=True)
    return code


def billed(response: Any) -> list[tuple[str, int]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [(line["kind"], line["amount"]["amount"]) for line in response.json["lines"]]


def test_a_once_coupon_cannot_be_redeemed_again_on_the_same_subscription(
    staff: ApiClient, customer: Customer
) -> None:
    code = coupon(staff, percent_bps=5000)  # once
    sub = subscribe(staff, customer, plan(staff, 40_00)["plan_id"], coupon_code=code)
    assert sub["coupon"]["cycles_left"] == 0  # the first invoice used it
    again = change(customer, sub["subscription_id"], {"action": "apply_coupon", "code": code})
    assert again.status_code == 409, again.get_data(as_text=True)
    page = customer.api.get(f"/subscriptions/{sub['subscription_id']}").json
    assert page["next_invoice_amount"]["amount"] == 40_00 and page["coupon"]["cycles_left"] == 0
    redemptions = [c["redemptions"] for c in staff.get("/staff/catalog").json["coupons"] if c["code"] == code]
    assert redemptions == [1]


def test_a_fixed_coupon_reduces_the_credit_for_unused_time(
    staff: ApiClient, customer: Customer, clock: Callable[[datetime], None]
) -> None:
    code = coupon(staff, amount_off={"amount": 10_00, "currency": "USD"}, duration="forever")
    clock(JAN_1)
    sub = subscribe(
        staff, customer, plan(staff, 31_00)["plan_id"], coupon_code=code, starts_at=JAN_1.isoformat()
    )
    clock(day(17))  # 15 of 31 days unused
    cancelled = change(customer, sub["subscription_id"], {"action": "cancel", "when": "now", "reason": "x"})
    # January was billed 31.00 − 10.00 = 21.00; 15 days unused: 15.00 credited less the 10/31 of it
    # the coupon took off (4.8387 → 4.84): 21.00 × 15/31 = 10.16
    assert billed(cancelled) == [("credit", -15_00), ("discount", 4_84)]
    assert cancelled.json["due_now"]["amount"] == -10_16


def test_a_coupon_added_mid_period_leaves_the_credit_for_time_paid_in_full(
    staff: ApiClient, customer: Customer, clock: Callable[[datetime], None]
) -> None:
    code = coupon(staff, percent_bps=5000, duration="forever")
    clock(JAN_1)
    sub = subscribe(staff, customer, plan(staff, 31_00)["plan_id"], starts_at=JAN_1.isoformat())
    sub_id = sub["subscription_id"]
    clock(day(10))
    assert billed(change(customer, sub_id, {"action": "apply_coupon", "code": code})) == []
    clock(day(17))
    paused = change(customer, sub_id, {"action": "pause"})
    assert billed(paused) == [("credit", -15_00)]  # January was paid in full: no discount taken back


def test_a_proration_invoice_that_applies_a_coupon_uses_its_cycle(
    staff: ApiClient, customer: Customer, clock: Callable[[datetime], None]
) -> None:
    code = coupon(staff, percent_bps=5000)  # once
    seats = plan(staff, 31_00, pricing="per_unit", max_quantity=10)
    clock(JAN_1)
    sub_id = subscribe(staff, customer, seats["plan_id"], starts_at=JAN_1.isoformat())["subscription_id"]
    clock(day(10))
    assert billed(change(customer, sub_id, {"action": "apply_coupon", "code": code})) == []
    clock(day(17))
    two = change(customer, sub_id, {"action": "quantity", "quantity": 2})
    # one seat's 15 days paid in full are credited; two seats' 15 days charged at half price
    assert billed(two) == [("credit", -15_00), ("charge", 30_00), ("discount", -15_00)]
    after = two.json["subscription"]
    assert after["coupon"]["cycles_left"] == 0 and after["next_invoice_amount"]["amount"] == 62_00
    # the two seats' time was paid at half price: cancelling credits half of it
    clock(day(25))  # 7 days unused
    cancelled = change(customer, sub_id, {"action": "cancel", "when": "now", "reason": "x"})
    assert billed(cancelled) == [("credit", -14_00), ("discount", 7_00)]


def test_trial_conversion_and_resume_use_a_coupon_cycle(staff: ApiClient, customer: Customer) -> None:
    code = coupon(staff, percent_bps=2500, duration="cycles", cycles=2)
    trial = plan(staff, 12_00, trial_days=14)
    sub_id = subscribe(staff, customer, trial["plan_id"], coupon_code=code)["subscription_id"]
    converted = change(customer, sub_id, {"action": "convert_trial"})
    assert billed(converted) == [("charge", 12_00), ("discount", -3_00)]
    assert converted.json["subscription"]["coupon"]["cycles_left"] == 1
    assert change(customer, sub_id, {"action": "pause"}).status_code == 200
    resumed = change(customer, sub_id, {"action": "resume"})
    assert billed(resumed) == [("charge", 12_00), ("discount", -3_00)]
    after = resumed.json["subscription"]
    assert after["coupon"]["cycles_left"] == 0 and after["next_invoice_amount"]["amount"] == 12_00
