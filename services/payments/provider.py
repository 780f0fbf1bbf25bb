"""The payment provider interface: the only thing the payments service calls to move money.

The service speaks these small frozen dataclasses; an adapter (today Stripe, `provider_stripe`) maps
them to and from its provider's SDK. Nothing else in the portal imports `stripe`, so adding a provider
means one more adapter module and one more name in `provider()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from shared.errors import DomainError
from shared.money import Money

IntentStatus = Literal[
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "succeeded",
    "canceled",
]


@dataclass(frozen=True)
class MethodFacts:
    """What the portal may keep and show of a payment method (never a full number)."""

    kind: Literal["card", "bank_debit"]
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None
    id: str | None


@dataclass(frozen=True)
class Intent:
    id: str
    status: IntentStatus
    amount: int
    currency: str  # ISO 4217, upper case (the portal's Money currency)
    client_secret: str
    payment_id: str | None  # our id, from the intent's metadata
    method: MethodFacts | None
    failure_message: str | None  # the provider's last_payment_error message, for the contact


@dataclass(frozen=True)
class Setup:
    id: str
    status: str
    client_secret: str
    method: MethodFacts | None


RefundStatus = Literal["pending", "succeeded", "failed"]


@dataclass(frozen=True)
class Refund:
    id: str
    status: RefundStatus
    amount: int


@dataclass(frozen=True)
class Charge:
    """Money the provider took from a customer (reconciliation): captured minus refunded is what it holds."""

    id: str
    payment_id: str | None  # our id, from its intent's metadata
    currency: str  # ISO 4217, upper case
    captured: int
    refunded: int

    @property
    def net(self) -> int:
        return self.captured - self.refunded


@dataclass(frozen=True)
class ProviderEvent:
    id: str
    type: str
    created: int
    object: dict[str, Any]  # the event's data.object


class InvalidSignature(Exception):
    """A webhook whose signature is missing, wrong, or older or newer than the tolerance (the API
    answers 400)."""


class MalformedEvent(Exception):
    """A correctly signed webhook whose body is not an event (the API answers 400)."""


class ProviderUnavailable(DomainError):
    """The provider could not be reached or answered an error that is not the customer's doing."""

    status = 502
    code = "provider_unavailable"


class PaymentProvider(Protocol):
    name: str  # "stripe"
    publishable_key: str  # for the browser
    js_url: str  # where the browser loads the provider's JS (https://js.stripe.com/v3/)

    def create_customer(self, customer_id: str, email: str, name: str) -> str: ...

    def create_intent(
        self,
        payment_id: str,
        amount: Money,
        provider_customer: str,
        method_id: str | None,
        description: str,
    ) -> Intent:
        """A payment intent keyed (idempotency key) by `payment_id`. With `method_id` (a saved
        method) it is confirmed at once, off session; without, the browser confirms it with the
        provider's JS and the client secret. A decline is not an exception: the intent comes back
        `requires_payment_method` with `failure_message`."""
        ...

    def get_intent(self, intent_id: str) -> Intent: ...

    def cancel_intent(self, intent_id: str) -> Intent: ...

    def create_setup(self, provider_customer: str) -> Setup:
        """A setup intent for saving a method for later off-session charges."""
        ...

    def get_setup(self, setup_id: str) -> Setup: ...

    def get_method(self, method_id: str) -> MethodFacts: ...

    def detach_method(self, method_id: str) -> None: ...

    def refund(self, intent_id: str, amount: Money, refund_id: str) -> Refund:
        """Refund part or all of a succeeded intent, keyed (idempotency key) by `refund_id`."""
        ...

    def charges(self, provider_customer: str) -> list[Charge]:
        """Every successful charge of the customer (one call per 100)."""
        ...

    def verify_webhook(self, payload: bytes, signature: str | None) -> ProviderEvent:
        """The event of a webhook body whose signature is valid and at most 300 s old, else
        `InvalidSignature`."""
        ...
