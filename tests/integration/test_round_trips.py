"""Round-trip budgets, from the route table: every customer read (a GET route whose contract is not
staff-only) costs at most one DynamoDB call on a key designed for it (the tenant settings item is
cached per container, as in Lambda). And no Scan anywhere: no product code calls one (static check),
no IAM policy of template.yaml allows one, and tests/scan_guard.py fails any test that makes one."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import openapi
from infra.local.template import ROOT, load, resources_of_type
from shared.ids import new_id
from tests.support import ApiClient, Customer, PortalHandle, aws_calls, create_estimate, create_invoice

BUDGET = 1
# Values for the path parameters of customer reads: add one when a new read route has a new parameter.
PATH_VALUES: dict[str, Callable[[dict[str, Any]], str]] = {
    "invoice_id": lambda seeded: str(seeded["invoice"]["invoice_id"]),
    "payment_id": lambda seeded: str(seeded["payment_id"]),
    "estimate_id": lambda seeded: str(seeded["estimate"]["estimate_id"]),
    "credit_note_id": lambda seeded: str(seeded["credit_note"]["credit_note_id"]),
    "subscription_id": lambda seeded: str(seeded["subscription_id"]),
}
# Extra query strings worth measuring on top of each route's bare call (different keys or indexes).
QUERY_VARIANTS: dict[str, list[str]] = {
    "/invoices": ["status=overdue", "status=paid", "status=unpaid", "sort=amount", "order=asc&limit=5"],
    "/payments": ["kind=invoice", "kind=advance&sort=amount", "sort=amount&order=asc"],
    "/estimates": ["status=viewed", "status=expired", "status=accepted", "limit=5"],
    "/statement": ["from=2026-01-15&to=2026-11-20", "format=csv"],
    "/credit-notes": ["status=open", "status=void", "limit=5"],
}
# Reads that are several keyed calls by design, each named. A statement: the customer's currency
# (GetItem), the monthly checkpoints before the range (Query), the range's first month before its
# first day (Query, skipped when the range starts on the 1st), the range's entries (Query) and, for the
# aging, the ledger read backwards from the last day until the closing balance is covered (Query,
# pages of 25) — never a read of the whole history.
# A subscription: the subscription and the tenant's subscription rules (what its page may offer), or
# the subscription and the catalog's plans (Query) it may change to.
ROUTE_BUDGETS = {
    "/statement": 5,
    "/subscriptions/{subscription_id}": 2,
    "/subscriptions/{subscription_id}/plans": 2,
}
# POST /payments (a customer whose provider account exists, a card the browser confirms), each
# DynamoDB call named: Powertools' idempotency record (put in progress, then its answer), the
# invoices + account in one TransactGetItems, the claims + payment (with its intent id) +
# PaymentPending in one TransactWriteItems. The goal is 3: the payment itself takes 2; the
# idempotency record the issue asks for takes the other 2 (bench `payments` prints the figures).
PAYMENT_ROUND_TRIPS = {
    "dynamodb:PutItem": 1,
    "dynamodb:TransactGetItems": 1,
    "dynamodb:TransactWriteItems": 1,
    "dynamodb:UpdateItem": 1,
}
CUSTOMER_READS = sorted(
    r.route.path
    for r in openapi.documented_routes(strict=False)
    if r.route.method == "GET" and r.contract.access in ("customer", "signed_in")
)


def dynamodb_calls(calls: Counter[str]) -> dict[str, int]:
    return {op: n for op, n in calls.items() if op.startswith("dynamodb:")}


@pytest.fixture
def warm_settings_cache(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    from shared.settings import forget

    monkeypatch.setenv("PREFERENCES_CACHE_SECONDS", "300")
    forget()  # settings are read once per container: read the environment again
    request.addfinalizer(forget)


@pytest.fixture(scope="module")
def seeded(portal: PortalHandle, staff: ApiClient) -> dict[str, Any]:
    customer = portal.new_customer(staff)
    invoice = create_invoice(staff, customer.customer_id, "2026-11-01")
    create_invoice(staff, customer.customer_id, "2026-09-01")  # overdue by now
    customer.api.get(f"/invoices/{invoice['invoice_id']}")  # the first view marks it viewed (a write)
    estimate = create_estimate(staff, customer.customer_id)
    customer.api.get(f"/estimates/{estimate['estimate_id']}")
    portal.drain()
    credit_note = staff.post(
        "/staff/credit-notes",
        {
            "customer_id": customer.customer_id,
            "currency": "USD",
            "invoice_id": invoice["invoice_id"],
            "reason": "Goodwill",
            "lines": [{"description": "Goodwill", "quantity": 1, "unit_price": 10_00}],
        },
    ).json
    staff.post(
        f"/staff/credit-notes/{credit_note['credit_note_id']}/apply",
        {"invoice_id": invoice["invoice_id"], "amount": 5_00},
    )
    customer.api.post(
        "/credit-note-requests", {"invoice_id": invoice["invoice_id"], "amount": 1_00, "reason": "x"}
    )
    paid = customer.api.post("/payments", {"amount": 5000}, headers={"Idempotency-Key": new_id()})
    assert paid.status_code == 201, paid.get_data(as_text=True)
    portal.local.stripe.browser().pay_with_card(paid.json["client_secret"], "4242424242424242")
    assert portal.local.stripe.wait_for_webhooks(20)
    portal.drain()  # succeeded: its receipt exists
    payment_id = paid.json["payment"]["payment_id"]
    plan = staff.post("/staff/catalog/plans", {"name": "Round trips", "currency": "USD", "unit_amount": 1000})
    assert plan.status_code == 201, plan.get_data(as_text=True)
    subscribed = staff.post(
        "/staff/subscriptions", {"customer_id": customer.customer_id, "plan_id": plan.json["plan_id"]}
    )
    assert subscribed.status_code == 201, subscribed.get_data(as_text=True)
    return {
        "subscription_id": subscribed.json["subscription_id"],
        "customer": customer,
        "invoice": invoice,
        "estimate": estimate,
        "credit_note": credit_note,
        "payment_id": payment_id,
        "portal": portal,
    }


def fresh_authorization(portal: PortalHandle, customer: Customer) -> None:
    """The gateway's cached authorizer answer renewed now (API Gateway's ReauthorizeEvery), so a slow
    warm-up call (a PDF) does not leave the measured call to pay the authorizer's read."""
    with portal.gateway._authorized_lock:
        portal.gateway._authorized.clear()
    customer.api.get("/dashboard")


