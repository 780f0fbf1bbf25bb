"""Schemathesis against the local gateway, every operation of the OpenAPI document (so every route
that has a contract), as a real signed-in contact, as staff and unauthenticated:
- no 5xx, and every response conforms to the document (status, content type, headers, body schema);
- the callers a route is for: a valid request is accepted (schemathesis' positive data acceptance:
  2xx, 404, 409 or 429), except the refusals listed in MAY_REFUSE_VALID with their reason; invalid
  data is refused (negative data rejection);
- every other caller is turned away (401, or 403 for the wrong kind of caller), whatever the input;
- a rejected request (4xx) writes nothing: the moto DynamoDB state is the same before and after
  (unless the route's contract says why it must, `writes_when_rejected=...`, e.g. throttling).

FUZZ_EXAMPLES (default 50) bounds the examples per operation, positive and negative data mixed;
`make fuzz` runs more. FUZZ_CONTAINERS=N sends them to the gateway `make run` serves (every function in
its own container processes, N per function): `make test` runs a short pass that way too."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any, Literal

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import openapi
from tests.fuzz.fingerprint import digest as dynamodb_fingerprint
from tests.fuzz.fingerprint import full_digest
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle, create_invoice

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
CONTAINERS = int(os.environ.get("FUZZ_CONTAINERS", "0"))
# Callers a route is not for only need to see that every shape of request is turned away.
REFUSED_EXAMPLES = max(1, EXAMPLES // 5)
DOCUMENT = openapi.build(strict=False)
OPERATIONS = sorted(
    (
        (path, method, op["operationId"])
        for path, item in DOCUMENT["paths"].items()
        for method, op in item.items()
    ),
    key=lambda entry: entry[2],
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def schema(portal: PortalHandle) -> Any:
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(DOCUMENT)), config=_config())
    # Requests go through the WSGI gateway: JWT check, proxy event, handler (in process or in containers).
    loaded.app = portal.local.concurrent_gateway(containers=CONTAINERS) if CONTAINERS else portal.gateway
    return loaded


def _config() -> SchemathesisConfig:
    acceptance = {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}
    return SchemathesisConfig.from_dict({"checks": acceptance})


@pytest.fixture(scope="module")
def fuzz_customer(portal: PortalHandle, staff: ApiClient) -> Customer:
    from tests.integration.payments_support import local_stripe

    local_stripe(portal)  # the payments API pays through it
    customer = portal.new_customer(staff)
    create_invoice(staff, customer.customer_id, "2026-10-01")
    create_invoice(staff, customer.customer_id, "2026-11-01", issue=False)
    portal.drain()
    return customer


@pytest.fixture(scope="module")
def fuzz_staff_email() -> str:
    """A staff login of the fuzzer's own: its logouts, password changes and MFA resets end that
    login's sessions (they really end), which must not end the session-wide `staff` client's."""
    from infra.local.seed import provision_staff

    email = "fuzz.staff@renotech.solutions"
    provision_staff(email, PASSWORD)
    return email


@pytest.fixture(autouse=True)
def restore_sign_in_policy() -> Iterator[None]:
    """PUT /staff/auth/policy may make MFA required, after which the fuzzer's own logins (no MFA) get
    a challenge, not a session: every later test would only see 401. Put the policy back after each."""
    from services.auth.logic import access

    before = access.policy()
    yield
    if access.policy() != before:
        access.set_policy(before)


@pytest.fixture(scope="module", autouse=True)
def restore_tenant_settings(portal: PortalHandle) -> Iterator[None]:
    """Staff operations may change the tenant's preferences and business profile: put them back
    (through the customers service, so every service's copy follows from the events)."""
    from services.customers import store
    from services.customers.logic import use_cases, views

    before = store.tenant_settings()
    yield
    if before is not None:
        use_cases.set_preferences(before.preferences)
        business = views.business_profile(before)
        if business is not None:
            use_cases.set_business(business)
    portal.drain()


Identity = Literal["contact", "staff", "anonymous"]
IDENTITIES: tuple[Identity, ...] = ("contact", "staff", "anonymous")
# Who a route is for (its contract's access); everyone else must be turned away.
INTENDED: dict[str, set[Identity]] = {
    "public": {"anonymous"},
    "signed_in": {"contact", "staff"},
    "customer": {"contact"},
    "staff": {"staff"},
}
# A valid request (schema-wise) is accepted (schemathesis' positive data acceptance): 2xx, or an
# answer about the state of the world (404 no such resource, 409 conflict, 429 throttled).
ACCEPTED = ["2xx", "404", "409", "429"]
# Where a route refuses well-formed input for a reason JSON Schema cannot express, the refusal is
# listed here: (status, error code, a piece of the message), each with the reason.
CREDENTIALS = [  # what is checked is the password, code, session or token itself, not its shape
    (401, "invalid_credentials", ""),
    (401, "unauthenticated", ""),
    (401, "wrong_code", ""),
]
LINK = [(410, "link_expired", "")]  # a one-time link's token is valid only as we issued it
STRENGTH = [(400, "validation_failed", "too easy to guess")]  # zxcvbn's estimate is not a schema rule
CURSOR = [(400, "validation_failed", "page cursor")]  # a cursor is valid only as we issued it
Refusal = tuple[int, str, str]
STATEMENT_RANGE = [(400, "validation_failed", "is after 'to'"), (400, "validation_failed", "three years")]
PAYMENT_PLAN = [
    (400, "validation_failed", "Choose invoices"),
    (400, "validation_failed", "appear once"),
    (400, "validation_failed", "not both"),
    (400, "validation_failed", "no outstanding"),
    (400, "validation_failed", "part payment"),
    (400, "validation_failed", "less than the amounts chosen"),
    (400, "validation_failed", "pay at most"),
    (400, "validation_failed", "more than zero"),
    (403, "forbidden", "paid in full"),
]
MAY_REFUSE_VALID: dict[str, list[Refusal]] = {
    "login": CREDENTIALS,
    "login_with_code": CREDENTIALS,
    "login_with_new_mfa": CREDENTIALS,
    "refresh": CREDENTIALS,
    # Once sessions really end at logout, the examples after the first one carry an ended session.
    "logout": CREDENTIALS,
    "change_password": [*CREDENTIALS, *STRENGTH],
    "start_mfa": CREDENTIALS,
    "confirm_mfa": [*CREDENTIALS, *LINK],  # the enrolment session is valid only as start_mfa issued it
    "disable_mfa": CREDENTIALS,
    "accept_invitation": [*LINK, *STRENGTH],
    "reset_password": [*LINK, *STRENGTH],
    "sign_up": LINK,
    # Overdue invoices come from the due-date index only: a rule across two parameters.
    "list_invoices": [*CURSOR, (400, "validation_failed", "sort by date")],
    "activity": CURSOR,
    "staff_activity": CURSOR,
    "create_invoice": [(400, "validation_failed", "No customer has this id")],  # it must exist
    # What the customer's invoices, credit and the tenant's part-payment rules allow is state, not shape.
    "preview_payment": PAYMENT_PLAN,
    "create_payment": PAYMENT_PLAN,
    "apply_credit": [(400, "validation_failed", "credit")],
    "list_payments": CURSOR,
    "staff_list_payments": CURSOR,
    # Only the provider can sign a webhook.
    "provider_webhook": [(400, "validation_failed", "signature")],
    "create_estimate": [(400, "validation_failed", "No customer has this id")],
    # Whom a document may go to is the customer's contacts (state), unless the tenant allows any address.
    "forward_invoice": [(400, "validation_failed", "another contact of your company")],
    "forward_estimate": [(400, "validation_failed", "another contact of your company")],
    "list_estimates": CURSOR,
    # Subscriptions: rules across fields of the catalog; a subscription's customer and plan must exist.
    "add_plan": [(400, "validation_failed", "quantity")],
    "add_coupon": [(400, "validation_failed", "A coupon takes")],
    "create_subscription": [
        (400, "validation_failed", "No customer has this id"),
        (400, "validation_failed", "No plan has this id"),
    ],
    # Credit notes: the customer (and the invoice, when one is named) must exist.
    "issue_credit_note": [
        (400, "validation_failed", "No customer has this id"),
        (400, "validation_failed", "invoice"),
    ],
    "list_credit_notes": CURSOR,
    "my_credit_note_requests": CURSOR,
    "staff_credit_note_requests": CURSOR,
    # A statement's range is a rule across two parameters: `from` ≤ `to`, at most three years apart.
    "statement": STATEMENT_RANGE,
    "staff_statement": STATEMENT_RANGE,
    # The test tenant has no identity provider: the callback's code cannot be exchanged.
    "sso_token": [(400, "validation_failed", "not set up")],
    # The staff console's customer search and a customer's invoices, a page at a time.
    "search_customers": CURSOR,
    "staff_list_customer_invoices": CURSOR,
    # The sign-in email: the password (and code) are checked, not shaped; the mailed code is valid only
    # as we issued it, while a change is pending; the current address is no change.
    "change_email": [*CREDENTIALS, (400, "validation_failed", "already your sign-in email")],
    "confirm_email": [*LINK, (400, "validation_failed", "code is not right")],
    # A brand colour must leave white text readable (WCAG AA 4.5:1): a computation, not a pattern.
    "put_branding": [(400, "validation_failed", "WCAG AA")],
}
CASES = [
    (path, method, operation_id, who)
    for path, method, operation_id in OPERATIONS
    for who in IDENTITIES
    if DOCUMENT["paths"][path][method]["x-portal-access"] != "public" or who == "anonymous"
]


@pytest.fixture(scope="module", autouse=True)
def deliverable_emails() -> None:
    # `format: email` admits RFC 6761 special-use domains (x@y.test) that the API refuses (pydantic's
    # EmailStr, email-validator): generate addresses the API's own validator calls valid.
    from email_validator import EmailNotValidError, validate_email

    def valid(address: str) -> bool:
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            return False
        return True

    # ASCII only: JSON Schema's `email` format (what the responses are checked against) is RFC 5322's
    # ASCII addresses; the API also accepts internationalised ones (`idn-email`), which the contract does
    # not declare yet (noted for the next person).
    ascii_and_valid = st.emails().filter(lambda address: address.isascii() and valid(address))
    schemathesis.openapi.format("email", ascii_and_valid)


SIGN_IN_ADDRESS = "10.20.30.40"


def _headers(who: Identity, portal: PortalHandle, staff_email: str, customer: Customer) -> dict[str, str]:
    """A fresh sign-in per test (an earlier operation, e.g. logout, may have ended a session), from an
    address of its own: the fuzzer's failed sign-ins get 127.0.0.1 refused."""
    if who == "anonymous":
        return {}
    from services.auth.logic import throttle

    email = staff_email if who == "staff" else customer.email
    throttle.succeeded(email, SIGN_IN_ADDRESS)  # wrong current passwords fuzzed earlier count against it
    signed_in = ApiClient(portal.gateway).post(
        "/auth/login", {"email": email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": SIGN_IN_ADDRESS}
    )
    assert signed_in.status_code == 200, signed_in.get_data(as_text=True)
    token = signed_in.json.get("id_token")  # type: ignore[union-attr]
    # No token means a challenge (e.g. an earlier example made MFA required): say so, not "401".
    assert token, f"{who} got no session: {signed_in.json}"
    return {"Authorization": str(token)}


def _declared_refusal(operation_id: str, response: Any) -> bool:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return any(
        response.status_code == status and error.get("code") == code and part in str(error.get("message"))
        for status, code, part in MAY_REFUSE_VALID.get(operation_id, [])
    )


@pytest.mark.parametrize(
    ("path", "method", "operation_id", "who"), CASES, ids=[f"{case[2]}-as-{case[3]}" for case in CASES]
)
def test_operation(
    schema: Any,
    portal: PortalHandle,
    staff: ApiClient,
    fuzz_customer: Customer,
    fuzz_staff_email: str,
    path: str,
    method: str,
    operation_id: str,
    who: Identity,
) -> None:
    contract = DOCUMENT["paths"][path][method]
    operation = schema[path][method.upper()]
    headers = _headers(who, portal, fuzz_staff_email, fuzz_customer)
    intended = who in INTENDED[contract["x-portal-access"]]
    strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    if _has_inputs(contract):
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    seen: dict[str, int] = {}
    # A route may declare why its rejections still write: @operation(..., writes_when_rejected="...")
    may_write = bool(contract.get("x-portal-writes-when-rejected"))
    stripe = getattr(portal.local, "stripe", None)
    # Turned away: 401 without a token (or when the generator drops it), 403 for the wrong kind of caller.
    refusals = {401} if who == "anonymous" else {401, 403}

    @settings(
        max_examples=EXAMPLES if intended else REFUSED_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case: Any) -> None:
        if stripe is not None:
            stripe.wait_for_webhooks(10)  # an earlier example's webhook lands before this one, not during
        before = dynamodb_fingerprint()
        response = case.call(headers=headers)
        # What the URL cannot carry was never sent: a null value goes over the wire as "" (a valid
        # string), an empty list or an empty name as nothing at all: nothing to reject there.
        representable = all(
            name and value is not None and value != [] for name, value in (case.query or {}).items()
        )
        negative = case.meta.generation.mode.is_negative and representable
        checks = [*CHECKS, negative_data_rejection] if negative else list(CHECKS)
        positive = case.meta.generation.mode.is_positive
        if intended and positive and not _declared_refusal(operation_id, response):
            checks.append(positive_data_acceptance)
        case.validate_response(response, checks=checks, headers=headers)
        status = response.status_code
        seen[str(status)] = seen.get(str(status), 0) + 1
        if not intended:
            assert status in refusals, f"{who} on {method.upper()} {path}: {status} {response.text[:300]}"
        if 400 <= status < 500 and not may_write:
            assert dynamodb_fingerprint() == before, (
                f"{method.upper()} {path} answered {status} but changed DynamoDB: "
                f"a rejected request must write nothing ({response.text[:300]})"
            )

    run()
    assert seen, "no example ran"
    assert not any(status.startswith("5") for status in seen)
    if not intended and who != "anonymous":
        assert "403" in seen, f"{who} on {method.upper()} {path} was never told 403: {seen}"


def _has_inputs(operation: dict[str, Any]) -> bool:
    return bool(operation.get("parameters") or operation.get("requestBody"))


def test_the_fingerprint_sees_a_write(staff: ApiClient) -> None:
    # The control for "rejected input writes nothing": an accepted write changes the fingerprint,
    # a rejected one does not.
    before = dynamodb_fingerprint()
    rejected = staff.post("/staff/customers", {"display_name": ""})
    assert rejected.status_code == 400
    assert dynamodb_fingerprint() == before
    created = staff.post(
        "/staff/customers", {"display_name": "Fingerprint", "email": "fp@example.com", "currency": "USD"}
    )
    assert created.status_code == 201
    assert dynamodb_fingerprint() != before


def test_the_cached_fingerprint_misses_no_write(portal: PortalHandle, staff: ApiClient) -> None:
    # The cache behind the fingerprint is only right if every kind of write reaches it: a put, an
    # in-place update, a delete, a transaction and a cancelled one (moto puts a copied table back).
    import boto3

    table = os.environ["AUTH_TABLE_NAME"]
    dynamodb = boto3.client("dynamodb")
    key = {"pk": {"S": "FINGERPRINT"}, "sk": {"S": "CONTROL"}}
    writes = [
        lambda: dynamodb.put_item(TableName=table, Item={**key, "n": {"N": "1"}}),
        lambda: dynamodb.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        ),
        lambda: dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": key,
                        "UpdateExpression": "SET m = :m",
                        "ExpressionAttributeValues": {":m": {"S": "x"}},
                    }
                }
            ]
        ),
        lambda: dynamodb.delete_item(TableName=table, Key=key),
    ]
    for write in writes:
        before = dynamodb_fingerprint()
        write()
        assert dynamodb_fingerprint() != before
        assert dynamodb_fingerprint() == full_digest()
    before = dynamodb_fingerprint()
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {**key, "n": {"N": "2"}}}},
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": {"pk": {"S": "NOPE"}, "sk": {"S": "NOPE"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    assert dynamodb_fingerprint() == before == full_digest()
    assert (
        staff.post(
            "/staff/customers",
            {"display_name": "Fingerprint 2", "email": "fp2@example.com", "currency": "USD"},
        ).status_code
        == 201
    )
    portal.drain()
    assert dynamodb_fingerprint() == full_digest()
