"""Authorization of every API route, driven by template.yaml's route table (not hand-picked):
- every non-public route: no token, an expired token, a tampered token and a token signed by another
  key → 401 from the gateway (and a correctly signed token with the same claims is accepted);
- staff routes with a customer contact's token → 403; customer routes with a staff token → 403;
- customer routes addressing another customer's resource → 404, byte-for-byte like a missing id;
- routes of a portal module the tenant turned off → 403 `module_disabled`.

Every route must be classified in ROUTES below; a route added to template.yaml without a line here
fails `test_every_route_is_classified`, which prints the line to add."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import openapi
from infra.local.template import Route, load, routes
from shared.ids import new_id
from tests.support import (
    ApiClient,
    Customer,
    PortalHandle,
    create_estimate,
    create_invoice,
    mint,
    moto_signing_key,
)

Access = Literal["public", "signed_in", "customer", "staff"]
MISSING_ID = "01JZZZZZZZZZZZZZZZZZZZZZZZ"  # a well-formed id that nothing has
B_COLLEAGUE = "colleague.of.b@authz.example"  # another contact of B's: whom B may forward to


@dataclass
class World:
    """Two customers (A calls, B owns) and staff, set up once for the suite."""

    staff: ApiClient
    a: Customer
    b: Customer
    b_invoice_id: str
    b_estimate_id: str

    def fresh_b_note(self) -> dict[str, str]:
        """A credit note of B's raised against B's invoice: using it spends it, so each call its own."""
        body = {
            "customer_id": self.b.customer_id,
            "currency": "USD",
            "reason": "Goodwill",
            "invoice_id": self.b_invoice_id,
            "lines": [{"description": "Goodwill", "quantity": 1, "unit_price": 1_00}],
        }
        note = self.staff.post("/staff/credit-notes", body)
        assert note.status_code == 201, note.get_data(as_text=True)
        return {"credit_note_id": note.json["credit_note_id"]}  # type: ignore[index]

    def fresh_b_estimate(self) -> dict[str, str]:
        """An estimate is answered once: each call of an answering route gets one of its own."""
        return {"estimate_id": create_estimate(self.staff, self.b.customer_id)["estimate_id"]}

    leaver: Customer  # calls POST /auth/logout, which really ends its sessions (A's go on)
    b_payment_id: str = ""  # a succeeded payment of B's (its receipt exists)
    b_credit_note_id: str = ""  # a credit note issued to B
    b_method_ids: tuple[str, ...] = ()  # B's saved method to make default
    new_b_method: Callable[[], str] | None = None  # saves another method of B's (one to remove)
    b_subscription_id: str = ""  # a live subscription of B's on a flat plan


@dataclass(frozen=True)
class Rule:
    access: Access
    # The portal module (shared.preferences.Module) the route belongs to: 403 when the tenant turns it off.
    module: str | None = None
    # Customer routes addressing a resource by id: path parameters naming a resource of *another*
    # customer (World.b's). The suite calls the route as World.a with these and with missing ids.
    foreign: Callable[[World], dict[str, str]] | None = None
    # What the suite's bare call (an empty JSON body) answers while the module is on: 200, or the
    # route's own answer to an empty body (e.g. 400 "choose invoices"), anything but module_disabled.
    on_status: int = 200


def _removable_method(world: World) -> str:
    """A method of B's saved for this call (its owner's control call removes it)."""
    assert world.new_b_method is not None
    return world.new_b_method()


def _removable_contact(world: World) -> str:
    """A contact person of B's added for this call (its primary contact's control call removes it)."""
    added = world.staff.post(
        f"/staff/customers/{world.b.customer_id}/contacts",
        {"first_name": "Rem", "last_name": "Ovable", "email": f"removable.{new_id()}@authz.example"},
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    return str(added.json["contact_id"])


PUBLIC, SIGNED_IN, CUSTOMER, STAFF = Rule("public"), Rule("signed_in"), Rule("customer"), Rule("staff")

# (method, path) exactly as in template.yaml → who may call it. Add every new route here.
ROUTES: dict[tuple[str, str], Rule] = {
    # auth
    ("POST", "/auth/login"): PUBLIC,
    ("POST", "/auth/login/mfa"): PUBLIC,
    ("POST", "/auth/login/mfa-setup"): PUBLIC,
    ("POST", "/auth/refresh"): PUBLIC,
    ("POST", "/auth/invitations/accept"): PUBLIC,
    ("POST", "/auth/password/forgot"): PUBLIC,
    ("POST", "/auth/password/reset"): PUBLIC,
    ("POST", "/auth/signup"): PUBLIC,
    ("GET", "/auth/sso"): PUBLIC,
    ("POST", "/auth/sso/token"): PUBLIC,
    ("POST", "/auth/logout"): SIGNED_IN,
    ("GET", "/me"): SIGNED_IN,
    ("POST", "/auth/password/change"): SIGNED_IN,
    ("POST", "/auth/mfa/setup"): SIGNED_IN,
    ("POST", "/auth/mfa/confirm"): SIGNED_IN,
    ("POST", "/auth/mfa/disable"): SIGNED_IN,
    ("GET", "/auth/security"): SIGNED_IN,
    ("GET", "/staff/auth/policy"): STAFF,
    ("PUT", "/staff/auth/policy"): STAFF,
    ("POST", "/staff/invitations"): STAFF,
    ("POST", "/staff/customers/{customer_id}/contacts/{contact_id}/invitation"): STAFF,
    ("POST", "/staff/customers/{customer_id}/signup-link"): STAFF,
    ("PUT", "/staff/customers/{customer_id}/contacts/{contact_id}/access"): STAFF,
    ("POST", "/staff/customers/{customer_id}/contacts/{contact_id}/mfa/reset"): STAFF,
    ("PUT", "/staff/customers/{customer_id}/portal-access"): STAFF,
    # customers
    ("GET", "/dashboard"): CUSTOMER,
    ("POST", "/staff/customers"): STAFF,
    ("GET", "/staff/customers/{customer_id}"): STAFF,
    ("POST", "/staff/customers/{customer_id}/contacts"): STAFF,
    ("PUT", "/staff/customers/{customer_id}"): STAFF,
    ("PUT", "/staff/customers/{customer_id}/contacts/{contact_id}"): STAFF,
    ("DELETE", "/staff/customers/{customer_id}/contacts/{contact_id}"): STAFF,
    ("GET", "/staff/portal/preferences"): STAFF,
    ("PUT", "/staff/portal/preferences"): STAFF,
    ("PUT", "/staff/portal/business"): STAFF,
    ("GET", "/staff/customers"): STAFF,
    # customers: self-service (issue #16)
    ("GET", "/profile"): CUSTOMER,
    ("PUT", "/profile"): CUSTOMER,
    ("PUT", "/profile/customer"): CUSTOMER,
    ("POST", "/profile/contacts"): CUSTOMER,
    ("DELETE", "/profile/contacts/{contact_id}"): Rule(
        "customer", foreign=lambda w: {"contact_id": _removable_contact(w)}
    ),
    # auth: the sign-in email (issue #16)
    ("POST", "/auth/email/change"): CUSTOMER,
    ("POST", "/auth/email/confirm"): CUSTOMER,
    ("GET", "/branding"): PUBLIC,
    ("GET", "/branding/logo"): PUBLIC,
    ("PUT", "/staff/portal/branding"): STAFF,
    ("POST", "/staff/portal/branding/logo-uploads"): STAFF,
    ("PUT", "/staff/portal/branding/logo"): STAFF,
    ("DELETE", "/staff/portal/branding/logo"): STAFF,
    # invoices
    ("GET", "/invoices"): Rule("customer", module="invoices"),
    ("GET", "/invoices/{invoice_id}"): Rule(
        "customer", module="invoices", foreign=lambda w: {"invoice_id": w.b_invoice_id}
    ),
    ("POST", "/staff/invoices"): STAFF,
    ("GET", "/staff/invoices/{invoice_id}"): STAFF,
    ("POST", "/staff/invoices/{invoice_id}/issue"): STAFF,
    ("POST", "/staff/invoices/{invoice_id}/void"): STAFF,
    ("POST", "/staff/invoices/{invoice_id}/payments"): STAFF,
    ("GET", "/invoices/{invoice_id}/pdf"): Rule(
        "customer", module="invoices", foreign=lambda w: {"invoice_id": w.b_invoice_id}
    ),
    ("GET", "/staff/invoices/{invoice_id}/pdf"): STAFF,
    ("GET", "/staff/invoices/by-estimate/{estimate_id}"): STAFF,
    ("GET", "/staff/customers/{customer_id}/invoices"): STAFF,
    ("GET", "/invoices/{invoice_id}/comments"): Rule(
        "customer", module="invoices", foreign=lambda w: {"invoice_id": w.b_invoice_id}
    ),
    ("POST", "/invoices/{invoice_id}/comments"): Rule(
        "customer", module="invoices", foreign=lambda w: {"invoice_id": w.b_invoice_id}, on_status=201
    ),
    ("POST", "/invoices/{invoice_id}/forward"): Rule(
        "customer", module="invoices", foreign=lambda w: {"invoice_id": w.b_invoice_id}, on_status=201
    ),
    ("GET", "/staff/invoices/{invoice_id}/comments"): STAFF,
    ("POST", "/staff/invoices/{invoice_id}/comments"): STAFF,
    # statements
    ("GET", "/statement"): Rule("customer", module="statements"),
    ("GET", "/staff/customers/{customer_id}/statement"): STAFF,
    # estimates
    ("GET", "/estimates"): Rule("customer", module="estimates"),
    ("GET", "/estimates/{estimate_id}"): Rule(
        "customer", module="estimates", foreign=lambda w: {"estimate_id": w.b_estimate_id}
    ),
    ("GET", "/estimates/{estimate_id}/pdf"): Rule(
        "customer", module="estimates", foreign=lambda w: {"estimate_id": w.b_estimate_id}
    ),
    ("POST", "/estimates/{estimate_id}/accept"): Rule(
        "customer", module="estimates", foreign=World.fresh_b_estimate
    ),
    ("POST", "/estimates/{estimate_id}/decline"): Rule(
        "customer", module="estimates", foreign=World.fresh_b_estimate
    ),
    ("POST", "/staff/estimates"): STAFF,
    ("GET", "/staff/estimates/{estimate_id}"): STAFF,
    ("POST", "/staff/estimates/{estimate_id}/send"): STAFF,
    ("POST", "/staff/estimates/{estimate_id}/convert"): STAFF,
    ("GET", "/staff/estimates/{estimate_id}/pdf"): STAFF,
    ("GET", "/estimates/{estimate_id}/comments"): Rule(
        "customer", module="estimates", foreign=lambda w: {"estimate_id": w.b_estimate_id}
    ),
    ("POST", "/estimates/{estimate_id}/comments"): Rule(
        "customer", module="estimates", foreign=lambda w: {"estimate_id": w.b_estimate_id}, on_status=201
    ),
    ("POST", "/estimates/{estimate_id}/forward"): Rule(
        "customer", module="estimates", foreign=lambda w: {"estimate_id": w.b_estimate_id}, on_status=201
    ),
    ("GET", "/staff/estimates/{estimate_id}/comments"): STAFF,
    ("POST", "/staff/estimates/{estimate_id}/comments"): STAFF,
    # credit notes
    ("GET", "/credit-notes"): Rule("customer", module="credit_notes"),
    ("GET", "/credit-notes/{credit_note_id}"): Rule(
        "customer", module="credit_notes", foreign=lambda w: {"credit_note_id": w.b_credit_note_id}
    ),
    ("GET", "/credit-notes/{credit_note_id}/pdf"): Rule(
        "customer", module="credit_notes", foreign=lambda w: {"credit_note_id": w.b_credit_note_id}
    ),
    ("POST", "/credit-notes/{credit_note_id}/apply"): Rule(
        "customer", module="credit_notes", foreign=World.fresh_b_note
    ),
    ("POST", "/credit-note-requests"): Rule("customer", module="credit_notes", on_status=400),  # no invoice
    ("GET", "/credit-note-requests"): Rule("customer", module="credit_notes"),
    ("POST", "/staff/credit-notes"): STAFF,
    ("GET", "/staff/credit-notes/{credit_note_id}"): STAFF,
    ("GET", "/staff/credit-notes/{credit_note_id}/pdf"): STAFF,
    ("POST", "/staff/credit-notes/{credit_note_id}/apply"): STAFF,
    ("POST", "/staff/credit-notes/{credit_note_id}/refund"): STAFF,
    ("POST", "/staff/credit-notes/{credit_note_id}/void"): STAFF,
    ("GET", "/staff/credit-note-requests"): STAFF,
    ("POST", "/staff/credit-note-requests/{request_id}/approve"): STAFF,
    ("POST", "/staff/credit-note-requests/{request_id}/reject"): STAFF,
    # notifications
    ("GET", "/activity"): Rule("customer", module="invoices"),
    ("GET", "/activity/unread"): Rule("customer", module="invoices"),
    ("POST", "/activity/read"): Rule("customer", module="invoices"),
    ("GET", "/staff/activity"): STAFF,
    ("POST", "/staff/activity/read"): STAFF,
    ("GET", "/staff/notifications/preferences"): STAFF,
    ("PUT", "/staff/notifications/preferences"): STAFF,
    # payments
    ("POST", "/payments/preview"): Rule("customer", module="payments", on_status=400),  # no invoices
    ("POST", "/payments"): Rule("customer", module="payments", on_status=400),  # no Idempotency-Key
    ("GET", "/payments"): Rule("customer", module="payments"),
    ("GET", "/payments/{payment_id}"): Rule(
        "customer", module="payments", foreign=lambda w: {"payment_id": w.b_payment_id}
    ),
    ("GET", "/payments/{payment_id}/receipt"): Rule(
        "customer", module="payments", foreign=lambda w: {"payment_id": w.b_payment_id}
    ),
    ("GET", "/credits"): Rule("customer", module="payments"),
    ("POST", "/credits/apply"): Rule("customer", module="payments", on_status=400),  # no invoice
    ("GET", "/payment-methods"): Rule("customer", module="payments"),
    ("POST", "/payment-methods"): Rule("customer", module="payments", on_status=201),
    ("PUT", "/payment-methods/auto-charge"): Rule("customer", module="payments", on_status=400),
    ("DELETE", "/payment-methods/{method_id}"): Rule(
        "customer",
        module="payments",
        foreign=lambda w: {"method_id": _removable_method(w)},
    ),
    ("PUT", "/payment-methods/{method_id}/default"): Rule(
        "customer", module="payments", foreign=lambda w: {"method_id": w.b_method_ids[0]}
    ),
    ("POST", "/webhooks/{provider}"): PUBLIC,  # the provider's signature, checked by the handler
    ("GET", "/staff/payments"): STAFF,
    ("POST", "/staff/payments/{payment_id}/refund"): STAFF,
    # subscriptions
    ("GET", "/subscriptions"): Rule("customer", module="subscriptions"),
    ("GET", "/subscriptions/{subscription_id}"): Rule(
        "customer", module="subscriptions", foreign=lambda w: {"subscription_id": w.b_subscription_id}
    ),
    ("GET", "/subscriptions/{subscription_id}/plans"): Rule(
        "customer", module="subscriptions", foreign=lambda w: {"subscription_id": w.b_subscription_id}
    ),
    ("POST", "/subscriptions/{subscription_id}/preview"): Rule(
        "customer", module="subscriptions", foreign=lambda w: {"subscription_id": w.b_subscription_id}
    ),
    ("POST", "/subscriptions/{subscription_id}/changes"): Rule(
        "customer", module="subscriptions", foreign=lambda w: {"subscription_id": w.b_subscription_id}
    ),
    ("GET", "/staff/catalog"): STAFF,
    ("POST", "/staff/catalog/plans"): STAFF,
    ("POST", "/staff/catalog/addons"): STAFF,
    ("POST", "/staff/catalog/coupons"): STAFF,
    ("GET", "/staff/subscription-rules"): STAFF,
    ("PUT", "/staff/subscription-rules"): STAFF,
    ("POST", "/staff/subscriptions"): STAFF,
    ("GET", "/staff/subscriptions/{subscription_id}"): STAFF,
    ("GET", "/staff/subscriptions"): STAFF,
}

TEMPLATE_ROUTES: list[Route] = sorted(routes(load()), key=lambda r: (r.path, r.method))


def _id(route: Route) -> str:
    return f"{route.method} {route.path}"


def _routes(*access: Access, module: bool = False) -> list[Route]:
    chosen = []
    for route in TEMPLATE_ROUTES:
        rule = ROUTES.get((route.method, route.path))
        if rule is not None and rule.access in access and (rule.module is not None or not module):
            chosen.append(route)
    return chosen


def params(route: Route, **given: str) -> str:
    """The route's path with every parameter filled (a missing id unless given)."""
    return re.sub(r"\{([^}]+)\}", lambda m: given.get(m.group(1), MISSING_ID), route.path)