def test_the_route_table_has_customer_reads() -> None:
    assert {"/dashboard", "/invoices", "/invoices/{invoice_id}"} <= set(CUSTOMER_READS)


@pytest.mark.parametrize("route_path", CUSTOMER_READS)
def test_every_customer_read_costs_at_most_one_dynamodb_call(
    seeded: dict[str, Any], warm_settings_cache: None, route_path: str
) -> None:
    customer: Customer = seeded["customer"]
    unknown = [name for name in re.findall(r"\{([^}]+)\}", route_path) if name not in PATH_VALUES]
    assert not unknown, f"add a value for {unknown} to PATH_VALUES in {__file__}"
    path = re.sub(r"\{([^}]+)\}", lambda m: PATH_VALUES[m.group(1)](seeded), route_path)
    customer.api.get("/dashboard")  # warms this container's settings cache
    headers = {"Accept": "application/pdf"} if path.endswith("/pdf") else None  # a document download
    for variant in [path, *(f"{path}?{query}" for query in QUERY_VARIANTS.get(route_path, []))]:
        assert customer.api.get(variant, headers=headers).status_code == 200  # warm: first use happens once
        fresh_authorization(seeded["portal"], customer)
        with aws_calls() as calls:
            response = customer.api.get(variant, headers=headers)
        assert response.status_code == 200, (variant, response.get_data(as_text=True))
        dynamo = dynamodb_calls(calls)
        budget = ROUTE_BUDGETS.get(route_path, BUDGET)
        assert sum(dynamo.values()) <= budget, (
            f"GET {variant} made {dynamo} (budget: {budget} DynamoDB call(s))"
        )
        if route_path in ROUTE_BUDGETS:  # keyed reads only
            assert set(dynamo) <= {"dynamodb:GetItem", "dynamodb:Query"}, variant
        assert not any(op.endswith(":Scan") for op in calls)


def test_a_payment_costs_its_known_dynamodb_round_trips(
    portal: PortalHandle, seeded: dict[str, Any], warm_settings_cache: None
) -> None:
    customer: Customer = seeded["customer"]
    invoice = create_invoice(portal.staff(), customer.customer_id, "2026-11-02")
    portal.drain()
    customer.api.get("/dashboard")  # warms this container's settings cache
    body = {"invoices": [{"invoice_id": invoice["invoice_id"]}]}
    with aws_calls() as calls:
        response = customer.api.post("/payments", body, headers={"Idempotency-Key": new_id()})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert dynamodb_calls(calls) == PAYMENT_ROUND_TRIPS


def test_the_counter_sees_every_dynamodb_call(seeded: dict[str, Any]) -> None:
    from services.invoices import store

    with aws_calls() as calls:
        store.get(seeded["invoice"]["invoice_id"])
        store.get("01JZZZZZZZZZZZZZZZZZZZZZZZ")
    assert dynamodb_calls(calls) == {"dynamodb:GetItem": 2}


# ---- no Scan, statically --------------------------------------------------------------------------

SCAN_CALLS = {"scan", "parallel_scan", "rate_limited_scan"}
PRODUCT_CODE = ["services", "shared"]


def scan_calls_in(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in SCAN_CALLS:
                found.append(f"{path.relative_to(root)}:{node.lineno}")
        if isinstance(node, ast.Constant) and node.value in ("Scan", "dynamodb:Scan"):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_product_code_calls_scan() -> None:
    files = [f for folder in PRODUCT_CODE for f in sorted((ROOT / folder).rglob("*.py"))]
    found = [hit for f in files for hit in scan_calls_in(f)]
    assert not found, f"DynamoDB Scan is not allowed (query a key designed for the read): {found}"


def test_the_static_check_finds_a_scan(tmp_path: Path) -> None:
    sample = tmp_path / "store.py"
    sample.write_text("def everything(model):\n    return list(model.scan())\n\nOP = 'Scan'\n")
    assert sorted(scan_calls_in(sample, tmp_path)) == ["store.py:2", "store.py:4"]


def test_no_function_may_scan() -> None:
    template = load()
    allowed = []
    for name, function in resources_of_type(template, "AWS::Serverless::Function").items():
        for policy in function["Properties"].get("Policies", []):
            if isinstance(policy, dict) and any(key.startswith("DynamoDB") for key in policy):
                allowed.append(f"{name}: SAM policy template {list(policy)} (grants Scan)")
            for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
                actions = statement.get("Action", [])
                for action in [actions] if isinstance(actions, str) else actions:
                    lowered = str(action).lower()
                    if lowered in ("dynamodb:*", "*") or lowered.startswith("dynamodb:sc"):
                        allowed.append(f"{name}: {action}")
    assert not allowed, f"no function may be allowed to Scan: {allowed}"
