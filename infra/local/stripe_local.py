"""A local Stripe: the subset of Stripe's REST API the portal's provider adapter uses, its test cards
and IBANs, signed webhooks, and a Stripe.js stand-in for the browser. `make run` and the tests start it
beside moto (infra/local/portal.py); the real `stripe` SDK talks to it through `STRIPE_API_BASE`.

Why not `localstripe` (PyPI)? Tried with stripe 16.1: confirming an existing PaymentIntent with a
payment method answers 500 "Not implemented" (the browser flow: Stripe.js confirms the intent the server
created), the decline cards 4000 0000 0000 0002 and …9995 succeed on a PaymentIntent, Idempotency-Key
is ignored (the same key makes two intents), SEPA debits always succeed after a fixed 0.5 s (Stripe's
failing test IBAN succeeds), and webhooks are sent only to endpoints registered through its own API.
Fixing those means forking it, so this module speaks the same API itself, and nothing more.

What it speaks (form-encoded bodies with Stripe's `a[b][0]` nesting, `expand[]`, Stripe's JSON objects
and `{"error": {type, code, decline_code, message, param, payment_intent|setup_intent}}` errors):
  customers            POST /v1/customers, GET|POST /v1/customers/{id}
  payment methods      POST /v1/payment_methods (card or sepa_debit; the publishable key may create
                       them, as Stripe.js does), GET /v1/payment_methods/{id}, POST …/attach, …/detach
  payment intents      POST /v1/payment_intents (confirm, off_session), GET /v1/payment_intents/{id},
                       POST …/confirm, …/cancel
  setup intents        POST /v1/setup_intents, GET /v1/setup_intents/{id}, POST …/confirm, …/cancel
  refunds, charges     POST /v1/refunds, GET /v1/refunds/{id}, GET /v1/charges/{id}, GET /v1/events/{id}
The secret key authenticates as a Bearer token; the publishable key (`key=` in the body or query, as
Stripe.js sends it) may create payment methods and read or confirm an intent whose client secret it
holds. A POST with `Idempotency-Key` replays its first answer (`Idempotent-Replayed: true`); the same
key with other parameters is Stripe's 400 `idempotency_error`.

Test cards (any future expiry, any 3-digit CVC):
  4242 4242 4242 4242  succeeds (Visa)            5555 5555 5555 4444  succeeds (Mastercard)
  4000 0000 0000 0002  declined: "Your card was declined."
  4000 0000 0000 9995  declined: "Your card has insufficient funds."
  4000 0000 0000 0069  declined: "Your card has expired."
  4000 0025 0000 3155  3-D Secure when the contact pays; off session fine once set up (SetupIntent)
  4000 0027 6000 3184  3-D Secure on every payment (off session: declined, authentication_required)
Server-side tests may name Stripe's test methods instead: pm_card_visa, pm_card_mastercard,
pm_card_chargeDeclined, pm_card_chargeDeclinedInsufficientFunds, pm_card_authenticationRequiredOnSetup,
pm_card_authenticationRequired.
SEPA Direct Debit (euros only; billing name and email required), `processing` first:
  AT61 1904 3002 3457 3201 / DE89 3704 0044 0532 0130 00  then succeeds
  AT86 1904 3002 3547 3202 / DE62 3704 0044 0532 0130 01  then fails (insufficient funds)
A processing intent settles after `settle_seconds` (`LOCAL_STRIPE_SETTLE_SECONDS`, default 5; "manual":
only when told), or at once through the test-only `POST /_local/payment_intents/{id}/settle` (or
`LocalStripe.settle(id)`). A SEPA refund stays `pending` until the same settling.

Webhooks: every state change records an event (`GET /v1/events/{id}`); those of `WEBHOOK_EVENTS` (what
the portal's endpoint subscribes to in Stripe's dashboard) are POSTed asynchronously, one at a time and
in order, to the webhook target — a URL, or the portal's WSGI gateway in process — with
`Stripe-Signature: t=<now>,v1=HMAC-SHA256(webhook secret, "<t>.<body>")`, retried a few times when the
answer is not 2xx. `sent` keeps every delivery (body, answer); `sign()` signs a body for replays.

The Stripe.js stand-in (`GET /v3/`, stripe_standin.js): card data goes from the browser to this server
only. 3-D Secure is a dialog whose buttons call the test-only `POST /_local/authenticate/{id}`.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
import os
import queue
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import make_server
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

log = logging.getLogger(__name__)

STANDIN_JS = Path(__file__).with_name("stripe_standin.js")
API_VERSION = "2026-10-28.endive"  # what stripe==16.1.0 sends; objects below follow its shapes
WEBHOOK_PATH = "/api/webhooks/stripe"
WEBHOOK_EVENTS = frozenset(
    {
        "payment_intent.processing",
        "payment_intent.requires_action",
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.canceled",
        "setup_intent.succeeded",
        "setup_intent.setup_failed",
        "charge.refunded",
        "refund.updated",
        "refund.failed",
    }
)
WEBHOOK_RETRY_DELAYS = (1.0, 2.0, 4.0)
MINIMUM_AMOUNT = 50  # Stripe's minimum charge (0.50 of the major unit)
# What the publishable key may call (Stripe.js), and the test-only calls that need no key at all.
BROWSER_ENDPOINTS = frozenset(
    {"method_create", "intent_get", "intent_confirm", "setup_get", "setup_confirm", "local_authenticate"}
)
TEST_ENDPOINTS = frozenset({"local_settle"})


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


# ---- errors and form decoding ---------------------------------------------------------------------------


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


def parse_form(items: MultiDict[str, str]) -> dict[str, Any]:
    """Stripe's encoding of nested parameters (`card[number]`, `expand[0]`, `expand[]`) as a tree."""
    root: dict[str, Any] = {}
    for key, value in items.items(multi=True):
        head, _, rest = key.partition("[")
        names = [head, *rest[:-1].split("][")] if rest else [head]
        node = root
        for index, name in enumerate(names):
            name = name or str(len(node))  # `expand[]`: the next position
            if index == len(names) - 1:
                node[name] = value
            else:
                node = node.setdefault(name, {})
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        converted = {k: _lists(v) for k, v in node.items()}
        if converted and all(k.isdigit() for k in converted):
            return [converted[k] for k in sorted(converted, key=int)]
        return converted
    return node