def call(api: ApiClient, route: Route, path: str | None = None) -> Any:
    path = path or params(route)
    method = route.method.lower()
    if method == "get":  # a document route answers with the file asked for
        return api.get(path, headers={"Accept": "application/pdf"} if path.endswith("/pdf") else None)
    if method == "put":
        return api.put(path, json={})
    # the bodies routes require
    body = {"reason": "Not now"} if path.endswith("/decline") else {}
    body = {"body": "Hello"} if path.endswith("/comments") else body
    body = {"to": B_COLLEAGUE} if path.endswith("/forward") else body
    headers = api._headers(None)
    if path.startswith("/subscriptions/") and path.endswith(("/preview", "/changes")):
        # a change that changes nothing on B's flat plan: the owner's control call answers 200
        body = {"change": {"action": "quantity", "quantity": 1}}
        headers["Idempotency-Key"] = new_id()
    return getattr(api.client, method)(f"/api{path}", json=body, headers=headers)


# ---- tokens ----------------------------------------------------------------------------------------


MOTO_KEY = moto_signing_key()
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def tampered(token: str, **changes: Any) -> str:
    """The token's payload changed (e.g. to claim staff or another customer), signature kept."""
    header, _, signature = token.split(".")
    payload = {**claims_of(token), **changes}
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


