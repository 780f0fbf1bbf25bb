"""The client never chooses the instant a change is priced at (issue 21, defect 2): a change is priced
at the server's instant, or at the instant of a preview the server issued — stored, single-use,
expiring in minutes, bound to the subscription, its state when previewed and the exact change.
Adding seats now and removing them back-dated used to net the customer credit every round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.integration.test_subscriptions import change, plan, preview, subscribe
from tests.support import ApiClient, Customer


@pytest.fixture(autouse=True)
def default_rules(staff: ApiClient) -> None:
    assert staff.put("/staff/subscription-rules", {}).status_code == 200


def seats(staff: ApiClient, customer: Customer, quantity: int = 1) -> dict[str, Any]:
    per_seat = plan(staff, 10_00, pricing="per_unit", max_quantity=1000)
    started = (datetime.now(UTC) - timedelta(days=10)).replace(microsecond=0)
    return subscribe(staff, customer, per_seat["plan_id"], quantity=quantity, starts_at=started.isoformat())


def quantity_of(customer: Customer, sub_id: str) -> int:
    return int(customer.api.get(f"/subscriptions/{sub_id}").json["quantity"])


def test_adding_seats_then_removing_them_back_dated_mints_no_credit(
    staff: ApiClient, customer: Customer
) -> None:
    sub_id = seats(staff, customer)["subscription_id"]
    net = 0  # what the customer was billed over the rounds (negative: credit minted)
    for _ in range(3):
        added = change(customer, sub_id, {"action": "quantity", "quantity": 100})
        assert added.status_code == 200, added.get_data(as_text=True)
        net += added.json["due_now"]["amount"]
        back_dated = (datetime.now(UTC) - timedelta(minutes=14, seconds=30)).isoformat()
        removed = change(customer, sub_id, {"action": "quantity", "quantity": 1, "at": back_dated})
        if removed.status_code == 200:
            net += removed.json["due_now"]["amount"]
            continue
        # the client's instant is refused, and nothing is written
        assert removed.status_code == 400, removed.get_data(as_text=True)
        assert quantity_of(customer, sub_id) == 100
        removed = change(customer, sub_id, {"action": "quantity", "quantity": 1})
        assert removed.status_code == 200
        net += removed.json["due_now"]["amount"]
    assert net >= 0


def test_a_preview_prices_its_change_once_for_that_change_only(staff: ApiClient, customer: Customer) -> None:
    sub_id = seats(staff, customer, quantity=10)["subscription_id"]
    other_id = seats(staff, customer, quantity=10)["subscription_id"]
    five = {"action": "quantity", "quantity": 5}
    quote = preview(customer, sub_id, five)
    assert quote.status_code == 200, quote.get_data(as_text=True)
    preview_id = quote.json["preview_id"]
    assert datetime.fromisoformat(quote.json["expires_at"]) > datetime.fromisoformat(quote.json["at"])

    for sub, body in ((sub_id, {"action": "quantity", "quantity": 6}), (other_id, five)):
        refused = change(customer, sub, {**body, "preview_id": preview_id})
        assert refused.status_code == 409, refused.get_data(as_text=True)
        assert refused.json["error"]["code"] == "preview_not_usable"
    assert (quantity_of(customer, sub_id), quantity_of(customer, other_id)) == (10, 10)

    applied = change(customer, sub_id, {**five, "preview_id": preview_id})
    assert applied.status_code == 200, applied.get_data(as_text=True)
    assert applied.json["lines"] == quote.json["lines"] and applied.json["at"] == quote.json["at"]
    # a credit of exactly five seats for the time left after the preview's instant
    assert [line["kind"] for line in applied.json["lines"]] == ["credit", "charge"]
    again = change(customer, sub_id, {**five, "preview_id": preview_id})  # another key: a second use
    assert again.status_code == 409 and again.json["error"]["code"] == "preview_not_usable"


def test_a_preview_is_void_once_the_subscription_changed_or_it_expired(
    staff: ApiClient, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.subscriptions.logic import previews

    sub_id = seats(staff, customer, quantity=50)["subscription_id"]
    # an early removal quote kept while seats change: applying it later would credit the time between
    early = preview(customer, sub_id, {"action": "quantity", "quantity": 1}).json["preview_id"]
    assert change(customer, sub_id, {"action": "quantity", "quantity": 40}).status_code == 200
    stale = change(customer, sub_id, {"action": "quantity", "quantity": 1, "preview_id": early})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "preview_not_usable"
    assert quantity_of(customer, sub_id) == 40

    later = preview(customer, sub_id, {"action": "quantity", "quantity": 2}).json["preview_id"]
    real_now = previews.utc_now
    monkeypatch.setattr(previews, "utc_now", lambda: real_now() + previews.PREVIEW_VALID_FOR)
    expired = change(customer, sub_id, {"action": "quantity", "quantity": 2, "preview_id": later})
    assert expired.status_code == 409 and expired.json["error"]["code"] == "preview_not_usable"
    assert quantity_of(customer, sub_id) == 40
    unknown = change(customer, sub_id, {"action": "quantity", "quantity": 2, "preview_id": "nope"})
    assert unknown.status_code == 400