def _bool(value: Any) -> bool:
    return str(value).lower() == "true"


def _now() -> int:
    return int(time.time())


# ---- webhooks ---------------------------------------------------------------------------------------------


@dataclass
class Delivery:
    event_id: str
    type: str
    payload: bytes
    attempts: int = 0
    status: int | None = None  # the last answer's status (None: not reached)


WebhookTarget = str | Callable[..., Any] | None  # a URL, a WSGI app (POSTed at WEBHOOK_PATH), or none


class Webhooks:
    """Delivers events one at a time in a thread, as Stripe does: after the API has answered."""

    def __init__(self, secret: str, delay: float = 0.05) -> None:
        self.secret = secret
        self.delay = delay
        self.target: WebhookTarget = None
        self.sent: list[Delivery] = []
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._outstanding = 0
        self._quiet = threading.Condition()
        self._timers: list[threading.Timer] = []
        self._thread = threading.Thread(target=self._run, name="local-stripe-webhooks", daemon=True)
        self._thread.start()

    def sign(self, payload: bytes, timestamp: int | None = None) -> str:
        """A `Stripe-Signature` header for `payload` (signed now, or at `timestamp`)."""
        moment = _now() if timestamp is None else timestamp
        digest = hmac.new(self.secret.encode(), f"{moment}.".encode() + payload, hashlib.sha256).hexdigest()
        return f"t={moment},v1={digest}"

    def enqueue(self, event: dict[str, Any]) -> None:
        if self.target is None:
            return
        with self._quiet:
            self._outstanding += 1
        payload = json.dumps(event, indent=2).encode()
        self._queue.put(Delivery(event_id=event["id"], type=event["type"], payload=payload))

    def wait(self, timeout: float = 10.0) -> bool:
        """Until every event so far is delivered (or given up on); False on timeout."""
        with self._quiet:
            return self._quiet.wait_for(lambda: self._outstanding == 0, timeout)

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._queue.put(None)

    def _run(self) -> None:
        while (delivery := self._queue.get()) is not None:
            time.sleep(self.delay)
            delivery.attempts += 1
            try:
                delivery.status = self._post(delivery.payload)
            except Exception as error:  # the target's failure must not end the delivery thread
                log.warning("local Stripe: webhook %s not delivered: %s", delivery.type, error)
                delivery.status = None
            if delivery.attempts == 1:
                self.sent.append(delivery)
            ok = delivery.status is not None and 200 <= delivery.status < 300
            if not ok and delivery.attempts <= len(WEBHOOK_RETRY_DELAYS):
                timer = threading.Timer(
                    WEBHOOK_RETRY_DELAYS[delivery.attempts - 1], self._queue.put, [delivery]
                )
                timer.daemon = True
                self._timers.append(timer)
                timer.start()
                continue
            if not ok:
                log.warning("local Stripe: webhook %s refused (%s)", delivery.type, delivery.status)
            with self._quiet:
                self._outstanding -= 1
                self._quiet.notify_all()

    def _post(self, payload: bytes) -> int:
        headers = {"Content-Type": "application/json; charset=utf-8", "Stripe-Signature": self.sign(payload)}
        headers["User-Agent"] = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
        target = self.target
        if isinstance(target, str):
            request = urllib.request.Request(target, data=payload, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    return int(answer.status)
            except urllib.error.HTTPError as error:
                return int(error.code)
        assert target is not None
        return Client(target).post(WEBHOOK_PATH, data=payload, headers=headers).status_code


# ---- the objects and their life cycles -----------------------------------------------------------------


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


class LocalStripe:
    """The server. `start()` serves it on loopback in a thread; `stop()` ends it."""

    def __init__(self, settle_seconds: float | None = 5.0, webhook_delay: float = 0.05) -> None:
        self.secret_key = "sk_test_local_" + secrets.token_hex(12)
        self.publishable_key = "pk_test_local_" + secrets.token_hex(12)
        self.webhook_secret = "whsec_local_" + secrets.token_hex(16)
        self.settle_seconds = settle_seconds  # None: processing settles only when told
        self.ledger = Ledger()
        self.webhooks = Webhooks(self.webhook_secret, webhook_delay)
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._settling: dict[str, threading.Timer] = {}
        self._server: Any = None
        self.url = ""
        self.routes = Map(
            [
                Rule("/v3/", endpoint="standin", methods=["GET"]),
                Rule("/v3", endpoint="standin", methods=["GET"]),
                Rule("/v1/customers", endpoint="customer_create", methods=["POST"]),
                Rule("/v1/customers/<id>", endpoint="customer_get", methods=["GET"]),
                Rule("/v1/customers/<id>", endpoint="customer_update", methods=["POST"]),
                Rule("/v1/payment_methods", endpoint="method_create", methods=["POST"]),
                Rule("/v1/payment_methods/<id>", endpoint="method_get", methods=["GET"]),
                Rule("/v1/payment_methods/<id>/attach", endpoint="method_attach", methods=["POST"]),
                Rule("/v1/payment_methods/<id>/detach", endpoint="method_detach", methods=["POST"]),
                Rule("/v1/payment_intents", endpoint="intent_create", methods=["POST"]),
                Rule("/v1/payment_intents/<id>", endpoint="intent_get", methods=["GET"]),
                Rule("/v1/payment_intents/<id>/confirm", endpoint="intent_confirm", methods=["POST"]),
                Rule("/v1/payment_intents/<id>/cancel", endpoint="intent_cancel", methods=["POST"]),
                Rule("/v1/setup_intents", endpoint="setup_create", methods=["POST"]),
                Rule("/v1/setup_intents/<id>", endpoint="setup_get", methods=["GET"]),
                Rule("/v1/setup_intents/<id>/confirm", endpoint="setup_confirm", methods=["POST"]),
                Rule("/v1/setup_intents/<id>/cancel", endpoint="setup_cancel", methods=["POST"]),
                Rule("/v1/refunds", endpoint="refund_create", methods=["POST"]),
                Rule("/v1/refunds/<id>", endpoint="refund_get", methods=["GET"]),
                Rule("/v1/charges/<id>", endpoint="charge_get", methods=["GET"]),
                Rule("/v1/events/<id>", endpoint="event_get", methods=["GET"]),
                Rule("/_local/authenticate/<id>", endpoint="local_authenticate", methods=["POST"]),
                Rule("/_local/payment_intents/<id>/settle", endpoint="local_settle", methods=["POST"]),
            ]
        )

    # ---- serving ------------------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> LocalStripe:
        self._server = make_server(host, port, self, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, name="local-stripe", daemon=True).start()
        return self

    def stop(self) -> None:
        self.webhooks.stop()
        with self._lock:
            for timer in self._settling.values():
                timer.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def js_url(self) -> str:
        return f"{self.url}/v3/"

    def deliver_to(self, target: WebhookTarget) -> None:
        self.webhooks.target = target

    def keys(self) -> dict[str, str]:
        """The provider secret's JSON (what ops store in PaymentsProviderSecret)."""
        return {
            "secret_key": self.secret_key,
            "publishable_key": self.publishable_key,
            "webhook_secret": self.webhook_secret,
        }

    def sign(self, payload: bytes, timestamp: int | None = None) -> str:
        return self.webhooks.sign(payload, timestamp)

    @property
    def sent(self) -> list[Delivery]:
        return self.webhooks.sent

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        return self.webhooks.wait(timeout)

    def events_of(self, object_id: str) -> list[dict[str, Any]]:
        """Every event recorded about one object, oldest first (for replay tests)."""
        with self._lock:
            return [e for e in self.ledger.events.values() if e["data"]["object"].get("id") == object_id]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        response = Response(status=204) if request.method == "OPTIONS" else self._respond(request)
        # Stripe's API answers browsers of any origin (the key, not the origin, authorises).
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Idempotency-Key"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
        return response(environ, start_response)

    def _respond(self, request: Request) -> Response:
        try:
            endpoint, args = self.routes.bind_to_environ(request.environ).match()
        except HTTPException:
            error = StripeError(404, f"Unrecognized request URL ({request.method}: {request.path}).")
            return _json(error.status, {"error": error.body})
        if endpoint == "standin":
            return Response(STANDIN_JS.read_bytes(), content_type="application/javascript; charset=utf-8")
        params = parse_form(request.args if request.method == "GET" else request.form)
        key = request.headers.get("Idempotency-Key")
        with self._lock:
            try:
                caller = self._caller(request, params)
                if key and request.method == "POST" and caller == "secret":
                    return self._idempotent(
                        key, request, params, lambda: self._call(endpoint, caller, dict(args), params)
                    )
                return self._call(endpoint, caller, dict(args), params)
            except StripeError as error:
                return _json(error.status, {"error": error.body})

    def _caller(self, request: Request, params: dict[str, Any]) -> str:
        authorization = request.headers.get("Authorization", "")
        if authorization:
            if authorization == f"Bearer {self.secret_key}":
                return "secret"
            raise StripeError(401, "Invalid API Key provided.")
        if params.pop("key", None) == self.publishable_key:
            return "publishable"
        if request.path.startswith("/_local/"):
            return "local"
        raise StripeError(401, "You did not provide an API key. Provide it in the Authorization header.")

    def _idempotent(
        self, key: str, request: Request, params: dict[str, Any], call: Callable[[], Response]
    ) -> Response:
        fingerprint = json.dumps([request.path, params], sort_keys=True)
        if key in self.ledger.idempotent:
            first, status, body = self.ledger.idempotent[key]
            if first != fingerprint:
                raise StripeError(
                    400,
                    "Keys for idempotent requests can only be used with the same parameters they were "
                    f"first used with. Try using a key other than '{key}' if you meant to execute a "
                    "different request.",
                    "idempotency_error",
                )
            replay = Response(body, status=status, content_type="application/json")
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = call()
        except StripeError as error:
            response = _json(error.status, {"error": error.body})
        if response.status_code < 400 or response.status_code == 402:  # Stripe keeps results, not bad input
            self.ledger.idempotent[key] = (fingerprint, response.status_code, response.get_data())
        response.headers["Idempotency-Key"] = key
        return response

    def _call(self, endpoint: str, caller: str, args: dict[str, str], params: dict[str, Any]) -> Response:
        handler = getattr(self, "_" + endpoint)
        allowed = {"secret"}
        allowed |= {"publishable"} if endpoint in BROWSER_ENDPOINTS else set()
        allowed |= {"local"} if endpoint in TEST_ENDPOINTS else set()
        if caller not in allowed:
            raise StripeError(
                401 if caller == "local" else 403,
                "This API call cannot be made with a publishable API key. Please use a secret API key.",
            )
        expand = set(params.pop("expand", []) or [])
        obj = handler(caller=caller, params=params, **args)
        return _json(200, self._render(obj, expand, caller))

    def _render(self, obj: dict[str, Any], expand: set[str], caller: str = "secret") -> dict[str, Any]:
        shown = public(obj)
        for name in expand:
            value = shown.get(name)
            if isinstance(value, str) and value in self.ledger.objects:
                shown[name] = public(self.ledger.objects[value])
        if caller == "publishable" and shown.get("object") in {"payment_intent", "setup_intent"}:
            # What Stripe shows a browser holding the client secret: no metadata, customer or description.
            for private in ("metadata", "customer", "description"):
                shown.pop(private, None)
        return shown

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
            "data": {"object": public(obj)},
            "livemode": False,
            "pending_webhooks": 1 if kind in WEBHOOK_EVENTS else 0,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
        }
        self.ledger.events[event["id"]] = event
        if kind in WEBHOOK_EVENTS:
            self.webhooks.enqueue(event)

    def _event_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        found = self.ledger.events.get(id)
        if found is None:
            raise missing(f"event: '{id}'")
        return found

    # ---- customers ---------------------------------------------------------------------------------------

    def _customer_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
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

    def _customer_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self.ledger.get("cus_", id, "customer")

    def _customer_update(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        customer = self.ledger.get("cus_", id, "customer")
        for name in ("email", "name", "description"):
            if name in params:
                customer[name] = params[name]
        customer["metadata"] = {**customer["metadata"], **(params.get("metadata") or {})}
        if "invoice_settings" in params:
            customer["invoice_settings"] = {**customer["invoice_settings"], **params["invoice_settings"]}
        return customer

    # ---- payment methods -------------------------------------------------------------------------------

    def _method_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
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

    def _method_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self._method(id)

    def _method(self, id: str) -> dict[str, Any]:
        if id in TEST_METHODS:  # Stripe makes a new method of the named test card each time
            expiry = datetime.now(UTC).year + 3
            card = {"number": TEST_METHODS[id], "exp_month": 12, "exp_year": expiry, "cvc": "123"}
            return self._method_create("secret", {"type": "card", "card": card})
        return self.ledger.get("pm_", id, "PaymentMethod")

    def _method_attach(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        method = self._method(id)
        customer = self.ledger.get("cus_", str(params.get("customer")), "customer")
        if method["customer"] not in {None, customer["id"]}:
            raise StripeError(400, "The payment method you provided has already been attached to a customer.")
        method["customer"] = customer["id"]
        self._emit("payment_method.attached", method)
        return method

    def _method_detach(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
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

    def _intent_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
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

    def _intent_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        intent = self.ledger.get("pi_", id, "payment_intent")
        self._check_secret(caller, intent, params)
        return intent

    def _intent_confirm(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
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
        with self._lock:
            self._settle(intent_id)

    def settle(self, intent_id: str) -> dict[str, Any]:
        """Tests: settle a processing intent (and its pending refunds) now; the intent as Stripe shows it."""
        with self._lock:
            self._settle(intent_id)
            return public(self.ledger.get("pi_", intent_id, "payment_intent"))

    def _local_settle(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
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

    def _intent_cancel(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
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

    def _local_authenticate(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
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

    def _setup_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
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

    def _setup_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        setup = self.ledger.get("seti_", id, "setup_intent")
        self._check_secret(caller, setup, params)
        return setup

    def _setup_confirm(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
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

    def _setup_cancel(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
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

    def _refund_create(self, caller: str, params: dict[str, Any]) -> dict[str, Any]:
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

    def _refund_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self.ledger.get("re_", id, "refund")

    def _charge_get(self, caller: str, params: dict[str, Any], id: str) -> dict[str, Any]:
        return self.ledger.get("ch_", id, "charge")

    # ---- what the browser does (tests without a browser) ------------------------------------------------

    def browser(self) -> StandIn:
        """The calls the Stripe.js stand-in makes, for tests that pay without a browser."""
        return StandIn(self)


def _json(status: int, body: Any) -> Response:
    response = Response(json.dumps(body), status=status, content_type="application/json")
    response.headers["Request-Id"] = "req_" + secrets.token_hex(8)
    response.headers["Stripe-Version"] = API_VERSION
    return response


class StandIn:
    """Stripe.js's requests (publishable key + client secret), made from Python: what a contact's
    browser does after the portal answered with the client secret."""

    def __init__(self, stripe: LocalStripe) -> None:
        self.stripe = stripe
        self.client = Client(stripe)

    def _post(self, path: str, data: dict[str, str]) -> dict[str, Any]:
        answer = self.client.post(path, data={"key": self.stripe.publishable_key, **data})
        return dict(answer.json or {})

    def card(self, number: str, exp: str = "12/40", cvc: str = "123") -> dict[str, Any]:
        month, year = exp.split("/")
        data = {"type": "card", "card[number]": number, "card[exp_month]": month, "card[exp_year]": year}
        return self._post("/v1/payment_methods", data | {"card[cvc]": cvc})

    def iban(self, iban: str, name: str = "Ada Lovelace", email: str = "ada@example.com") -> dict[str, Any]:
        data = {"type": "sepa_debit", "sepa_debit[iban]": iban}
        return self._post(
            "/v1/payment_methods", data | {"billing_details[name]": name, "billing_details[email]": email}
        )

    def confirm(self, client_secret: str, method: dict[str, Any]) -> dict[str, Any]:
        """confirmCardPayment / confirmSepaDebitPayment / confirmCardSetup: the intent, or `{"error"}`."""
        if "error" in method:
            return method
        intent_id = client_secret.split("_secret_")[0]
        kind = "setup_intents" if intent_id.startswith("seti_") else "payment_intents"
        return self._post(
            f"/v1/{kind}/{intent_id}/confirm",
            {"client_secret": client_secret, "payment_method": method["id"]},
        )

    def pay_with_card(self, client_secret: str, number: str) -> dict[str, Any]:
        return self.confirm(client_secret, self.card(number))

    def pay_with_iban(self, client_secret: str, iban: str) -> dict[str, Any]:
        return self.confirm(client_secret, self.iban(iban))

    def authenticate(self, client_secret: str, complete: bool = True) -> dict[str, Any]:
        """The 3-D Secure dialog's buttons: Complete authentication / Fail authentication."""
        intent_id = client_secret.split("_secret_")[0]
        outcome = "complete" if complete else "fail"
        return self._post(
            f"/_local/authenticate/{intent_id}", {"client_secret": client_secret, "outcome": outcome}
        )


def settle_seconds_from_environment() -> float | None:
    """`LOCAL_STRIPE_SETTLE_SECONDS`: seconds until a bank debit settles (default 5; "manual": never
    by itself, only through the settle endpoint)."""
    raw = os.environ.get("LOCAL_STRIPE_SETTLE_SECONDS", "5").strip().lower()
    return None if raw in {"manual", "never", ""} else float(raw)