# ---- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(portal: PortalHandle, staff: ApiClient) -> World:
    a, b = portal.new_customer(staff), portal.new_customer(staff)
    invoice = create_invoice(staff, b.customer_id, "2026-10-01")
    create_invoice(staff, a.customer_id, "2026-10-01")
    estimate = create_estimate(staff, b.customer_id)
    colleague = {"first_name": "Bo", "last_name": "Colleague", "email": B_COLLEAGUE, "is_primary": False}
    assert staff.post(f"/staff/customers/{b.customer_id}/contacts", colleague).status_code == 201
    note = staff.post(
        "/staff/credit-notes",
        {
            "customer_id": b.customer_id,
            "currency": "USD",
            "reason": "Goodwill",
            "lines": [{"description": "Goodwill", "quantity": 1, "unit_price": 10_00}],
        },
    )
    assert note.status_code == 201, note.get_data(as_text=True)
    portal.drain()
    leaver = portal.new_customer(staff)
    b_payment_id, new_b_method = _payments_of(portal, b)
    return World(
        staff=staff,
        a=a,
        b=b,
        b_invoice_id=invoice["invoice_id"],
        b_estimate_id=estimate["estimate_id"],
        leaver=leaver,
        b_credit_note_id=note.json["credit_note_id"],
        b_payment_id=b_payment_id,
        b_method_ids=(new_b_method(),),
        new_b_method=new_b_method,
        b_subscription_id=_subscription_of(staff, b),
    )


