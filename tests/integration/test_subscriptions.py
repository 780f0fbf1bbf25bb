"""Subscriptions end to end: staff keep a catalog and rules and subscribe customers; a contact previews
a change and applies it with the preview's instant and an Idempotency-Key (the same amounts, once);
cancels at term end and reactivates; pauses and resumes; tenant rules answer 403 naming the rule;
trials convert and extend within the limit; a coupon's redemption limit holds; events go on the bus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest

from shared.ids import new_id
from tests.support import ApiClient, Customer, PortalHandle, bus_spy, spied


def plan(staff: ApiClient, amount: int, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Plan {amount}", "currency": "USD", "unit_amount": amount, **fields}
    created = staff.post("/staff/catalog/plans", body)
    assert created.status_code == 201, created.get_data(as_text=True)
    return dict(created.json)


def subscribe(staff: ApiClient, customer: Customer, plan_id: str, **fields: Any) -> dict[str, Any]:
    created = staff.post(
        "/staff/subscriptions", {"customer_id": customer.customer_id, "plan_id": plan_id, **fields}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    return dict(created.json)


def change(customer: Customer, sub_id: str, body: dict[str, Any], key: str | None = None) -> Any:
    return customer.api.post(
        f"/subscriptions/{sub_id}/changes", {"change": body}, headers={"Idempotency-Key": key or new_id()}
    )


def preview(customer: Customer, sub_id: str, body: dict[str, Any]) -> Any:
    return customer.api.post(f"/subscriptions/{sub_id}/preview", {"change": body})


@pytest.fixture(autouse=True)
def default_rules(staff: ApiClient) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200


def test_upgrade_preview_then_apply_bills_the_same_amounts_once(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    spy = bus_spy(portal, {"source": ["portal.subscriptions"]})
    basic, pro = plan(staff, 10_00), plan(staff, 30_00)
    started = (datetime.now(UTC) - timedelta(days=9, seconds=17)).replace(microsecond=0)
    sub = subscribe(staff, customer, basic["plan_id"], starts_at=started.isoformat())
    assert sub["status"] == "live" and sub["next_invoice_amount"] == {"amount": 10_00, "currency": "USD"}
    listed = customer.api.get("/subscriptions").json["items"]
    assert [item["subscription_id"] for item in listed] == [sub["subscription_id"]]

    options = customer.api.get(f"/subscriptions/{sub['subscription_id']}/plans").json["plans"]
    assert {(o["plan_id"], o["current"]) for o in options} >= {
        (basic["plan_id"], True),
        (pro["plan_id"], False),
    }
    upgrade = {"action": "change_plan", "plan_id": pro["plan_id"]}
    shown = preview(customer, sub["subscription_id"], upgrade)
    assert shown.status_code == 200, shown.get_data(as_text=True)
    quote = shown.json
    at = datetime.fromisoformat(quote["at"])
    start, end = (datetime.fromisoformat(sub[k]) for k in ("current_period_start", "current_period_end"))
    unused = Fraction(int((end - at).total_seconds()), int((end - start).total_seconds()))
    assert [(line["kind"], line["amount"]["amount"]) for line in quote["lines"]] == [
        ("credit", -round(10_00 * unused)),
        ("charge", round(30_00 * unused)),
    ]
    assert quote["next_invoice_amount"]["amount"] == 30_00
    assert customer.api.get(f"/subscriptions/{sub['subscription_id']}").json["plan_id"] == basic["plan_id"]

    key = new_id()
    applied = change(customer, sub["subscription_id"], {**upgrade, "preview_id": quote["preview_id"]}, key)
    assert applied.status_code == 200, applied.get_data(as_text=True)
    assert applied.json["lines"] == quote["lines"] and applied.json["due_now"] == quote["due_now"]
    assert applied.json["subscription"]["plan_id"] == pro["plan_id"]
    replay = change(customer, sub["subscription_id"], {**upgrade, "preview_id": quote["preview_id"]}, key)
    assert replay.json == applied.json  # the same key: the first answer, nothing applied twice
    reused = change(customer, sub["subscription_id"], {"action": "quantity", "quantity": 1}, key)
    assert reused.status_code == 422

    portal.drain()
    events = [
        e
        for e in spied(spy)
        if e["detail"]["data"]["subscription_id"] == sub["subscription_id"]
        and e["detail-type"] != "SubscriptionChargeRequested"  # each invoice's auto-charge request
    ]
    assert [e["detail-type"] for e in events] == ["SubscriptionCreated", "SubscriptionChanged"]
    billed = events[1]["detail"]["data"]
    assert billed["charge_id"] == applied.json["charge_id"]
    assert [line["amount"] for line in billed["lines"]] == [line["amount"] for line in quote["lines"]]
    assert events[0]["detail"]["data"]["lines"][0]["amount"] == {"amount": 10_00, "currency": "USD"}


def test_cancel_at_term_end_then_reactivate_and_pause_resume(staff: ApiClient, customer: Customer) -> None:
    sub = subscribe(staff, customer, plan(staff, 20_00)["plan_id"])
    sub_id = sub["subscription_id"]
    cancelled = change(customer, sub_id, {"action": "cancel", "when": "term_end", "reason": "Too dear"})
    assert cancelled.status_code == 200, cancelled.get_data(as_text=True)
    after = cancelled.json["subscription"]
    assert after["status"] == "non_renewing" and after["next_renewal_at"] is None
    assert cancelled.json["lines"] == [] and "reactivate" in after["allowed"]
    back = change(customer, sub_id, {"action": "reactivate"})
    assert back.json["subscription"]["status"] == "live" and back.json["lines"] == []

    paused = change(customer, sub_id, {"action": "pause"})
    assert paused.status_code == 200
    assert paused.json["subscription"]["status"] == "paused"
    [credit] = paused.json["lines"]
    assert credit["kind"] == "credit" and -20_00 <= credit["amount"]["amount"] < 0
    resumed = change(customer, sub_id, {"action": "resume"})
    assert resumed.json["subscription"]["status"] == "live"
    assert resumed.json["due_now"]["amount"] == 20_00  # a new whole period from the resume
    assert change(customer, sub_id, {"action": "resume"}).status_code == 409


def test_a_rule_that_forbids_an_action_answers_403_naming_it(staff: ApiClient, customer: Customer) -> None:
    sub = subscribe(staff, customer, plan(staff, 20_00)["plan_id"])
    assert staff.put("/staff/subscription-rules", {"pause": False, "cancel_now": False}).status_code == 200
    shown = customer.api.get(f"/subscriptions/{sub['subscription_id']}").json
    assert "pause" not in shown["allowed"] and "cancel_now" not in shown["allowed"]
    refused = preview(customer, sub["subscription_id"], {"action": "pause"})
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "forbidden_by_rule"
    assert refused.json["error"]["details"] == {"rule": "pause"}
    now = change(customer, sub["subscription_id"], {"action": "cancel", "when": "now", "reason": "x"})
    assert now.status_code == 403 and now.json["error"]["details"] == {"rule": "cancel_now"}
    assert customer.api.get(f"/subscriptions/{sub['subscription_id']}").json["status"] == "live"


def test_downgrade_waits_for_the_term_end_by_default(staff: ApiClient, customer: Customer) -> None:
    big, small = plan(staff, 50_00), plan(staff, 15_00)
    sub = subscribe(staff, customer, big["plan_id"])
    down = change(customer, sub["subscription_id"], {"action": "change_plan", "plan_id": small["plan_id"]})
    assert down.status_code == 200
    assert down.json["lines"] == [] and down.json["next_invoice_amount"]["amount"] == 15_00
    assert down.json["subscription"]["plan_id"] == big["plan_id"]
    assert down.json["subscription"]["scheduled_plan_id"] == small["plan_id"]


def test_trials_extend_within_the_limit_and_convert_with_the_setup_fee(
    staff: ApiClient, customer: Customer
) -> None:
    trial_plan = plan(staff, 12_00, trial_days=14, setup_fee=5_00)
    sub = subscribe(staff, customer, trial_plan["plan_id"])
    assert sub["status"] == "trial" and sub["next_invoice_amount"]["amount"] == 17_00
    sub_id = sub["subscription_id"]
    too_long = change(customer, sub_id, {"action": "extend_trial", "days": 15})
    assert too_long.status_code == 403
    assert too_long.json["error"]["details"] == {"rule": "trial_extension_days"}
    extended = change(customer, sub_id, {"action": "extend_trial", "days": 7})
    ends = datetime.fromisoformat(extended.json["subscription"]["trial_ends_at"])
    assert ends - datetime.fromisoformat(sub["trial_ends_at"]) == timedelta(days=7)
    converted = change(customer, sub_id, {"action": "convert_trial"})
    assert converted.json["subscription"]["status"] == "live"
    assert [line["amount"]["amount"] for line in converted.json["lines"]] == [12_00, 5_00]


def test_coupons_apply_from_the_next_invoice_within_their_redemption_limit(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    code = f"HALF{new_id()[-6:]}"
    added = staff.post("/staff/catalog/coupons", {"code": code, "percent_bps": 5000, "max_redemptions": 1})
    assert added.status_code == 201, added.get_data(as_text=True)
    assert staff.post("/staff/catalog/coupons", {"code": code, "percent_bps": 10}).status_code == 409
    monthly = plan(staff, 40_00)
    first = subscribe(staff, customer, monthly["plan_id"])
    other = subscribe(staff, customer, monthly["plan_id"])
    redeemed = change(customer, first["subscription_id"], {"action": "apply_coupon", "code": code})
    assert redeemed.status_code == 200, redeemed.get_data(as_text=True)
    assert redeemed.json["lines"] == [] and redeemed.json["next_invoice_amount"]["amount"] == 20_00
    used_up = change(customer, other["subscription_id"], {"action": "apply_coupon", "code": code})
    assert used_up.status_code == 409
    assert customer.api.get(f"/subscriptions/{other['subscription_id']}").json["coupon"] is None
    catalog = staff.get("/staff/catalog").json
    assert [c["redemptions"] for c in catalog["coupons"] if c["code"] == code] == [1]


def test_another_customers_subscription_is_404_and_bad_input_writes_nothing(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    sub = subscribe(staff, customer, plan(staff, 9_00)["plan_id"])
    stranger = portal.new_customer(staff)
    assert stranger.api.get(f"/subscriptions/{sub['subscription_id']}").status_code == 404
    assert preview(stranger, sub["subscription_id"], {"action": "reactivate"}).status_code == 404
    bad = preview(customer, sub["subscription_id"], {"action": "quantity", "quantity": 0})
    assert bad.status_code == 400
    flat = change(customer, sub["subscription_id"], {"action": "quantity", "quantity": 3})
    assert flat.status_code == 400  # a flat plan has a quantity of 1
    no_key = customer.api.post(
        f"/subscriptions/{sub['subscription_id']}/changes", {"change": {"action": "pause"}}
    )
    assert no_key.status_code == 400
    assert customer.api.get(f"/subscriptions/{sub['subscription_id']}").json["status"] == "live"
    unknown = staff.post("/staff/subscriptions", {"customer_id": customer.customer_id, "plan_id": "nope"})
    assert unknown.status_code == 400
