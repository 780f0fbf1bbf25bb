"""Issue 21, defect 6: a downgrade scheduled for the term's end survives later item changes (quantity,
addons), and a cancelled trial reactivated bills its setup fee once, at the reactivation (never again
at the renewal)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_subscriptions import change, plan, subscribe
from tests.support import ApiClient, Customer


@pytest.fixture(autouse=True)
def default_rules(staff: ApiClient) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200  # downgrade at term end


def amounts(lines: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(line["description"], line["amount"]["amount"]) for line in lines]


def test_a_downgrade_scheduled_for_term_end_survives_quantity_and_addon_changes(
    staff: ApiClient, customer: Customer
) -> None:
    big = plan(staff, 20_00, pricing="per_unit", max_quantity=50)
    small = plan(staff, 5_00, pricing="per_unit", max_quantity=10)
    addon = staff.post("/staff/catalog/addons", {"name": "Backup", "currency": "USD", "unit_amount": 3_00})
    assert addon.status_code == 201, addon.get_data(as_text=True)
    sub_id = subscribe(staff, customer, big["plan_id"], quantity=2)["subscription_id"]
    down = change(customer, sub_id, {"action": "change_plan", "plan_id": small["plan_id"]})
    assert down.status_code == 200 and down.json["subscription"]["scheduled_plan_id"] == small["plan_id"]

    more = change(customer, sub_id, {"action": "quantity", "quantity": 3})
    assert more.status_code == 200, more.get_data(as_text=True)
    assert more.json["subscription"]["scheduled_plan_id"] == small["plan_id"]
    assert more.json["next_invoice_amount"]["amount"] == 3 * 5_00  # the renewal bills the small plan
    added = change(customer, sub_id, {"action": "add_addon", "addon_id": addon.json["addon_id"]})
    assert added.status_code == 200, added.get_data(as_text=True)
    assert added.json["subscription"]["scheduled_plan_id"] == small["plan_id"]
    assert added.json["next_invoice_amount"]["amount"] == 3 * 5_00 + 3_00

    # more seats than the scheduled plan takes: refused clearly, nothing written
    too_many = change(customer, sub_id, {"action": "quantity", "quantity": 11})
    assert too_many.status_code == 400, too_many.get_data(as_text=True)
    page = customer.api.get(f"/subscriptions/{sub_id}").json
    assert (page["quantity"], page["scheduled_plan_id"]) == (3, small["plan_id"])


def test_a_cancelled_trial_reactivated_bills_its_setup_fee_once_at_the_reactivation(
    staff: ApiClient, customer: Customer
) -> None:
    trial = plan(staff, 12_00, trial_days=14, setup_fee=5_00)
    sub_id = subscribe(staff, customer, trial["plan_id"])["subscription_id"]
    assert change(customer, sub_id, {"action": "cancel_trial"}).status_code == 200
    back = change(customer, sub_id, {"action": "reactivate"})
    assert back.status_code == 200, back.get_data(as_text=True)
    assert amounts(back.json["lines"]) == [("Plan 1200", 12_00), ("Setup fee", 5_00)]
    after = back.json["subscription"]
    assert after["status"] == "live" and after["trial_ends_at"] is None
    assert amounts(after["next_invoice_lines"]) == [("Plan 1200", 12_00)]  # the renewal: no fee again
