"""The local Stripe's account (infra/local/stripe_local.py): its objects — customers, payment methods,
payment and setup intents, charges, refunds, events — as plain dicts, and their life cycles with
Stripe's test cards and IBANs. One method per API endpoint, `(caller, params, **path)` → the object;
`StripeError` carries Stripe's error answer. The server holds `lock` around every call."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from infra.local.stripe_webhooks import WEBHOOK_EVENTS, Webhooks

API_VERSION = "2026-10-28.endive"  # what stripe==16.1.0 sends; the objects follow its shapes
MINIMUM_AMOUNT = 50  # Stripe's minimum charge (0.50 of the major unit)


# ---- test cards and IBANs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str | None
    message: str


DECLINED = Decline("card_declined", "generic_decline", "Your card was declined.")
DECLINES = {
    "4000000000000002": DECLINED,
    "4000000000009995": Decline("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    "4000000000000069": Decline("expired_card", None, "Your card has expired."),
}
THREE_D_SECURE_ONCE = "4000002500003155"  # on session; a card set up for off-session use needs none
THREE_D_SECURE_ALWAYS = "4000002760003184"
AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)
AUTHENTICATION_FAILED = (
    "We are unable to authenticate your payment method. "
    "Please choose a different payment method and try again."
)
TEST_METHODS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_authenticationRequiredOnSetup": THREE_D_SECURE_ONCE,
    "pm_card_authenticationRequired": THREE_D_SECURE_ALWAYS,
}
FAILING_IBANS = {"AT861904300235473202", "DE62370400440532013001"}
SEPA_FAILURE = Decline(
    "insufficient_funds", None, "The customer's account has insufficient funds to cover this payment."
)
CURRENCIES_OF = {"sepa_debit": {"eur"}}  # a method type missing here takes every currency


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or 2221 <= int(number[:4] or 0) <= 2720:
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    if number.startswith(("6011", "65")):
        return "discover"
    return "unknown"


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return len(number) >= 12 and total % 10 == 0


def iban_valid(iban: str) -> bool:
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


# ---- errors and records ---------------------------------------------------------------------------


class StripeError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", **fields: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"type": kind, "message": message, **{k: v for k, v in fields.items() if v is not None}}


def card_error(decline: Decline, **fields: Any) -> StripeError:
    return StripeError(
        402, decline.message, "card_error", code=decline.code, decline_code=decline.decline_code, **fields
    )


def missing(name: str) -> StripeError:
    return StripeError(404, f"No such {name}", code="resource_missing")


def _bool(value: Any) -> bool:
    return str(value).lower() == "true"


def _now() -> int:
    return int(time.time())


@dataclass
class Ledger:
    """Stripe's objects as plain dicts; private facts (the card number) under keys starting with `_`."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotent: dict[str, tuple[str, int, bytes]] = field(default_factory=dict)

    def get(self, prefix: str, object_id: str, name: str) -> dict[str, Any]:
        found = self.objects.get(object_id)
        if found is None or not object_id.startswith(prefix):
            raise missing(f"{name}: '{object_id}'")
        return found


def public(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if not k.startswith("_")}


