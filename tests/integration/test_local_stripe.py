"""The provider adapter drives the real `stripe` SDK against the local Stripe (started with the portal):
what the payments service will see of card payments, declines, 3-D Secure, bank debits that settle or
fail, saved methods, refunds, idempotency and signed webhooks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.test import Client

from infra.local.stripe_local import LocalStripe
from services.payments import providers
from services.payments.provider import InvalidSignature, PaymentProvider
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import new_id
from shared.money import Money
from shared.settings import forget as forget_settings
from tests.support import PortalHandle

USD_10 = Money(amount=1000, currency="USD")
EUR_25 = Money(amount=2500, currency="EUR")


@pytest.fixture(scope="module")
def stripe(portal: PortalHandle) -> LocalStripe:
    return portal.local.stripe  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def pay(portal: PortalHandle) -> Iterator[PaymentProvider]:
    """The provider as the payments functions build it: its keys from the template's secret."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAYMENTS_PROVIDER_SECRET_ARN", portal.local.stack.ref("PaymentsProviderSecret"))
        forget_settings()
        providers.forget()
        yield providers.provider("stripe")
        providers.forget()
    forget_settings()


@pytest.fixture(scope="module")
def stripe_customer(pay: PaymentProvider) -> str:
    return pay.create_customer(new_id(), "ap@customer.example", "Customer Example")


