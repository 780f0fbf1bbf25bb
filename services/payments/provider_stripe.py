"""Stripe behind the provider interface, through the `stripe` SDK (a `StripeClient`, no module
globals). Its keys are a Secrets Manager secret read once per container; `STRIPE_API_BASE` points the
SDK at another API (locally the Stripe-compatible server of infra/local/stripe_local.py).

Stripe's own idempotency keys make every money-moving call safe to retry: an intent is keyed by our
payment id, a refund by our refund id, a customer by our customer id. A declined card is an answer,
not an error: the intent comes back with the provider's message for the contact.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import stripe
from pydantic import Field

from services.payments.provider import (
    Charge,
    Intent,
    IntentStatus,
    InvalidSignature,
    MalformedEvent,
    MethodFacts,
    ProviderEvent,
    ProviderUnavailable,
    Refund,
    RefundStatus,
    Setup,
)
from shared.aws import client
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.money import Money
from shared.settings import EnvSettings, load

STRIPE_JS = "https://js.stripe.com/v3/"
WEBHOOK_TOLERANCE_SECONDS = 300
# What a contact may pay with: Stripe offers those compatible with the intent's currency (SEPA
# Direct Debit takes euros only), listed again in the intent's `payment_method_types`.
PAYMENT_METHOD_TYPES = ["card", "sepa_debit"]
_EXPAND_METHOD: list[str] = ["payment_method"]


class StripeSettings(EnvSettings):
    """The variables the Stripe adapter reads (declared on the payments functions in template.yaml)."""

    secret_arn: str = Field(alias="PAYMENTS_PROVIDER_SECRET_ARN")
    api_base: str = Field("", alias="STRIPE_API_BASE")  # empty: Stripe's own API
    js_url: str = Field(STRIPE_JS, alias="STRIPE_JS_URL")


@dataclass(frozen=True)
class StripeKeys:
    secret_key: str
    publishable_key: str
    webhook_secret: str

    @classmethod
    def from_secret(cls, secret_arn: str) -> StripeKeys:
        raw = json.loads(client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"])
        return cls(
            secret_key=raw["secret_key"],
            publishable_key=raw["publishable_key"],
            webhook_secret=raw["webhook_secret"],
        )


class StripeProvider:
    name = "stripe"

    def __init__(self, keys: StripeKeys, api_base: str = "", js_url: str = STRIPE_JS) -> None:
        self.publishable_key = keys.publishable_key
        self.js_url = js_url
        self._webhook_secret = keys.webhook_secret
        self._stripe = stripe.StripeClient(
            keys.secret_key,
            base_addresses={"api": api_base} if api_base else {},
            # The SDK retries connection errors and 409/5xx answers with the same idempotency key.
            max_network_retries=2,
        )

    @classmethod
    def from_environment(cls) -> StripeProvider:
        settings = load(StripeSettings)
        return cls(StripeKeys.from_secret(settings.secret_arn), settings.api_base, settings.js_url)

    # ---- customers and intents ---------------------------------------------------------------------

    def create_customer(self, customer_id: str, email: str, name: str) -> str:
        with _calls():
            customer = self._stripe.v1.customers.create(
                params={"email": email, "name": name, "metadata": {"customer_id": customer_id}},
                options={"idempotency_key": f"customer-{customer_id}"},
            )
        return str(customer.id)

    def create_intent(
        self,
        payment_id: str,
        amount: Money,
        provider_customer: str,
        method_id: str | None,
        description: str,
    ) -> Intent:
        params: dict[str, Any] = {
            "amount": amount.amount,
            "currency": amount.currency.lower(),
            "customer": provider_customer,
            "description": description,
            "metadata": {"payment_id": payment_id},
            "allowed_payment_method_types": list(PAYMENT_METHOD_TYPES),
            "expand": _EXPAND_METHOD,
        }
        if method_id:
            # A saved method is charged at once, without the contact at hand to authenticate.
            params |= {"payment_method": method_id, "confirm": True, "off_session": True}
        try:
            with _calls():
                intent = self._stripe.v1.payment_intents.create(
                    params=cast(Any, params), options={"idempotency_key": payment_id}
                )
        except stripe.CardError as declined:
            # Stripe answers a declined off-session charge with an error that carries the intent.
            failed = declined.error.payment_intent if declined.error else None
            if failed is None:
                raise ProviderUnavailable("the provider declined the payment without an intent") from None
            return self.get_intent(str(failed["id"]))
        return intent_of(intent)

    def get_intent(self, intent_id: str) -> Intent:
        with _calls():
            intent = self._stripe.v1.payment_intents.retrieve(intent_id, params={"expand": _EXPAND_METHOD})
        return intent_of(intent)

    def cancel_intent(self, intent_id: str) -> Intent:
        with _calls():
            intent = self._stripe.v1.payment_intents.cancel(intent_id, params={"expand": _EXPAND_METHOD})
        return intent_of(intent)

    # ---- saved methods --------------------------------------------------------------------------------

    def create_setup(self, provider_customer: str) -> Setup:
        with _calls():
            setup = self._stripe.v1.setup_intents.create(
                params={
                    "customer": provider_customer,
                    "usage": "off_session",
                    "allowed_payment_method_types": ["card"],
                    "expand": list(_EXPAND_METHOD),
                }
            )
        return setup_of(setup)

    def get_setup(self, setup_id: str) -> Setup:
        with _calls():
            setup = self._stripe.v1.setup_intents.retrieve(setup_id, params={"expand": _EXPAND_METHOD})
        return setup_of(setup)

    def get_method(self, method_id: str) -> MethodFacts:
        with _calls():
            method = self._stripe.v1.payment_methods.retrieve(method_id)
        return method_facts(_plain(method))

    def detach_method(self, method_id: str) -> None:
        with _calls():
            self._stripe.v1.payment_methods.detach(method_id)

    # ---- refunds and webhooks ---------------------------------------------------------------------------

    def refund(self, intent_id: str, amount: Money, refund_id: str) -> Refund:
        with _calls():
            refund = self._stripe.v1.refunds.create(
                params={
                    "payment_intent": intent_id,
                    "amount": amount.amount,
                    "metadata": {"refund_id": refund_id},
                },
                options={"idempotency_key": refund_id},
            )
        return refund_of(_plain(refund))

    def charges(self, provider_customer: str) -> list[Charge]:
        found: list[Charge] = []
        with _calls():
            page = self._stripe.v1.charges.list(params={"customer": provider_customer, "limit": 100})
            for raw in page.auto_paging_iter():
                charge = _plain(raw)
                if charge.get("status") == "succeeded":
                    found.append(charge_of(charge))
        return found

    def verify_webhook(self, payload: bytes, signature: str | None) -> ProviderEvent:
        if not signature:
            raise InvalidSignature("the webhook has no Stripe-Signature header")
        try:  # the signature only: the body is parsed below, as ours to refuse
            stripe.WebhookSignature.verify_header(
                payload, signature, self._webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as error:
            raise InvalidSignature(str(error.user_message or error)) from None
        # Stripe's check refuses only old timestamps: one far ahead would outlive the replay window.
        if _signed_at(signature) > time.time() + WEBHOOK_TOLERANCE_SECONDS:
            raise InvalidSignature("the webhook signature's timestamp is in the future")
        try:
            body = json.loads(payload)
        except (ValueError, RecursionError):
            raise MalformedEvent("the webhook body is not JSON") from None
        return event_of(body)


# ---- mapping Stripe's objects (plain dicts) to the interface's ------------------------------------------


def intent_of(intent: Any) -> Intent:
    raw = _plain(intent)
    error = raw.get("last_payment_error") or {}
    return Intent(
        id=raw["id"],
        status=cast(IntentStatus, raw["status"]),
        amount=int(raw["amount"]),
        currency=str(raw["currency"]).upper(),
        client_secret=raw.get("client_secret") or "",
        payment_id=(raw.get("metadata") or {}).get("payment_id"),
        # After a decline Stripe detaches the method from the intent; the error still names it.
        method=_method_or_none(raw.get("payment_method") or error.get("payment_method")),
        failure_message=error.get("message"),
    )


def setup_of(setup: Any) -> Setup:
    raw = _plain(setup)
    return Setup(
        id=raw["id"],
        status=raw["status"],
        client_secret=raw.get("client_secret") or "",
        method=_method_or_none(raw.get("payment_method")),
    )


def method_facts(raw: dict[str, Any]) -> MethodFacts:
    if raw.get("type") == "card":
        card = raw.get("card") or {}
        return MethodFacts(
            kind="card",
            brand=card.get("brand"),
            last4=card.get("last4"),
            exp_month=card.get("exp_month"),
            exp_year=card.get("exp_year"),
            id=raw.get("id"),
        )
    details = raw.get(str(raw.get("type"))) or {}
    return MethodFacts(
        kind="bank_debit",
        brand=str(raw.get("type")),
        last4=details.get("last4"),
        exp_month=None,
        exp_year=None,
        id=raw.get("id"),
    )


def refund_of(raw: dict[str, Any]) -> Refund:
    # Stripe's requires_action (the customer must give bank details) is still pending for us.
    status = raw.get("status")
    mapped: RefundStatus = "pending"
    if status == "succeeded":
        mapped = "succeeded"
    elif status in {"failed", "canceled"}:
        mapped = "failed"
    return Refund(id=raw["id"], status=mapped, amount=int(raw["amount"]))


def _signed_at(signature: str) -> int:
    """The `t=` of a Stripe-Signature header (already verified, so it is there and numeric)."""
    stamps = [part[2:] for part in signature.split(",") if part.startswith("t=")]
    return int(stamps[0]) if stamps and stamps[0].isdigit() else 0


def event_of(raw: Any) -> ProviderEvent:
    """An event's fields, or `MalformedEvent` for a body that does not have them."""
    try:
        data_object = raw["data"]["object"]
        event = ProviderEvent(
            id=raw["id"], type=raw["type"], created=int(raw["created"]), object=dict(data_object)
        )
    except (KeyError, TypeError, ValueError):
        raise MalformedEvent("the webhook body is not a Stripe event") from None
    if not (isinstance(event.id, str) and event.id and isinstance(event.type, str)) or not isinstance(
        data_object, dict
    ):
        raise MalformedEvent("the webhook body is not a Stripe event")
    return event


