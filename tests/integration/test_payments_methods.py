"""Saved payment methods: added through a SetupIntent the browser confirms (the card goes to the
provider only), listed with brand, last 4 and expiry, the first made default, removed; a payment with
a saved method is confirmed at once, without the browser."""

from __future__ import annotations

from typing import Any

import pytest

from shared.ids import new_id
from tests.integration.payments_support import VISA, Pay, open_invoices, paying, start_payment
from tests.support import ApiClient, Customer, PortalHandle

MASTERCARD = "5555555555554444"
OPEN_SETUPS = 5  # services/payments/logic/methods.py OPEN_SETUPS_MAX


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


def save_card(pay: Pay, customer: Customer, number: str) -> None:
    started = customer.api.post("/payment-methods")
    assert started.status_code == 201, started.get_data(as_text=True)
    confirmed = pay.browser.confirm(started.json["client_secret"], pay.browser.card(number, exp="08/31"))
    assert confirmed.get("status") == "succeeded", confirmed
    # as the web app does: the list naming the setup just confirmed saves it before its webhook
    customer.api.get(f"/payment-methods?setup_id={started.json['setup_id']}")


def test_methods_are_saved_listed_made_default_and_removed(
    pay: Pay, portal: PortalHandle, customer: Customer
) -> None:
    save_card(pay, customer, VISA)
    save_card(pay, customer, MASTERCARD)
    listed = customer.api.get("/payment-methods").json
    by_brand = sorted(listed["methods"], key=lambda m: m["brand"])
    assert [(m["brand"], m["last4"], m["exp_month"], m["exp_year"]) for m in by_brand] == [
        ("mastercard", "4444", 8, 2031),
        ("visa", "4242", 8, 2031),
    ]
    mastercard, visa = by_brand
    assert [m["is_default"] for m in listed["methods"]].count(True) == 1  # the first one saved
    assert listed["default_method_id"] in (visa["method_id"], mastercard["method_id"])
    pay.settle_webhooks()  # the setups' webhooks change nothing more
    assert customer.api.get("/payment-methods").json == listed
    chosen = customer.api.put(f"/payment-methods/{mastercard['method_id']}/default").json
    assert chosen["default_method_id"] == mastercard["method_id"]
    assert [m["method_id"] for m in chosen["methods"] if m["is_default"]] == [mastercard["method_id"]]
    assert customer.api.put("/payment-methods/auto-charge", {"enabled": True}).json["auto_charge"] is True
    left = customer.api.delete(f"/payment-methods/{mastercard['method_id']}").json
    assert [m["method_id"] for m in left["methods"]] == [visa["method_id"]]
    assert left["default_method_id"] is None
    assert customer.api.delete(f"/payment-methods/{mastercard['method_id']}").status_code == 404


def test_a_payment_with_a_saved_method_is_confirmed_at_once(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    save_card(pay, customer, VISA)
    (method,) = customer.api.get("/payment-methods").json["methods"]
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    body = {"invoices": [{"invoice_id": invoice["invoice_id"]}], "method_id": method["method_id"]}
    started = start_payment(customer, body, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    assert started.json["payment"]["status"] == "succeeded"
    assert started.json["payment"]["method"] == {"kind": "card", "brand": "visa", "last4": "4242"}
    pay.settle_webhooks()
    assert (
        customer.api.get(f"/payments/{started.json['payment']['payment_id']}").json["status"] == "succeeded"
    )
    unknown = start_payment(customer, {**body, "method_id": new_id()}, new_id())
    assert unknown.status_code == 404


@pytest.fixture
def setup_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The setups the portal asks the provider about (each is one provider call)."""
    from services.payments.provider_stripe import StripeProvider

    asked: list[str] = []
    original = StripeProvider.get_setup

    def counting(self: StripeProvider, setup_id: str) -> Any:
        asked.append(setup_id)
        return original(self, setup_id)

    monkeypatch.setattr(StripeProvider, "get_setup", counting)
    return asked


def test_open_setups_are_capped_and_listing_asks_the_provider_nothing(
    pay: Pay, customer: Customer, setup_reads: list[str]
) -> None:
    started = [customer.api.post("/payment-methods") for _ in range(OPEN_SETUPS)]
    assert [s.status_code for s in started] == [201] * OPEN_SETUPS
    refused = customer.api.post("/payment-methods")
    assert refused.status_code == 429, refused.get_data(as_text=True)
    assert refused.json["error"]["code"] == "too_many_attempts" and int(refused.headers["Retry-After"]) > 0
    for _ in range(3):
        assert customer.api.get("/payment-methods").json["methods"] == []
    assert setup_reads == []  # unfinished setups cost no provider call per list
    # the outcome arrives by webhook: a confirmed setup is listed, and frees its place
    confirmed = pay.browser.confirm(started[0].json["client_secret"], pay.browser.card(VISA))
    assert confirmed.get("status") == "succeeded", confirmed
    pay.settle_webhooks()
    (method,) = customer.api.get("/payment-methods").json["methods"]
    assert method["last4"] == "4242"
    assert customer.api.post("/payment-methods").status_code == 201


def test_the_browser_that_confirmed_a_setup_sees_it_at_once(
    pay: Pay, staff: ApiClient, customer: Customer, setup_reads: list[str]
) -> None:
    other = pay.portal.new_customer(staff)
    customer.api.post("/payment-methods")  # another, unfinished: never asked about
    started = customer.api.post("/payment-methods").json
    assert pay.browser.confirm(started["client_secret"], pay.browser.card(VISA)).get("status") == "succeeded"
    # (its webhook waits in the local queue: nothing is drained before the lists below)
    # another customer naming this setup: not asked about, not theirs
    assert other.api.get(f"/payment-methods?setup_id={started['setup_id']}").json["methods"] == []
    assert setup_reads == []
    listed = customer.api.get(f"/payment-methods?setup_id={started['setup_id']}").json
    assert [m["last4"] for m in listed["methods"]] == ["4242"]
    assert setup_reads == [started["setup_id"]]
