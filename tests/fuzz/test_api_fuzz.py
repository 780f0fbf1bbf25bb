"""Schemathesis against the local gateway, every operation of the OpenAPI document (so every route
that has a contract), with a real signed-in contact — or a staff user for staff routes:
- no 5xx, and every response conforms to the document (status, content type, headers, body schema);
- a rejected request (4xx) writes nothing: the moto DynamoDB state is the same before and after
  (unless the route's contract says why it must, `writes_when_rejected=...`, e.g. throttling).

FUZZ_EXAMPLES (default 50) bounds the examples per operation, positive and negative data mixed;
`make fuzz` runs more."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import openapi
from tests.support import ApiClient, Customer, PortalHandle, create_invoice

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
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


def dynamodb_fingerprint() -> str:
    """Every item of every table in the moto server (in this process), hashed: equal before and
    after a request means it wrote nothing."""
    from moto.dynamodb.models import dynamodb_backends

    digest = hashlib.sha256()
    for account in list(dynamodb_backends.keys()):
        for region, backend in dynamodb_backends[account].items():
            for name in sorted(backend.tables):
                digest.update(f"{account}/{region}/{name}".encode())
                items = [
                    json.dumps(item.to_json(), sort_keys=True) for item in backend.tables[name].all_items()
                ]
                for item in sorted(items):
                    digest.update(item.encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def schema(portal: PortalHandle) -> Any:
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(DOCUMENT)))
    loaded.app = portal.gateway  # requests go through the WSGI gateway: JWT check, proxy event, handler
    return loaded


@pytest.fixture(scope="module")
def fuzz_customer(portal: PortalHandle, staff: ApiClient) -> Customer:
    customer = portal.new_customer(staff)
    create_invoice(staff, customer.customer_id, "2026-10-01")
    create_invoice(staff, customer.customer_id, "2026-11-01", issue=False)
    portal.drain()
    return customer


@pytest.fixture(scope="module", autouse=True)
def restore_tenant_settings(portal: PortalHandle) -> Iterator[None]:
    """Staff operations may change the tenant's preferences and business profile: put them back
    (through the customers service, so every service's copy follows from the events)."""
    from services.customers import store
    from services.customers.logic import use_cases

    before = store.tenant_settings()
    yield
    if before is not None:
        use_cases.set_preferences(before.preferences)
        business = store.business_profile(before)
        if business is not None:
            use_cases.set_business(business)
    portal.drain()


def token_for(operation: dict[str, Any], staff: ApiClient, customer: Customer) -> dict[str, str]:
    access = operation["x-portal-access"]
    if access == "public":
        return {}
    return {"Authorization": str(staff.token if access == "staff" else customer.api.token)}


@pytest.mark.parametrize(("path", "method", "operation_id"), OPERATIONS, ids=[op[2] for op in OPERATIONS])
def test_operation(
    schema: Any, staff: ApiClient, fuzz_customer: Customer, path: str, method: str, operation_id: str
) -> None:
    operation = schema[path][method.upper()]
    headers = token_for(DOCUMENT["paths"][path][method], staff, fuzz_customer)
    strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    if _has_inputs(DOCUMENT["paths"][path][method]):
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    seen: dict[str, int] = {}
    # A route may declare why its rejections still write: @operation(..., writes_when_rejected="...")
    may_write = bool(DOCUMENT["paths"][path][method].get("x-portal-writes-when-rejected"))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case: Any) -> None:
        before = dynamodb_fingerprint()
        response = case.call(headers=headers)
        # A null query value goes over the wire as "" (a valid string): nothing to reject there.
        representable = all(value is not None for value in (case.query or {}).values())
        negative = case.meta.generation.mode.is_negative and representable
        checks = [*CHECKS, negative_data_rejection] if negative else CHECKS
        case.validate_response(response, checks=checks, headers=headers)
        seen[str(response.status_code)] = seen.get(str(response.status_code), 0) + 1
        if 400 <= response.status_code < 500 and not may_write:
            assert dynamodb_fingerprint() == before, (
                f"{method.upper()} {path} answered {response.status_code} but changed DynamoDB: "
                f"a rejected request must write nothing ({response.text[:300]})"
            )

    run()
    assert seen, "no example ran"
    assert not any(status.startswith("5") for status in seen)


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