class Account:
    """One Stripe account in test mode (the local Stripe serves one)."""

    def __init__(self, webhooks: Webhooks, settle_seconds: float | None) -> None:
        self.webhooks = webhooks
        self.settle_seconds = settle_seconds  # None: processing settles only when told
        self.ledger = Ledger()
        self.lock = threading.RLock()
        self._ids = itertools.count(1)
        self._settling: dict[str, threading.Timer] = {}

    def stop(self) -> None:
        with self.lock:
            for timer in self._settling.values():
                timer.cancel()

    # ---- records and events ----------------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_{secrets.token_hex(8)}{next(self._ids):04d}"

    def _store(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.ledger.objects[obj["id"]] = obj
        return obj

    def _emit(self, kind: str, obj: dict[str, Any]) -> None:
        event: dict[str, Any] = {
            "id": self._new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": _now(),
            # A snapshot: later changes of the object do not change what the event said.
            "data": {"object": json.loads(json.dumps(public(obj)))},
            "livemode": False,
            "pending_webhooks": 1 if kind in WEBHOOK_EVENTS else 0,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
        }
        self.ledger.events[event["id"]] = event
        if kind in WEBHOOK_EVENTS:
            self.webhooks.enqueue(event)

    def event_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        found = self.ledger.events.get(id)
        if found is None:
            raise missing(f"event: '{id}'")
        return found

    # ---- customers ---------------------------------------------------------------------------------------

    def customer_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
        return self._store(
            {
                "id": self._new_id("cus"),
                "object": "customer",
                "created": _now(),
                "email": params.get("email"),
                "name": params.get("name"),
                "description": params.get("description"),
                "metadata": params.get("metadata") or {},
                "invoice_settings": {"default_payment_method": None},
                "livemode": False,
            }
        )

    def customer_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self.ledger.get("cus_", id, "customer")

    def customer_update(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        customer = self.ledger.get("cus_", id, "customer")
        for name in ("email", "name", "description"):
            if name in params:
                customer[name] = params[name]
        customer["metadata"] = {**customer["metadata"], **(params.get("metadata") or {})}
        if "invoice_settings" in params:
            customer["invoice_settings"] = {**customer["invoice_settings"], **params["invoice_settings"]}
        return customer

    # ---- payment methods -------------------------------------------------------------------------------

    def method_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
        kind = params.get("type")
        billing = params.get("billing_details") or {}
        method: dict[str, Any] = {
            "id": self._new_id("pm"),
            "object": "payment_method",
            "type": kind,
            "created": _now(),
            "customer": None,
            "billing_details": {
                "name": billing.get("name"),
                "email": billing.get("email"),
                "address": billing.get("address"),
                "phone": billing.get("phone"),
            },
            "metadata": params.get("metadata") or {},
            "livemode": False,
            "_set_up": False,
        }
        if kind == "card":
            method |= self._card(params.get("card") or {})
        elif kind == "sepa_debit":
            iban = re.sub(r"\s", "", str((params.get("sepa_debit") or {}).get("iban", ""))).upper()
            if not iban_valid(iban):
                raise StripeError(
                    400,
                    "The IBAN you entered is invalid.",
                    code="invalid_bank_account_iban",
                    param="sepa_debit[iban]",
                )
            for required in ("name", "email"):
                if not billing.get(required):
                    raise StripeError(
                        400,
                        f"Missing required param: billing_details[{required}].",
                        code="parameter_missing",
                        param=f"billing_details[{required}]",
                    )
            method["sepa_debit"] = {
                "bank_code": iban[4:12],
                "branch_code": "",
                "country": iban[:2],
                "fingerprint": hashlib.sha256(iban.encode()).hexdigest()[:16],
                "last4": iban[-4:],
            }
            method["_iban"] = iban
        else:
            raise StripeError(
                400, f"Invalid type: must be one of card or sepa_debit ({kind!r})", param="type"
            )
        return self._store(method)

    def _card(self, card: dict[str, Any]) -> dict[str, Any]:
        number = re.sub(r"[\s-]", "", str(card.get("number", "")))
        if not number.isdigit() or not luhn_valid(number):
            raise card_error(
                Decline("incorrect_number", None, "Your card number is incorrect."), param="card[number]"
            )
        try:
            month, year = int(card.get("exp_month", 0)), int(card.get("exp_year", 0))
        except ValueError:
            month, year = 0, 0
        year = year + 2000 if year < 100 else year
        if not 1 <= month <= 12:
            raise card_error(
                Decline("invalid_expiry_month", None, "Your card's expiration month is invalid."),
                param="card[exp_month]",
            )
        today = datetime.now(UTC)
        if (year, month) < (today.year, today.month):
            raise card_error(
                Decline("invalid_expiry_year", None, "Your card's expiration year is invalid."),
                param="card[exp_year]",
            )
        cvc = str(card.get("cvc", ""))
        if cvc and not re.fullmatch(r"[0-9]{3,4}", cvc):
            raise card_error(
                Decline("invalid_cvc", None, "Your card's security code is invalid."), param="card[cvc]"
            )
        return {
            "card": {
                "brand": card_brand(number),
                "country": "US",
                "exp_month": month,
                "exp_year": year,
                "fingerprint": hashlib.sha256(number.encode()).hexdigest()[:16],
                "funding": "credit",
                "last4": number[-4:],
                "three_d_secure_usage": {"supported": True},
            },
            "_number": number,
        }

    def method_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self._method(id)

    def _method(self, id: str) -> dict[str, Any]:
        if id in TEST_METHODS:  # Stripe makes a new method of the named test card each time
            expiry = datetime.now(UTC).year + 3
            card = {"number": TEST_METHODS[id], "exp_month": 12, "exp_year": expiry, "cvc": "123"}
            return self.method_create("secret", {"type": "card", "card": card})
        return self.ledger.get("pm_", id, "PaymentMethod")

    def method_attach(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        method = self._method(id)
        customer = self.ledger.get("cus_", str(params.get("customer")), "customer")
        if method["customer"] not in {None, customer["id"]}:
            raise StripeError(400, "The payment method you provided has already been attached to a customer.")
        method["customer"] = customer["id"]
        self._emit("payment_method.attached", method)
        return method

    def method_detach(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        method = self._method(id)
        if method["customer"] is None:
            raise StripeError(
                400,
                "The payment method you provided is not attached to a customer so detachment is impossible.",
            )
        method["customer"] = None
        method["_set_up"] = False
        self._emit("payment_method.detached", method)
        return method

    # ---- payment intents ----------------------------------------------------------------------------------

    def intent_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            amount = int(params.get("amount", ""))
        except ValueError:
            raise StripeError(
                400, "Missing required param: amount.", code="parameter_missing", param="amount"
            ) from None
        currency = str(params.get("currency", "")).lower()
        if not currency:
            raise StripeError(
                400, "Missing required param: currency.", code="parameter_missing", param="currency"
            )
        if amount < MINIMUM_AMOUNT:
            raise StripeError(
                400,
                f"Amount must be at least {MINIMUM_AMOUNT} {currency}",
                code="amount_too_small",
                param="amount",
            )
        allowed = params.get("allowed_payment_method_types") or params.get("payment_method_types") or ["card"]
        types = [t for t in allowed if currency in CURRENCIES_OF.get(t, {currency})]
        if not types:
            raise StripeError(
                400,
                f"The currency provided ({currency}) is invalid for the payment method types {allowed}.",
                param="allowed_payment_method_types",
            )
        customer = params.get("customer")
        if customer:
            self.ledger.get("cus_", customer, "customer")
        intent_id = self._new_id("pi")
        intent = self._store(
            {
                "id": intent_id,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": 0,
                "canceled_at": None,
                "cancellation_reason": None,
                "capture_method": "automatic",
                "client_secret": f"{intent_id}_secret_{secrets.token_hex(12)}",
                "confirmation_method": "automatic",
                "created": _now(),
                "currency": currency,
                "customer": customer,
                "description": params.get("description"),
                "last_payment_error": None,
                "latest_charge": None,
                "livemode": False,
                "metadata": params.get("metadata") or {},
                "next_action": None,
                "payment_method": None,
                "payment_method_types": types,
                "status": "requires_payment_method",
            }
        )
        self._emit("payment_intent.created", intent)
        if params.get("payment_method"):
            self._use_method(intent, str(params["payment_method"]))
        if _bool(params.get("confirm")):
            self._confirm(intent, off_session=_bool(params.get("off_session")))
        return intent

    def intent_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        intent = self.ledger.get("pi_", id, "payment_intent")
        self._check_secret(caller, intent, params)
        return intent

    def intent_confirm(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        intent = self.ledger.get("pi_", id, "payment_intent")
        self._check_secret(caller, intent, params)
        if intent["status"] not in {"requires_payment_method", "requires_confirmation", "requires_action"}:
            raise StripeError(
                400,
                f"This PaymentIntent's status is {intent['status']}, so it cannot be confirmed.",
                code="payment_intent_unexpected_state",
                payment_intent=public(intent),
            )
        if params.get("payment_method"):
            self._use_method(intent, str(params["payment_method"]))
        if intent["payment_method"] is None:
            raise StripeError(
                400,
                "You cannot confirm this PaymentIntent because it's missing a payment method.",
                code="payment_intent_unexpected_state",
                payment_intent=public(intent),
            )
        self._confirm(intent, off_session=_bool(params.get("off_session")))
        return intent

    def _check_secret(self, caller: str, intent: dict[str, Any], params: dict[str, Any]) -> None:
        if caller == "publishable" and params.get("client_secret") != intent["client_secret"]:
            raise StripeError(
                400,
                "The client_secret provided does not match the client_secret associated with this object.",
                param="client_secret",
            )

    def _use_method(self, intent: dict[str, Any], method_id: str) -> None:
        method = self._method(method_id)
        if method["type"] not in intent["payment_method_types"]:
            raise StripeError(
                400,
                f"The PaymentMethod provided ({method['type']}) is not allowed for this "
                f"{intent['object'].replace('_', ' ')}. "
                f"Allowed: {', '.join(intent['payment_method_types'])}.",
                code="payment_intent_incompatible_payment_method",
            )
        if intent.get("customer") and method["customer"] not in {None, intent["customer"]}:
            raise StripeError(
                400, "The provided PaymentMethod belongs to a different Customer.", param="payment_method"
            )
        intent["payment_method"] = method["id"]
        intent["last_payment_error"] = None
        if intent["status"] == "requires_payment_method":
            intent["status"] = "requires_confirmation"

    def _confirm(self, intent: dict[str, Any], off_session: bool) -> None:
        method = self.ledger.objects[intent["payment_method"]]
        if method["type"] == "sepa_debit":
            self._start_debit(intent, method)
            return
        number = method["_number"]
        needs_3ds = number == THREE_D_SECURE_ALWAYS or (
            number == THREE_D_SECURE_ONCE and not method["_set_up"]
        )
        if needs_3ds and off_session:
            self._decline(intent, AUTHENTICATION_REQUIRED)
        elif needs_3ds:
            intent["status"] = "requires_action"
            intent["next_action"] = {
                "type": "use_stripe_sdk",
                "use_stripe_sdk": {"type": "three_d_secure_redirect", "source": method["id"]},
            }
            self._emit("payment_intent.requires_action", intent)
        elif number in DECLINES:
            self._decline(intent, DECLINES[number])
        else:
            self._charge(intent, method, "succeeded")

    def _charge(
        self, intent: dict[str, Any], method: dict[str, Any], status: str, failure: Decline | None = None
    ) -> dict[str, Any]:
        details: dict[str, Any] = {"type": method["type"]}
        details[method["type"]] = dict(method[method["type"]])
        charge = self._store(
            {
                "id": self._new_id("ch"),
                "object": "charge",
                "amount": intent["amount"],
                "amount_captured": intent["amount"] if status == "succeeded" else 0,
                "amount_refunded": 0,
                "captured": status == "succeeded",
                "created": _now(),
                "currency": intent["currency"],
                "customer": intent["customer"],
                "failure_code": failure.code if failure else None,
                "failure_message": failure.message if failure else None,
                "livemode": False,
                "metadata": dict(intent["metadata"]),
                "outcome": {"type": "issuer_declined" if failure else "authorized"},
                "paid": status == "succeeded",
                "payment_intent": intent["id"],
                "payment_method": method["id"],
                "payment_method_details": details,
                "refunded": False,
                "status": status,
            }
        )
        intent["latest_charge"] = charge["id"]
        intent["next_action"] = None
        if status == "succeeded":
            intent["status"] = "succeeded"
            intent["amount_received"] = intent["amount"]
            self._emit("charge.succeeded", charge)
            self._emit("payment_intent.succeeded", intent)
        elif status == "pending":
            intent["status"] = "processing"
            self._emit("charge.pending", charge)
            self._emit("payment_intent.processing", intent)
        return charge

    def _decline(self, intent: dict[str, Any], decline: Decline, charge: bool = True) -> None:
        method = self.ledger.objects[intent["payment_method"]]
        if charge:
            failed = self._charge(intent, method, "failed", decline)
            self._emit("charge.failed", failed)
        kind = "card_error" if method["type"] == "card" else "invalid_request_error"
        intent["last_payment_error"] = {
            "type": kind,
            "code": decline.code,
            "decline_code": decline.decline_code,
            "message": decline.message,
            "charge": intent["latest_charge"],
            "payment_method": public(method),
        }
        intent["payment_method"] = None
        intent["next_action"] = None
        intent["status"] = "requires_payment_method"
        self._emit("payment_intent.payment_failed", intent)
        if method["type"] == "card" and decline.code != "payment_intent_authentication_failure":
            raise card_error(decline, payment_intent=public(intent), charge=intent["latest_charge"])

    def _start_debit(self, intent: dict[str, Any], method: dict[str, Any]) -> None:
        self._charge(intent, method, "pending")
        if self.settle_seconds is not None:
            timer = threading.Timer(self.settle_seconds, self._settle_later, [intent["id"]])
            timer.daemon = True
            self._settling[intent["id"]] = timer
            timer.start()

    def _settle_later(self, intent_id: str) -> None:
        with self.lock:
            self._settle(intent_id)

    def settle(self, intent_id: str) -> dict[str, Any]:
        """Tests: settle a processing intent (and its pending refunds) now; the intent as Stripe shows it."""
        with self.lock:
            self._settle(intent_id)
            return public(self.ledger.get("pi_", intent_id, "payment_intent"))

    def local_settle(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        self._settle(id)
        return self.ledger.get("pi_", id, "payment_intent")

    def _settle(self, intent_id: str) -> None:
        intent = self.ledger.get("pi_", intent_id, "payment_intent")
        timer = self._settling.pop(intent_id, None)
        if timer is not None:
            timer.cancel()
        for refund in [o for o in self.ledger.objects.values() if o.get("object") == "refund"]:
            if refund["payment_intent"] == intent_id and refund["status"] == "pending":
                refund["status"] = "succeeded"
                self._emit("refund.updated", refund)
        if intent["status"] != "processing":
            return
        charge = self.ledger.objects[intent["latest_charge"]]
        method = self.ledger.objects[charge["payment_method"]]
        intent["payment_method"] = method["id"]
        if method.get("_iban") in FAILING_IBANS:
            charge |= {
                "status": "failed",
                "failure_code": SEPA_FAILURE.code,
                "failure_message": SEPA_FAILURE.message,
            }
            self._emit("charge.failed", charge)
            self._decline(intent, SEPA_FAILURE, charge=False)
        else:
            charge |= {
                "status": "succeeded",
                "paid": True,
                "captured": True,
                "amount_captured": charge["amount"],
            }
            intent["status"] = "succeeded"
            intent["amount_received"] = intent["amount"]
            self._emit("charge.succeeded", charge)
            self._emit("payment_intent.succeeded", intent)

    def intent_cancel(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        intent = self.ledger.get("pi_", id, "payment_intent")
        cancellable = {"requires_payment_method", "requires_confirmation", "requires_action"}
        if intent["status"] not in cancellable:
            raise StripeError(
                400,
                f"You cannot cancel this PaymentIntent because it has a status of {intent['status']}. "
                "Only a PaymentIntent with one of the following statuses may be canceled: "
                f"{', '.join(sorted(cancellable))}.",
                code="payment_intent_unexpected_state",
                payment_intent=public(intent),
            )
        intent |= {
            "status": "canceled",
            "canceled_at": _now(),
            "cancellation_reason": params.get("cancellation_reason"),
            "next_action": None,
        }
        self._emit("payment_intent.canceled", intent)
        return intent

    def local_authenticate(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        """The stand-in's 3-D Secure dialog: `outcome` = complete | fail (the issuer's answer)."""
        intent = self.ledger.get("pi_" if id.startswith("pi_") else "seti_", id, "intent")
        self._check_secret("publishable", intent, params)
        if intent["status"] != "requires_action":
            raise StripeError(400, f"This intent's status is {intent['status']}: nothing to authenticate.")
        method = self.ledger.objects[intent["payment_method"]]
        complete = params.get("outcome") == "complete"
        if intent["object"] == "setup_intent":
            if complete:
                self._set_up(intent, method)
            else:
                self._setup_failed(
                    intent,
                    method,
                    Decline("setup_intent_authentication_failure", None, AUTHENTICATION_FAILED),
                )
        elif complete:
            self._charge(intent, method, "succeeded")
        else:
            self._decline(
                intent,
                Decline("payment_intent_authentication_failure", None, AUTHENTICATION_FAILED),
                charge=False,
            )
        return intent

    # ---- setup intents ---------------------------------------------------------------------------------

    def setup_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
        customer = params.get("customer")
        if customer:
            self.ledger.get("cus_", customer, "customer")
        setup_id = self._new_id("seti")
        setup = self._store(
            {
                "id": setup_id,
                "object": "setup_intent",
                "client_secret": f"{setup_id}_secret_{secrets.token_hex(12)}",
                "created": _now(),
                "customer": customer,
                "description": params.get("description"),
                "last_setup_error": None,
                "livemode": False,
                "metadata": params.get("metadata") or {},
                "next_action": None,
                "payment_method": None,
                "payment_method_types": params.get("allowed_payment_method_types")
                or params.get("payment_method_types")
                or ["card"],
                "status": "requires_payment_method",
                "usage": params.get("usage") or "off_session",
            }
        )
        self._emit("setup_intent.created", setup)
        return setup

    def setup_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        setup = self.ledger.get("seti_", id, "setup_intent")
        self._check_secret(caller, setup, params)
        return setup

    def setup_confirm(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        setup = self.ledger.get("seti_", id, "setup_intent")
        self._check_secret(caller, setup, params)
        if setup["status"] not in {"requires_payment_method", "requires_confirmation", "requires_action"}:
            raise StripeError(
                400,
                f"This SetupIntent's status is {setup['status']}, so it cannot be confirmed.",
                code="setup_intent_unexpected_state",
                setup_intent=public(setup),
            )
        if params.get("payment_method"):
            self._use_method(setup, str(params["payment_method"]))
        if setup["payment_method"] is None:
            raise StripeError(
                400, "You cannot confirm this SetupIntent because it's missing a payment method."
            )
        method = self.ledger.objects[setup["payment_method"]]
        number = method.get("_number")
        if number in {THREE_D_SECURE_ONCE, THREE_D_SECURE_ALWAYS}:
            setup["status"] = "requires_action"
            setup["next_action"] = {
                "type": "use_stripe_sdk",
                "use_stripe_sdk": {"type": "three_d_secure_redirect"},
            }
            self._emit("setup_intent.requires_action", setup)
        elif number in DECLINES:
            self._setup_failed(setup, method, DECLINES[number])
        else:
            self._set_up(setup, method)
        return setup

    def _set_up(self, setup: dict[str, Any], method: dict[str, Any]) -> None:
        setup |= {"status": "succeeded", "next_action": None, "last_setup_error": None}
        method["_set_up"] = True
        if setup["customer"] and method["customer"] is None:
            method["customer"] = setup["customer"]
            self._emit("payment_method.attached", method)
        self._emit("setup_intent.succeeded", setup)

    def _setup_failed(self, setup: dict[str, Any], method: dict[str, Any], decline: Decline) -> None:
        setup |= {
            "status": "requires_payment_method",
            "payment_method": None,
            "next_action": None,
            "last_setup_error": {
                "type": "card_error",
                "code": decline.code,
                "decline_code": decline.decline_code,
                "message": decline.message,
                "payment_method": public(method),
            },
        }
        self._emit("setup_intent.setup_failed", setup)
        if decline.code != "setup_intent_authentication_failure":
            raise card_error(decline, setup_intent=public(setup))

    def setup_cancel(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        setup = self.ledger.get("seti_", id, "setup_intent")
        if setup["status"] in {"succeeded", "canceled"}:
            raise StripeError(
                400,
                f"This SetupIntent's status is {setup['status']}, so it cannot be canceled.",
                code="setup_intent_unexpected_state",
            )
        setup |= {"status": "canceled", "next_action": None}
        self._emit("setup_intent.canceled", setup)
        return setup

    # ---- refunds, charges ---------------------------------------------------------------------------------

    def refund_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
        intent_id = params.get("payment_intent")
        if not intent_id and params.get("charge"):
            intent_id = self.ledger.get("ch_", str(params["charge"]), "charge")["payment_intent"]
        intent = self.ledger.get("pi_", str(intent_id), "payment_intent")
        if intent["status"] != "succeeded":
            raise StripeError(
                400,
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
            )
        charge = self.ledger.objects[intent["latest_charge"]]
        left = charge["amount"] - charge["amount_refunded"]
        amount = int(params.get("amount", left))
        if amount <= 0 or amount > left:
            raise StripeError(
                400,
                f"Refund amount ({amount} {intent['currency']}) is greater than unrefunded amount on charge "
                f"({left} {intent['currency']})",
                code="amount_too_large",
                param="amount",
            )
        method = self.ledger.objects[charge["payment_method"]]
        refund = self._store(
            {
                "id": self._new_id("re"),
                "object": "refund",
                "amount": amount,
                "charge": charge["id"],
                "created": _now(),
                "currency": intent["currency"],
                "metadata": params.get("metadata") or {},
                "payment_intent": intent["id"],
                "reason": params.get("reason"),
                # A card refund is done at once in test mode; a bank debit's waits for the bank.
                "status": "succeeded" if method["type"] == "card" else "pending",
            }
        )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        self._emit("refund.created", refund)
        self._emit("charge.refunded", charge)
        if refund["status"] == "pending" and self.settle_seconds is not None:
            timer = threading.Timer(self.settle_seconds, self._settle_later, [intent["id"]])
            timer.daemon = True
            timer.start()
        return refund

    def refund_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self.ledger.get("re_", id, "refund")

    def charge_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self.ledger.get("ch_", id, "charge")

    def charge_list(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
        """`GET /v1/charges?customer=…`: newest first, `limit` (≤ 100) and `starting_after`, as Stripe."""
        charges = [
            public(o)
            for o in reversed(self.ledger.objects.values())
            if o.get("object") == "charge" and o.get("customer") == params.get("customer", o.get("customer"))
        ]
        after = params.get("starting_after")
        if after:
            charges = charges[[c["id"] for c in charges].index(after) + 1 :]
        limit = min(int(params.get("limit", 10)), 100)
        return {
            "object": "list",
            "url": "/v1/charges",
            "data": charges[:limit],
            "has_more": len(charges) > limit,
        }