class Recorder:
    """A webhook endpoint that keeps what Stripe posted (raw body and signature header)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes, str | None]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        with self.lock:
            self.received.append((environ["PATH_INFO"], body, environ.get("HTTP_STRIPE_SIGNATURE")))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    def of(self, kind: str, object_id: str) -> list[tuple[bytes, str | None]]:
        with self.lock:
            return [
                (body, signature)
                for _, body, signature in self.received
                if json.loads(body)["type"] == kind and json.loads(body)["data"]["object"]["id"] == object_id
            ]


@pytest.fixture
def webhooks(stripe: LocalStripe) -> Iterator[Recorder]:
    """Webhooks go to a recorder during the test (then to the portal again)."""
    assert stripe.wait_for_webhooks()
    previous, recorder = stripe.webhooks.target, Recorder()
    stripe.deliver_to(recorder)
    try:
        yield recorder
    finally:
        stripe.wait_for_webhooks()
        stripe.deliver_to(previous)


def new_intent(
    pay: PaymentProvider, stripe_customer: str, amount: Money = USD_10, method: str | None = None
) -> Any:
    return pay.create_intent(new_id(), amount, stripe_customer, method, "Invoice INV-1")


# ---- paying with a card in the browser ------------------------------------------------------------------


def test_a_card_payment_confirmed_by_the_browser_succeeds(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    payment_id = new_id()
    intent = pay.create_intent(payment_id, USD_10, stripe_customer, None, "Invoice INV-1")
    assert intent.status == "requires_payment_method" and intent.client_secret.startswith(intent.id)
    assert (intent.amount, intent.currency, intent.payment_id) == (1000, "USD", payment_id)

    answer = stripe.browser().pay_with_card(intent.client_secret, "4242 4242 4242 4242")
    assert answer["status"] == "succeeded"
    assert "metadata" not in answer  # the browser sees less than the server

    paid = pay.get_intent(intent.id)
    assert paid.status == "succeeded" and paid.failure_message is None
    assert paid.method is not None
    assert (paid.method.kind, paid.method.brand, paid.method.last4) == ("card", "visa", "4242")
    assert paid.payment_id == payment_id


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4000000000000002", "Your card was declined."),
        ("4000000000009995", "Your card has insufficient funds."),
    ],
)
def test_a_declined_card_leaves_the_intent_payable_with_the_banks_reason(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str, number: str, message: str
) -> None:
    intent = new_intent(pay, stripe_customer)
    answer = stripe.browser().pay_with_card(intent.client_secret, number)
    assert answer["error"]["type"] == "card_error" and answer["error"]["message"] == message

    declined = pay.get_intent(intent.id)
    assert declined.status == "requires_payment_method"
    assert declined.failure_message == message
    assert declined.method is not None and declined.method.last4 == number[-4:]  # the card that failed

    retried = stripe.browser().pay_with_card(intent.client_secret, "4242424242424242")
    assert retried["status"] == "succeeded" and pay.get_intent(intent.id).failure_message is None


def test_3d_secure_asks_the_contact_and_completes_or_fails(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    browser = stripe.browser()
    completed, failed = new_intent(pay, stripe_customer), new_intent(pay, stripe_customer)
    for intent in (completed, failed):
        answer = browser.pay_with_card(intent.client_secret, "4000002500003155")
        assert answer["status"] == "requires_action" and answer["next_action"]["type"] == "use_stripe_sdk"
        assert pay.get_intent(intent.id).status == "requires_action"

    assert browser.authenticate(completed.client_secret, complete=True)["status"] == "succeeded"
    assert pay.get_intent(completed.id).status == "succeeded"

    assert browser.authenticate(failed.client_secret, complete=False)["status"] == "requires_payment_method"
    after = pay.get_intent(failed.id)
    assert after.status == "requires_payment_method"
    assert after.failure_message is not None and "unable to authenticate" in after.failure_message


def test_the_browser_needs_the_client_secret(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    intent = new_intent(pay, stripe_customer)
    other = new_intent(pay, stripe_customer)
    answer = stripe.browser().pay_with_card(
        other.client_secret.replace(other.id, intent.id), "4242424242424242"
    )
    assert answer["error"]["param"] == "client_secret"
    assert pay.get_intent(intent.id).status == "requires_payment_method"
    # The publishable key cannot make an intent (nor anything but methods and its own intents).
    made = Client(stripe).post(
        "/v1/payment_intents", data={"key": stripe.publishable_key, "amount": "1000", "currency": "usd"}
    )
    assert made.status_code == 403


# ---- bank debits -----------------------------------------------------------------------------------


def test_a_bank_debit_is_processing_until_it_settles(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    browser = stripe.browser()
    good, bad = new_intent(pay, stripe_customer, EUR_25), new_intent(pay, stripe_customer, EUR_25)
    assert browser.pay_with_iban(good.client_secret, "AT61 1904 3002 3457 3201")["status"] == "processing"
    assert browser.pay_with_iban(bad.client_secret, "AT861904300235473202")["status"] == "processing"
    pending = pay.get_intent(good.id)
    assert pending.status == "processing"
    assert pending.method is not None and (pending.method.kind, pending.method.last4) == (
        "bank_debit",
        "3201",
    )

    # The test-only endpoint settles at once (LOCAL_STRIPE_SETTLE_SECONDS would, later).
    settled = Client(stripe).post(f"/_local/payment_intents/{good.id}/settle")
    assert settled.status_code == 200 and settled.json["status"] == "succeeded"  # type: ignore[index]
    assert pay.get_intent(good.id).status == "succeeded"

    assert stripe.settle(bad.id)["status"] == "requires_payment_method"
    failed = pay.get_intent(bad.id)
    assert failed.status == "requires_payment_method"
    assert failed.failure_message == "The customer's account has insufficient funds to cover this payment."


def test_bank_debit_is_offered_for_euros_only(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    intent = new_intent(pay, stripe_customer, USD_10)
    answer = stripe.browser().pay_with_iban(intent.client_secret, "AT611904300234573201")
    assert answer["error"]["code"] == "payment_intent_incompatible_payment_method"
    assert pay.get_intent(intent.id).status == "requires_payment_method"


def test_a_processing_debit_settles_by_itself_after_the_configured_time() -> None:
    local = LocalStripe(settle_seconds=0.2).start()
    try:
        browser = local.browser()
        made = Client(local).post(
            "/v1/payment_intents",
            data={"amount": "2500", "currency": "eur", "allowed_payment_method_types[0]": "sepa_debit"},
            headers={"Authorization": f"Bearer {local.secret_key}"},
        )
        secret = made.json["client_secret"]  # type: ignore[index]
        assert browser.pay_with_iban(secret, "DE89370400440532013000")["status"] == "processing"
        intent_id = secret.split("_secret_")[0]
        deadline = time.monotonic() + 10
        while local.ledger.objects[intent_id]["status"] == "processing" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert local.ledger.objects[intent_id]["status"] == "succeeded"
    finally:
        local.stop()


# ---- saved methods ----------------------------------------------------------------------------------


def test_a_setup_intent_saves_a_card_whose_facts_the_portal_keeps(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    setup = pay.create_setup(stripe_customer)
    assert setup.status == "requires_payment_method" and setup.method is None
    browser = stripe.browser()
    answer = browser.confirm(setup.client_secret, browser.card("5555555555554444", exp="11/31"))
    assert answer["status"] == "succeeded"

    saved = pay.get_setup(setup.id)
    assert saved.status == "succeeded" and saved.method is not None
    facts = saved.method
    assert (facts.kind, facts.brand, facts.last4, facts.exp_month, facts.exp_year) == (
        "card",
        "mastercard",
        "4444",
        11,
        2031,
    )
    assert facts.id is not None and pay.get_method(facts.id) == facts

    # Charged later without the contact (a saved method is confirmed at once, off session).
    charged = new_intent(pay, stripe_customer, method=facts.id)
    assert charged.status == "succeeded" and charged.method == facts

    pay.detach_method(facts.id)
    with pytest.raises(ValidationFailed):
        pay.detach_method(facts.id)  # no longer attached


def test_a_card_authenticated_at_setup_is_charged_off_session_without_asking(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    browser = stripe.browser()
    setup = pay.create_setup(stripe_customer)
    assert browser.pay_with_card(setup.client_secret, "4000002500003155")["status"] == "requires_action"
    assert browser.authenticate(setup.client_secret)["status"] == "succeeded"
    method = pay.get_setup(setup.id).method
    assert method is not None and method.id is not None
    assert new_intent(pay, stripe_customer, method=method.id).status == "succeeded"
    # A card that asks every time cannot be charged without the contact.
    refused = new_intent(pay, stripe_customer, method="pm_card_authenticationRequired")
    assert refused.status == "requires_payment_method"
    assert refused.failure_message == "Your card was declined. This transaction requires authentication."


def test_a_declined_saved_card_is_an_intent_with_the_reason_not_an_error(
    pay: PaymentProvider, stripe_customer: str
) -> None:
    declined = new_intent(pay, stripe_customer, method="pm_card_chargeDeclined")
    assert declined.status == "requires_payment_method"
    assert declined.failure_message == "Your card was declined."


# ---- idempotency, cancel, refunds -------------------------------------------------------------------------


def test_the_payment_id_is_the_idempotency_key(pay: PaymentProvider, stripe_customer: str) -> None:
    payment_id = new_id()
    first = pay.create_intent(payment_id, USD_10, stripe_customer, None, "Invoice INV-1")
    again = pay.create_intent(payment_id, USD_10, stripe_customer, None, "Invoice INV-1")
    assert again.id == first.id and again.client_secret == first.client_secret
    with pytest.raises(Conflict):  # the same key for another payment is refused, not a second intent
        pay.create_intent(
            payment_id, Money(amount=999, currency="USD"), stripe_customer, None, "Invoice INV-1"
        )

    declined_id = new_id()
    once = pay.create_intent(declined_id, USD_10, stripe_customer, "pm_card_chargeDeclined", "Invoice INV-2")
    twice = pay.create_intent(declined_id, USD_10, stripe_customer, "pm_card_chargeDeclined", "Invoice INV-2")
    assert once.id == twice.id  # the first answer (a decline) is replayed, not a second charge


def test_cancel_ends_an_unpaid_intent_only(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    intent = new_intent(pay, stripe_customer)
    assert pay.cancel_intent(intent.id).status == "canceled"
    paid = new_intent(pay, stripe_customer, method="pm_card_visa")
    with pytest.raises(ValidationFailed):
        pay.cancel_intent(paid.id)
    with pytest.raises(NotFound):
        pay.get_intent("pi_nothing_like_it")


def test_refunds_are_keyed_by_our_refund_id_and_never_exceed_the_payment(
    pay: PaymentProvider, stripe_customer: str
) -> None:
    intent = new_intent(pay, stripe_customer, method="pm_card_visa")
    refund_id = new_id()
    first = pay.refund(intent.id, Money(amount=400, currency="USD"), refund_id)
    assert (first.status, first.amount) == ("succeeded", 400)
    assert pay.refund(intent.id, Money(amount=400, currency="USD"), refund_id).id == first.id  # replayed
    with pytest.raises(ValidationFailed):
        pay.refund(intent.id, Money(amount=601, currency="USD"), new_id())  # 600 left
    rest = pay.refund(intent.id, Money(amount=600, currency="USD"), new_id())
    assert rest.status == "succeeded" and rest.id != first.id

    unpaid = new_intent(pay, stripe_customer)
    with pytest.raises(ValidationFailed):
        pay.refund(unpaid.id, Money(amount=100, currency="USD"), new_id())


def test_a_bank_debit_refund_is_pending_until_the_bank_settles(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str
) -> None:
    intent = new_intent(pay, stripe_customer, EUR_25)
    stripe.browser().pay_with_iban(intent.client_secret, "AT611904300234573201")
    stripe.settle(intent.id)
    refund = pay.refund(intent.id, Money(amount=500, currency="EUR"), new_id())
    assert refund.status == "pending"
    stripe.settle(intent.id)
    assert [
        e["data"]["object"]["status"] for e in stripe.events_of(refund.id) if e["type"] == "refund.updated"
    ] == ["succeeded"]


# ---- webhooks -------------------------------------------------------------------------------------------


def test_each_state_change_is_posted_signed_to_the_portal(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str, webhooks: Recorder
) -> None:
    payment_id = new_id()
    intent = pay.create_intent(payment_id, USD_10, stripe_customer, None, "Invoice INV-1")
    stripe.browser().pay_with_card(intent.client_secret, "4000000000000002")
    stripe.browser().pay_with_card(intent.client_secret, "4242424242424242")
    paid = pay.refund(intent.id, Money(amount=1000, currency="USD"), new_id())
    assert stripe.wait_for_webhooks()

    assert {path for path, _, _ in webhooks.received} == {"/api/webhooks/stripe"}
    (failed,) = webhooks.of("payment_intent.payment_failed", intent.id)
    (succeeded,) = webhooks.of("payment_intent.succeeded", intent.id)
    event = pay.verify_webhook(*succeeded)
    assert (event.type, event.object["id"], event.object["status"]) == (
        "payment_intent.succeeded",
        intent.id,
        "succeeded",
    )
    assert event.object["metadata"]["payment_id"] == payment_id
    assert pay.verify_webhook(*failed).object["last_payment_error"]["message"] == "Your card was declined."
    refunded = [
        json.loads(body) for _, body, _ in webhooks.received if json.loads(body)["type"] == "charge.refunded"
    ]
    assert [r["data"]["object"]["payment_intent"] for r in refunded] == [intent.id]
    assert paid.amount == 1000
    # Events Stripe's dashboard does not send to the portal's endpoint stay in Stripe (GET /v1/events).
    assert not webhooks.of("payment_intent.created", intent.id)


def test_a_tampered_stale_or_missing_signature_is_refused(
    pay: PaymentProvider, stripe: LocalStripe, stripe_customer: str, webhooks: Recorder
) -> None:
    intent = new_intent(pay, stripe_customer, method="pm_card_visa")
    assert stripe.wait_for_webhooks()
    ((body, signature),) = webhooks.of("payment_intent.succeeded", intent.id)
    assert signature is not None and pay.verify_webhook(body, signature).object["id"] == intent.id

    tampered = body.replace(b'"succeeded"', b'"canceled"')
    with pytest.raises(InvalidSignature):
        pay.verify_webhook(tampered, signature)
    with pytest.raises(InvalidSignature):
        pay.verify_webhook(body, None)
    with pytest.raises(InvalidSignature):
        pay.verify_webhook(body, signature.replace("v1=", "v1=0"))
    now = int(time.time())
    assert pay.verify_webhook(body, stripe.sign(body, timestamp=now - 290)).id == json.loads(body)["id"]
    with pytest.raises(InvalidSignature):  # older than the 300-second tolerance
        pay.verify_webhook(body, stripe.sign(body, timestamp=now - 301))
    other = LocalStripe(settle_seconds=None)  # another account's signing secret
    try:
        with pytest.raises(InvalidSignature):
            pay.verify_webhook(body, other.sign(body))
    finally:
        other.stop()


def test_an_unknown_provider_is_not_found() -> None:
    with pytest.raises(NotFound):
        providers.provider("paypal")
