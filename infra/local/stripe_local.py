"""A local Stripe: the subset of Stripe's REST API the portal's provider adapter uses, its test cards
and IBANs, signed webhooks, and a Stripe.js stand-in for the browser. `make run` and the tests start it
beside moto (infra/local/portal.py); the real `stripe` SDK talks to it through `STRIPE_API_BASE`.

Why not `localstripe` (PyPI)? Tried with stripe 16.1: confirming an existing PaymentIntent with a
payment method answers 500 "Not implemented" (the browser flow: Stripe.js confirms the intent the server
created), the decline cards 4000 0000 0000 0002 and …9995 succeed on a PaymentIntent, Idempotency-Key
is ignored (the same key makes two intents), SEPA debits always succeed after a fixed 0.5 s (Stripe's
failing test IBAN succeeds), and webhooks are sent only to endpoints registered through its own API.
Fixing those means forking it, so this module speaks the same API itself, and nothing more: the server
(routes, keys, Idempotency-Key) here, the account's objects and their life cycles in stripe_account.py,
the webhooks in stripe_webhooks.py, the Stripe.js stand-in in stripe_standin.js.

What it speaks (form-encoded bodies with Stripe's `a[b][0]` nesting, `expand[]`, Stripe's JSON objects
and `{"error": {type, code, decline_code, message, param, payment_intent|setup_intent}}` errors):
  customers            POST /v1/customers, GET|POST /v1/customers/{id}
  payment methods      POST /v1/payment_methods (card or sepa_debit; the publishable key may create
                       them, as Stripe.js does), GET /v1/payment_methods/{id}, POST …/attach, …/detach
  payment intents      POST /v1/payment_intents (confirm, off_session), GET /v1/payment_intents/{id},
                       POST …/confirm, …/cancel
  setup intents        POST /v1/setup_intents, GET /v1/setup_intents/{id}, POST …/confirm, …/cancel
  refunds, charges     POST /v1/refunds, GET /v1/refunds/{id}, GET /v1/charges/{id},
                       GET /v1/charges?customer= (list), GET /v1/events/{id}
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
A processing intent settles after `settle_seconds` (`make run`: `LOCAL_STRIPE_SETTLE_SECONDS`, default
5, "manual": only when told; the tests: only when told), or at once through the test-only
`POST /_local/payment_intents/{id}/settle` (or `LocalStripe.settle(id)`). A SEPA refund stays
`pending` until the same settling.

Webhooks: every state change records an event (`GET /v1/events/{id}`); those of `WEBHOOK_EVENTS` (what
the portal's endpoint subscribes to in Stripe's dashboard) are POSTed asynchronously, one at a time and
in order, to the webhook target — a URL, or the portal's WSGI gateway in process — with
`Stripe-Signature: t=<now>,v1=HMAC-SHA256(webhook secret, "<t>.<body>")`, retried a few times when the
answer is not 2xx. `sent` keeps every delivery (body, answer); `sign()` signs a body for replays.

The Stripe.js stand-in (`GET /v3/`, stripe_standin.js) mounts each element as a frame of this server
(`/v3/elements/card|iban`, stripe_element.js): card data goes from that frame to this server only,
never into the portal's page. 3-D Secure is a dialog whose buttons call the test-only
`POST /_local/authenticate/{id}`.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import make_server
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from infra.local.stripe_account import API_VERSION, Account, Ledger, StripeError, public
from infra.local.stripe_webhooks import Delivery, Webhooks, WebhookTarget

HERE = Path(__file__).parent
# The Stripe.js stand-in, and what each element's frame loads (on this server's origin, as Stripe's
# fields are frames of js.stripe.com).
STATIC = {
    "standin": (HERE / "stripe_standin.js", "application/javascript; charset=utf-8"),
    "element_js": (HERE / "stripe_element.js", "application/javascript; charset=utf-8"),
    "element_css": (HERE / "stripe_element.css", "text/css; charset=utf-8"),
}
ELEMENT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/v3/element.css"><script src="/v3/element.js" defer></script></head>
<body></body></html>"""
ELEMENT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'"
# What the publishable key may call (Stripe.js), and the test-only calls that need no key at all.
BROWSER_ENDPOINTS = frozenset(
    {"method_create", "intent_get", "intent_confirm", "setup_get", "setup_confirm", "local_authenticate"}
)
TEST_ENDPOINTS = frozenset({"local_settle"})


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


class LocalStripe:
    """The server. `start()` serves it on loopback in a thread; `stop()` ends it."""

    def __init__(self, settle_seconds: float | None = 5.0, webhook_delay: float = 0.05) -> None:
        self.secret_key = "sk_test_local_" + secrets.token_hex(12)
        self.publishable_key = "pk_test_local_" + secrets.token_hex(12)
        self.webhook_secret = "whsec_local_" + secrets.token_hex(16)
        self.webhooks = Webhooks(self.webhook_secret, webhook_delay)
        # `settle_seconds`: until a processing debit settles by itself (None: only when told).
        self.account = Account(self.webhooks, settle_seconds)
        self._server: Any = None
        self.url = ""
        self.routes = Map(
            [
                Rule("/v3/", endpoint="standin", methods=["GET"]),
                Rule("/v3", endpoint="standin", methods=["GET"]),
                Rule("/v3/element.js", endpoint="element_js", methods=["GET"]),
                Rule("/v3/element.css", endpoint="element_css", methods=["GET"]),
                Rule("/v3/elements/<any(card, iban):kind>", endpoint="element_page", methods=["GET"]),
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
                Rule("/v1/charges", endpoint="charge_list", methods=["GET"]),
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
        self.account.stop()
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

    @property
    def ledger(self) -> Ledger:
        return self.account.ledger

    def settle(self, intent_id: str) -> dict[str, Any]:
        """Tests: settle a processing intent (and its pending refunds) now; the intent as Stripe shows it."""
        return self.account.settle(intent_id)

    def events_of(self, object_id: str) -> list[dict[str, Any]]:
        """Every event recorded about one object, oldest first (for replay tests)."""
        with self.account.lock:
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
        if endpoint in STATIC:
            path, content_type = STATIC[endpoint]
            return Response(path.read_bytes(), content_type=content_type)
        if endpoint == "element_page":
            title = "Card details" if args["kind"] == "card" else "IBAN"
            page = Response(ELEMENT_PAGE.format(title=title), content_type="text/html; charset=utf-8")
            page.headers["Content-Security-Policy"] = ELEMENT_CSP
            return page
        params = parse_form(request.args if request.method == "GET" else request.form)
        key = request.headers.get("Idempotency-Key")
        with self.account.lock:
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
        handler = getattr(self.account, endpoint)
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
