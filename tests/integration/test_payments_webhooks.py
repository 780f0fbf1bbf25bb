"""Provider webhooks as Stripe sends them — more than once, out of order, and sometimes forged: the
payment moves once, forward only, to the state the provider really has; a bad or stale signature is
400 and leaves no trace."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from shared.ids import new_id
from tests.integration.payments_support import (
    VISA,
    Pay,
    open_invoices,
    paying,
    payments_spy,
    spied_types,
    start_payment,
)
from tests.support import ApiClient, Customer, PortalHandle

WEBHOOK = "/api/webhooks/stripe"


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


@pytest.fixture
def held_webhooks(pay: Pay) -> Iterator[None]:
    """The provider records its events but posts none: the test delivers them itself."""
    assert pay.stripe.wait_for_webhooks(20)
    target = pay.stripe.webhooks.target
    pay.stripe.deliver_to(None)
    yield
    pay.stripe.deliver_to(target)


def post_webhook(portal: PortalHandle, payload: bytes, signature: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return ApiClient(portal.gateway).client.post(WEBHOOK, data=payload, headers=headers)


def paid_intent(pay: Pay, staff: ApiClient, customer: Customer) -> tuple[str, str]:
    """(payment id, intent id) of a payment the contact's browser confirmed with a good card."""
    (invoice,) = open_invoices(staff, pay.portal, customer, "2026-11-01")
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    assert pay.browser.pay_with_card(started.json["client_secret"], VISA)["status"] == "succeeded"
    intent_id = started.json["client_secret"].split("_secret_")[0]
    return started.json["payment"]["payment_id"], intent_id


def test_each_webhook_three_times_in_random_order_changes_the_payment_once(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer, held_webhooks: None
) -> None:
    payment_id, intent_id = paid_intent(pay, staff, customer)
    events = pay.stripe.events_of(intent_id)
    types = [e["type"] for e in events]
    assert "payment_intent.succeeded" in types and len(events) >= 2, types  # with its predecessors
    spy = payments_spy(portal)
    deliveries = [json.dumps(event).encode() for event in events] * 3
    random.Random(12).shuffle(deliveries)
    answers = [post_webhook(portal, body, pay.stripe.sign(body)) for body in deliveries]
    assert {a.status_code for a in answers} == {200}
    first_times = Counter(
        json.loads(body)["id"] for body, a in zip(deliveries, answers, strict=True) if not a.json["duplicate"]
    )
    assert first_times == Counter(e["id"] for e in events)  # each event handed on exactly once
    portal.drain()
    payment = customer.api.get(f"/payments/{payment_id}").json
    assert payment["status"] == "succeeded"
    changes = spied_types(spy, payment_id)
    assert changes.count("PaymentSucceeded") == 1 and "PaymentFailed" not in changes, changes


def test_a_bad_or_stale_signature_is_400_and_changes_nothing(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer, held_webhooks: None
) -> None:
    payment_id, intent_id = paid_intent(pay, staff, customer)
    succeeded = next(e for e in pay.stripe.events_of(intent_id) if e["type"] == "payment_intent.succeeded")
    body = json.dumps(succeeded).encode()
    stale = pay.stripe.sign(body, int(time.time()) - 400)  # beyond the 300 s tolerance
    forged = f"t={int(time.time())},v1={'0' * 64}"
    tampered = json.dumps({**succeeded, "type": "payment_intent.canceled"}).encode()
    for payload, signature in (
        (body, stale),
        (body, forged),
        (body, None),
        (tampered, pay.stripe.sign(body)),
    ):
        answer = post_webhook(portal, payload, signature)
        assert answer.status_code == 400, answer.get_data(as_text=True)
    portal.drain()
    assert customer.api.get(f"/payments/{payment_id}").json["status"] == "pending"
    # no dedupe marker was written: the genuine delivery is the first one seen
    genuine = post_webhook(portal, body, pay.stripe.sign(body))
    assert genuine.status_code == 200 and genuine.json == {"received": True, "duplicate": False}
    portal.drain()
    assert customer.api.get(f"/payments/{payment_id}").json["status"] == "succeeded"


def test_an_unknown_provider_is_404(portal: PortalHandle) -> None:
    answer = ApiClient(portal.gateway).client.post("/api/webhooks/paypal", data=b"{}")
    assert answer.status_code == 404


@pytest.mark.parametrize(
    "body",
    [b"[]", b'"event"', b"{}", b'{"id": "evt_1", "type": "payment_intent.succeeded"}', b'{"id": 5}'],
)
def test_a_signed_body_that_is_not_an_event_is_400(pay: Pay, portal: PortalHandle, body: bytes) -> None:
    answer = post_webhook(portal, body, pay.stripe.sign(body))
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert answer.json["error"]["code"] == "validation_failed"


def test_a_signature_from_the_future_beyond_the_tolerance_is_400(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer, held_webhooks: None
) -> None:
    payment_id, intent_id = paid_intent(pay, staff, customer)
    succeeded = next(e for e in pay.stripe.events_of(intent_id) if e["type"] == "payment_intent.succeeded")
    body = json.dumps(succeeded).encode()
    future = pay.stripe.sign(body, int(time.time()) + 400)  # beyond the 300 s tolerance, ahead
    answer = post_webhook(portal, body, future)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    portal.drain()
    assert customer.api.get(f"/payments/{payment_id}").json["status"] == "pending"
    # a small clock skew ahead is still accepted
    genuine = post_webhook(portal, body, pay.stripe.sign(body, int(time.time()) + 30))
    assert genuine.status_code == 200 and genuine.json["duplicate"] is False