def _subscription_of(staff: ApiClient, customer: Customer) -> str:
    plan = staff.post("/staff/catalog/plans", {"name": "Authz", "currency": "USD", "unit_amount": 1000})
    assert plan.status_code == 201, plan.get_data(as_text=True)
    body = {"customer_id": customer.customer_id, "plan_id": plan.json["plan_id"]}
    created = staff.post("/staff/subscriptions", body)
    assert created.status_code == 201, created.get_data(as_text=True)
    return str(created.json["subscription_id"])


def _payments_of(portal: PortalHandle, customer: Customer) -> tuple[str, Callable[[], str]]:
    """A succeeded advance payment of the customer's, and a way to save one more card."""
    from shared.ids import new_id
    from tests.integration.payments_support import VISA, paying, start_payment

    pay = paying(portal)
    started = start_payment(customer, {"amount": 5000}, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()

    def new_method() -> str:
        before = {m["method_id"] for m in customer.api.get("/payment-methods").json["methods"]}
        setup = customer.api.post("/payment-methods").json
        pay.browser.confirm(setup["client_secret"], pay.browser.card(VISA))
        listed = customer.api.get(f"/payment-methods?setup_id={setup['setup_id']}").json
        after = {m["method_id"] for m in listed["methods"]}
        (added,) = after - before
        return added

    return started.json["payment"]["payment_id"], new_method


def legit_token(world: World, route: Route) -> str:
    rule = ROUTES[(route.method, route.path)]
    if (route.method, route.path) == ("POST", "/auth/logout"):
        return str(world.leaver.api.token)
    return str(world.staff.token if rule.access == "staff" else world.a.api.token)


def assert_gateway_401(response: Any) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.json == {
        "error": {"code": "unauthenticated", "message": "Sign in to continue.", "details": None}
    }


# ---- the table covers the template -----------------------------------------------------------------


def test_every_route_is_classified() -> None:
    template = {(r.method, r.path) for r in TEMPLATE_ROUTES}
    missing = sorted(template - set(ROUTES))
    stale = sorted(set(ROUTES) - template)
    lines = [f'    ("{m}", "{p}"): CUSTOMER,  # or PUBLIC, SIGNED_IN, STAFF, Rule(...)' for m, p in missing]
    assert not missing, (
        "Classify every new route in ROUTES of tests/authz/test_route_authorization.py:\n" + "\n".join(lines)
    )
    assert not stale, f"ROUTES lists routes that template.yaml no longer has: {stale}"


def test_classification_agrees_with_template_and_contracts() -> None:
    documented = {(r.route.method, r.route.path): r.contract for r in openapi.documented_routes(strict=False)}
    for route in TEMPLATE_ROUTES:
        rule = ROUTES.get((route.method, route.path))
        if rule is None:
            continue
        assert (rule.access == "public") == route.public, _id(route)
        contract = documented.get((route.method, route.path))
        if contract is not None:
            assert (contract.access, contract.module) == (rule.access, rule.module), _id(route)
        if rule.access == "customer" and "{" in route.path:
            assert rule.foreign is not None, (
                f"{_id(route)} addresses a resource by id: give its Rule a foreign=lambda w: {{...}} "
                "naming another customer's resource, so the suite checks it answers 404 like a missing id"
            )


# ---- 401 at the gateway ----------------------------------------------------------------------------


@pytest.mark.parametrize("route", _routes("signed_in", "customer", "staff"), ids=_id)
def test_no_token_is_401(portal: PortalHandle, route: Route) -> None:
    assert_gateway_401(call(ApiClient(portal.gateway), route))


@pytest.mark.parametrize("route", _routes("signed_in", "customer", "staff"), ids=_id)
def test_expired_tampered_and_foreign_key_tokens_are_401(
    portal: PortalHandle, world: World, route: Route
) -> None:
    token = legit_token(world, route)
    claims = claims_of(token)
    # The control: a token minted from the same claims with moto's key passes the gateway.
    accepted = call(ApiClient(portal.gateway, mint(claims)), route)
    assert accepted.status_code != 401 or accepted.json["error"]["code"] != "unauthenticated", _id(route)
    bad = {
        "expired": mint({**claims, "exp": int(time.time()) - 60}),
        "tampered (claims staff)": tampered(token, **{"cognito:groups": ["staff"]}),
        "tampered (other customer)": tampered(token, **{"custom:customer_id": world.b.customer_id}),
        "signed by another key": mint(claims, OTHER_KEY),
        "not a JWT": "not-a-token",
    }
    for what, bad_token in bad.items():
        response = call(ApiClient(portal.gateway, bad_token), route)
        assert response.status_code == 401, f"{_id(route)} accepted a token that is {what}"
        assert_gateway_401(response)


@pytest.mark.parametrize("route", _routes("public"), ids=_id)
def test_public_routes_reach_their_handler_without_a_token(portal: PortalHandle, route: Route) -> None:
    response = call(ApiClient(portal.gateway), route)
    assert response.json != {
        "error": {"code": "unauthenticated", "message": "Sign in to continue.", "details": None}
    }
    assert response.status_code < 500


# ---- 403: the wrong kind of caller -----------------------------------------------------------------


@pytest.mark.parametrize("route", _routes("staff"), ids=_id)
def test_staff_routes_refuse_a_customer_contact(world: World, route: Route) -> None:
    response = call(world.a.api, route)
    assert response.status_code == 403, (_id(route), response.get_data(as_text=True))
    assert response.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize("route", _routes("customer"), ids=_id)
def test_customer_routes_refuse_staff_without_a_customer(world: World, route: Route) -> None:
    response = call(world.staff, route)
    assert response.status_code == 403, (_id(route), response.get_data(as_text=True))
    assert response.json["error"]["code"] == "forbidden"


# ---- 404: another customer's resource looks missing ------------------------------------------------


@pytest.mark.parametrize("route", [r for r in _routes("customer") if "{" in r.path], ids=_id)
def test_another_customers_resource_is_404_like_a_missing_one(world: World, route: Route) -> None:
    rule = ROUTES[(route.method, route.path)]
    assert rule.foreign is not None
    foreign_params = rule.foreign(world)
    own = call(world.b.api, route, params(route, **foreign_params))
    assert own.status_code in (200, 201, 204), f"the control failed: B cannot use its own ({own.status_code})"
    foreign = call(world.a.api, route, params(route, **foreign_params))
    missing = call(world.a.api, route, params(route))
    assert foreign.status_code == missing.status_code == 404, _id(route)
    assert foreign.get_data() == missing.get_data()
    assert foreign.headers.get("Content-Type") == missing.headers.get("Content-Type")


# ---- 403: a module the tenant turned off -----------------------------------------------------------


@pytest.fixture
def module_off(portal: PortalHandle, world: World) -> Iterator[Callable[[str], None]]:
    before = world.staff.get("/staff/portal/preferences").json

    def turn_off(module: str) -> None:
        changed = {**before, "modules": {**before["modules"], module: False}}
        assert world.staff.put("/staff/portal/preferences", json=changed).status_code == 200
        portal.drain()  # every service's copy of the preferences follows from the event

    yield turn_off
    assert world.staff.put("/staff/portal/preferences", json=before).status_code == 200
    portal.drain()


@pytest.mark.parametrize("route", _routes("customer", "signed_in", module=True), ids=_id)
def test_a_route_of_a_disabled_module_is_403(
    world: World, route: Route, module_off: Callable[[str], None]
) -> None:
    rule = ROUTES[(route.method, route.path)]
    assert rule.module is not None
    path = params(route, **(rule.foreign(world) if rule.foreign else {}))
    api = world.b.api if rule.foreign else world.a.api  # the owner, so only the module can refuse
    control = call(api, route, path)
    assert control.status_code == rule.on_status, (
        f"the control failed: the route works while on ({control.status_code})"
    )
    module_off(rule.module)
    response = call(api, route, path)
    assert response.status_code == 403, _id(route)
    assert response.json["error"]["code"] == "module_disabled"