def _method_or_none(method: Any) -> MethodFacts | None:
    # Expanded, the method is an object; an id alone (not expanded) tells nothing to show.
    if isinstance(method, dict):
        return method_facts(method)
    return None


def charge_of(raw: dict[str, Any]) -> Charge:
    return Charge(
        id=raw["id"],
        payment_id=(raw.get("metadata") or {}).get("payment_id"),
        currency=str(raw["currency"]).upper(),
        captured=int(raw.get("amount_captured") or 0),
        refunded=int(raw.get("amount_refunded") or 0),
    )


def _plain(obj: Any) -> dict[str, Any]:
    """A Stripe object as plain JSON data (StripeObject is not a dict in SDK 16)."""
    if isinstance(obj, dict):
        return obj
    return cast(dict[str, Any], obj.to_dict())


@contextmanager
def _calls() -> Iterator[None]:
    """Stripe's errors in the portal's terms (a decline is handled where it is expected)."""
    try:
        yield
    except stripe.IdempotencyError as error:
        raise Conflict(f"the provider refused a replayed request: {error.user_message}") from None
    except stripe.InvalidRequestError as error:
        if error.code == "resource_missing":
            raise NotFound(f"the provider has no such object: {error.user_message}") from None
        raise ValidationFailed(f"the provider refused the request: {error.user_message}") from None
    except stripe.CardError:
        raise
    except stripe.StripeError as error:
        raise ProviderUnavailable(f"the payment provider is unavailable: {error.user_message}") from None
