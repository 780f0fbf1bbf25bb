"""A customer never sees another customer's data; staff routes refuse customers; the gateway
refuses missing, forged, expired and foreign tokens before any handler runs."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support import ApiClient, Customer, PortalHandle, create_invoice, mint

STAFF_ROUTES = [
    ("post", "/staff/customers"),
    ("get", "/staff/customers/x"),
    ("post", "/staff/customers/x/contacts"),
    ("get", "/staff/portal/preferences"),
    ("put", "/staff/portal/preferences"),
    ("put", "/staff/portal/business"),
    ("post", "/staff/invoices"),
    ("get", "/staff/invoices/x"),
    ("post", "/staff/invoices/x/issue"),
    ("post", "/staff/invoices/x/void"),
    ("post", "/staff/invoices/x/payments"),
]


def test_another_customers_invoice_is_404_like_a_missing_one(portal: PortalHandle, staff: ApiClient) -> None:
    a, b = portal.new_customer(staff), portal.new_customer(staff)
    invoice = create_invoice(staff, a.customer_id, "2026-11-01")
    assert a.api.get(f"/invoices/{invoice['invoice_id']}").status_code == 200
    foreign = b.api.get(f"/invoices/{invoice['invoice_id']}")
    missing = b.api.get("/invoices/01jzzzzzzzzzzzzzzzzzzzzzzz")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json == missing.json
    assert b.api.get("/invoices").json["items"] == []


def test_a_draft_is_invisible_to_its_customer(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    draft = create_invoice(staff, customer.customer_id, "2026-11-01", issue=False)
    assert customer.api.get(f"/invoices/{draft['invoice_id']}").status_code == 404
    assert customer.api.get("/invoices").json["items"] == []


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_customers_get_403_on_staff_routes(customer: Customer, method: str, path: str) -> None:
    response = getattr(customer.api, method)(path, json={})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/dashboard"), ("get", "/invoices"), ("get", "/me"), ("post", "/auth/logout"), *STAFF_ROUTES],
)
def test_no_token_is_401(portal: PortalHandle, method: str, path: str) -> None:
    response = getattr(ApiClient(portal.gateway), method)(path, json={})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthenticated"


def claims_of(portal: PortalHandle, customer: Customer) -> dict:
    return jwt.decode(customer.api.token, options={"verify_signature": False})


def test_a_token_signed_by_another_key_is_401(portal: PortalHandle, customer: Customer) -> None:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims_of(portal, customer), other_key, algorithm="RS256", headers={"kid": "dummy"})
    assert ApiClient(portal.gateway, forged).get("/dashboard").status_code == 401


def test_minted_token_with_valid_claims_is_accepted(portal: PortalHandle, customer: Customer) -> None:
    # The control for the three tests below: only the claim under test differs.
    assert ApiClient(portal.gateway, mint(claims_of(portal, customer))).get("/me").status_code == 200


def test_an_expired_token_is_401(portal: PortalHandle, customer: Customer) -> None:
    claims = {**claims_of(portal, customer), "exp": int(time.time()) - 60}
    assert ApiClient(portal.gateway, mint(claims)).get("/me").status_code == 401


def test_a_token_for_another_app_client_is_401(portal: PortalHandle, customer: Customer) -> None:
    claims = {**claims_of(portal, customer), "aud": "some-other-client"}
    assert ApiClient(portal.gateway, mint(claims)).get("/me").status_code == 401


def test_an_access_token_is_not_an_id_token(portal: PortalHandle, customer: Customer) -> None:
    claims = {**claims_of(portal, customer), "token_use": "access"}
    assert ApiClient(portal.gateway, mint(claims)).get("/me").status_code == 401


def test_unknown_api_route_is_404_json(portal: PortalHandle, customer: Customer) -> None:
    response = customer.api.get("/no/such/route")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
