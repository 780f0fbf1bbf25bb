"""Inputs that used to reach a 500 answer a clear 4xx, and a path id that cannot be one of ours answers
404 before any AWS call (issue #10, item 7). Each case is driven through the local gateway; the
zero-call proof invokes the handlers in this process, where every botocore call can be counted."""

from __future__ import annotations

import base64
import importlib
import json
import re
from typing import Any

import pytest

from infra.local.template import handler_of, load, routes
from shared.api import NAME_PARAMETERS
from tests.auth_support import STRONG_PASSWORD
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle, aws_calls

TEMPLATE = load()
# Routes addressing a resource by id (a name parameter, e.g. the webhook's {provider}, is no id).
ID_ROUTES = [
    route for route in routes(TEMPLATE) if set(re.findall(r"\{([^}]+)\}", route.path)) - set(NAME_PARAMETERS)
]
MALFORMED_IDS = ["x", "01JZZZZZZZZZZZZZZZZZZZZZZZZ", "8" * 26, "01jzzzzzzzzzzzzzzzzzzzzzzu", "é" * 26]
WELL_FORMED_MISSING = "01jzzzzzzzzzzzzzzzzzzzzzzz"


def b64(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_password_longer_than_zxcvbn_reads_is_judged_not_a_crash(customer: Customer) -> None:
    weak = customer.api.post(
        "/auth/password/change", {"current_password": PASSWORD, "new_password": "a" * 100}
    )
    assert weak.status_code == 400, weak.get_data(as_text=True)
    assert weak.json["error"]["details"][0]["field"] == "password"  # type: ignore[index]
    long_and_strong = STRONG_PASSWORD + "-" + "x" * 60  # zxcvbn reads 72 characters at most
    changed = customer.api.post(
        "/auth/password/change", {"current_password": PASSWORD, "new_password": long_and_strong}
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)
    # What the pool itself refuses (moto: over 99 characters) is a 400 on the password too, not a 500.
    refused = customer.api.post(
        "/auth/password/change",
        {"current_password": long_and_strong, "new_password": "y" + long_and_strong * 2},
    )
    assert refused.status_code == 400, refused.get_data(as_text=True)
    assert refused.json["error"]["details"][0]["field"] == "password"  # type: ignore[index]


def test_an_activity_cursor_with_a_unicode_digit_is_a_400(customer: Customer) -> None:
    cursor = b64({"pk": f"FEED#{customer.customer_id}", "sk": "x", "u": "", "n": "²"})
    response = customer.api.get(f"/activity?cursor={cursor}")
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["error"]["code"] == "validation_failed"  # type: ignore[index]


@pytest.mark.parametrize("path", ["/invoices", "/activity"])
def test_a_deeply_nested_json_cursor_is_a_400(customer: Customer, path: str) -> None:
    cursor = b64(b"[" * 1400)
    response = customer.api.get(f"{path}?cursor={cursor}")
    assert response.status_code == 400, response.get_data(as_text=True)


@pytest.mark.parametrize("signature", ["é" * 43, "\u0000", "签名"])
def test_a_non_ascii_sign_up_signature_is_a_410_like_any_forged_link(
    portal: PortalHandle, signature: str
) -> None:
    token = f"{b64({'c': WELL_FORMED_MISSING, 'e': 4102444800})}.{signature}"
    response = ApiClient(portal.gateway).post(
        "/auth/signup", {"token": token, "email": "x@example.com", "first_name": "X", "last_name": "Y"}
    )
    assert response.status_code == 410, response.get_data(as_text=True)


def test_every_route_with_a_path_id_is_covered() -> None:
    # The id check lives in shared.api's middleware; this list only proves the suite sees every route.
    assert {route.path for route in ID_ROUTES} >= {"/invoices/{invoice_id}", "/staff/customers/{customer_id}"}


def _event(route: Any, params: dict[str, str], claims: dict[str, str]) -> dict[str, Any]:
    path = route.path
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": route.method,
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": params,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": route.path,
            "httpMethod": route.method,
            "path": path,
            "requestId": "test",
            "identity": {"sourceIp": "127.0.0.1"},
            "authorizer": {"claims": claims},
        },
        "body": "{}",
        "isBase64Encoded": False,
    }


def _invoke(route: Any, value: str, claims: dict[str, str]) -> tuple[dict[str, Any], int]:
    module_name, _, attribute = handler_of(TEMPLATE, route.function).rpartition(".")
    handler = getattr(importlib.import_module(module_name), attribute)
    params = {name: value for name in re.findall(r"\{([^}]+)\}", route.path)}
    with aws_calls() as calls:
        result = handler(_event(route, params, claims), None)
    return result, sum(calls.values())


STAFF_CLAIMS = {"sub": "s-1", "cognito:username": "s-1", "cognito:groups": "staff"}


@pytest.mark.parametrize("route", ID_ROUTES, ids=[f"{r.method} {r.path}" for r in ID_ROUTES])
def test_a_malformed_path_id_is_404_before_any_aws_call(customer: Customer, route: Any) -> None:
    claims = (
        STAFF_CLAIMS
        if route.path.startswith("/staff/")
        else {
            "sub": "c-1",
            "custom:customer_id": customer.customer_id,
            "custom:contact_id": customer.contact_id,
        }
    )
    for value in MALFORMED_IDS:
        result, calls = _invoke(route, value, claims)
        assert result["statusCode"] == 404, (value, result["body"])
        assert json.loads(result["body"])["error"]["code"] == "not_found"
        assert calls == 0, f"{route.method} {route.path} with id {value!r} made {calls} AWS call(s)"
    # The control: a well-formed id that nothing has does reach DynamoDB (the counter sees calls),
    # unless the empty body is refused first.
    result, calls = _invoke(route, WELL_FORMED_MISSING, claims)
    assert calls > 0 or result["statusCode"] == 400


def test_through_the_gateway_a_malformed_id_answers_like_a_missing_one(
    staff: ApiClient, customer: Customer
) -> None:
    missing = customer.api.get(f"/invoices/{WELL_FORMED_MISSING}")
    malformed = customer.api.get("/invoices/not-an-id")
    assert malformed.status_code == missing.status_code == 404
    assert malformed.json == missing.json
    assert staff.get("/staff/customers/nobody").status_code == 404
    # The caller check still comes first: a contact on a staff route hears 403 whatever the id.
    assert customer.api.get("/staff/customers/nobody").status_code == 403


def test_the_wrong_kind_of_caller_hears_403_before_any_input_check(
    staff: ApiClient, customer: Customer
) -> None:
    assert staff.get("/invoices?limit=not-a-number").status_code == 403
    assert customer.api.post("/staff/customers", {"display_name": ""}).status_code == 403


def test_a_json_whole_number_is_an_integer_and_a_fraction_never_is(
    staff: ApiClient, customer: Customer
) -> None:
    # JSON has one number type: 2.0 and 1e2 are the integers 2 and 100 (as JSON Schema says).
    line = {"description": "Work", "quantity": 2, "unit_price": 1e2}
    body = {
        "customer_id": customer.customer_id,
        "currency": "USD",
        "issue_date": "2026-11-01",
        "lines": [line],
    }
    created = staff.post("/staff/invoices", body)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.json["lines"][0]["unit_price"]["amount"] == 100  # type: ignore[index]
    for wrong in ({"unit_price": 100.5}, {"quantity": 2.5}, {"quantity": "01"}, {"quantity": "0.0001"}):
        refused = staff.post("/staff/invoices", {**body, "lines": [{**line, **wrong}]})
        assert refused.status_code == 400, (wrong, refused.get_data(as_text=True))
