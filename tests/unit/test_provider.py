"""The Stripe adapter's mapping of Stripe's objects to the provider interface, and its webhook check,
without a server (signatures made here with HMAC-SHA256 as Stripe documents them)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from services.payments.provider import InvalidSignature, MalformedEvent, MethodFacts
from services.payments.provider_stripe import (
    StripeKeys,
    StripeProvider,
    event_of,
    intent_of,
    method_facts,
    refund_of,
    setup_of,
)

CARD = {
    "id": "pm_1",
    "object": "payment_method",
    "type": "card",
    "card": {"brand": "visa", "last4": "4242", "exp_month": 7, "exp_year": 2031, "funding": "credit"},
}
SEPA = {"id": "pm_2", "object": "payment_method", "type": "sepa_debit", "sepa_debit": {"last4": "3201"}}
WEBHOOK_SECRET = "whsec_unit"


def intent(**fields: Any) -> dict[str, Any]:
    return {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": 1250,
        "currency": "eur",
        "client_secret": "pi_1_secret_x",
        "metadata": {"payment_id": "01PAYMENT"},
        "status": "requires_payment_method",
        "payment_method": None,
        "last_payment_error": None,
        **fields,
    }


def test_an_intent_maps_to_minor_units_upper_case_currency_and_our_payment_id() -> None:
    mapped = intent_of(intent(status="succeeded", payment_method=CARD))
    assert (mapped.id, mapped.status, mapped.amount, mapped.currency) == ("pi_1", "succeeded", 1250, "EUR")
    assert mapped.payment_id == "01PAYMENT" and mapped.client_secret == "pi_1_secret_x"
    assert mapped.method == MethodFacts("card", "visa", "4242", 7, 2031, "pm_1")
    assert mapped.failure_message is None


def test_a_declined_intent_carries_the_message_and_the_card_that_failed() -> None:
    error = {
        "type": "card_error",
        "code": "card_declined",
        "message": "Your card was declined.",
        "payment_method": CARD,
    }
    mapped = intent_of(intent(last_payment_error=error))
    assert mapped.status == "requires_payment_method"
    assert mapped.failure_message == "Your card was declined."
    assert mapped.method is not None and mapped.method.last4 == "4242"


def test_an_unexpanded_method_or_missing_metadata_tells_nothing() -> None:
    mapped = intent_of(intent(payment_method="pm_1", metadata={}, client_secret=None))
    assert mapped.method is None and mapped.payment_id is None and mapped.client_secret == ""


def test_a_bank_debit_keeps_its_type_and_last_four_only() -> None:
    assert method_facts(SEPA) == MethodFacts("bank_debit", "sepa_debit", "3201", None, None, "pm_2")


def test_a_setup_intent_maps_its_saved_method() -> None:
    raw = {"id": "seti_1", "status": "succeeded", "client_secret": "seti_1_secret_x", "payment_method": CARD}
    mapped = setup_of(raw)
    assert (mapped.id, mapped.status, mapped.client_secret) == ("seti_1", "succeeded", "seti_1_secret_x")
    assert mapped.method is not None and mapped.method.exp_year == 2031


@pytest.mark.parametrize(
    ("stripe_status", "ours"),
    [
        ("succeeded", "succeeded"),
        ("pending", "pending"),
        ("requires_action", "pending"),
        ("failed", "failed"),
        ("canceled", "failed"),
    ],
)
def test_refund_statuses_fold_into_three(stripe_status: str, ours: str) -> None:
    assert refund_of({"id": "re_1", "amount": 300, "status": stripe_status}).status == ours


def _provider() -> StripeProvider:
    keys = StripeKeys(
        secret_key="sk_test_unit", publishable_key="pk_test_unit", webhook_secret=WEBHOOK_SECRET
    )
    return StripeProvider(keys, api_base="http://127.0.0.1:9", js_url="http://127.0.0.1:9/v3/")


def _event(status: str = "succeeded") -> bytes:
    body = {
        "id": "evt_1",
        "object": "event",
        "type": f"payment_intent.{status}",
        "created": 1_800_000_000,
        "data": {"object": intent(status=status)},
    }
    return json.dumps(body).encode()


def _signed(payload: bytes, at: int | None = None, secret: str = WEBHOOK_SECRET) -> str:
    moment = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{moment}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


def test_a_signed_webhook_becomes_the_event_of_its_object() -> None:
    provider = _provider()
    assert (provider.name, provider.publishable_key, provider.js_url) == (
        "stripe",
        "pk_test_unit",
        "http://127.0.0.1:9/v3/",
    )
    payload = _event()
    event = provider.verify_webhook(payload, _signed(payload))
    assert (event.id, event.type, event.created) == ("evt_1", "payment_intent.succeeded", 1_800_000_000)
    assert event.object["id"] == "pi_1" and event.object["metadata"]["payment_id"] == "01PAYMENT"
    assert event_of(json.loads(payload)) == event


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "t=1,v1=00",
        "garbage",
        "stale",
        "other secret",
        "other body",
    ],
)
def test_a_webhook_without_a_fresh_valid_signature_is_refused(signature: str | None) -> None:
    payload = _event()
    if signature == "stale":
        signature = _signed(payload, at=int(time.time()) - 301)
    elif signature == "other secret":
        signature = _signed(payload, secret="whsec_someone_else")
    elif signature == "other body":
        signature = _signed(_event("canceled"))
    with pytest.raises(InvalidSignature):
        _provider().verify_webhook(payload, signature)


def test_a_signed_body_that_is_not_an_event_is_refused() -> None:
    payload = b"not json"
    with pytest.raises(MalformedEvent):
        _provider().verify_webhook(payload, _signed(payload))
