"""Fifty contacts' browsers paying one invoice at the same moment, each with its own Idempotency-Key,
served concurrently by separate container processes (infra/local/containers.py), as Lambda would:
the per-invoice claim lets exactly one payment start; every other answer is 409."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from shared.ids import new_id
from tests.integration.payments_support import Pay, open_invoices, paying, start_payment
from tests.integration.test_races import at_once
from tests.support import ApiClient, Customer, PortalHandle

PAYERS = 50
CONTAINERS = 8


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


@pytest.fixture(scope="module")
def concurrent(portal: PortalHandle) -> Any:
    return portal.local.concurrent_gateway(containers=CONTAINERS)


def test_fifty_concurrent_payments_of_one_invoice_make_exactly_one(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer, concurrent: Any
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    # The customer's provider account exists already (its first payment made it), and every
    # container has started, so the burst meets warm containers, as a busy Lambda would.
    assert start_payment(customer, {"amount": 5000}, new_id()).status_code == 201
    warm = at_once(lambda: ApiClient(concurrent, customer.api.token).get("/payments"), CONTAINERS)
    assert {r.status_code for r in warm} == {200}

    body = {"invoices": [{"invoice_id": invoice["invoice_id"]}]}
    answers = at_once(
        lambda: ApiClient(concurrent, customer.api.token).post(
            "/payments", body, headers={"Idempotency-Key": new_id()}
        ),
        PAYERS,
    )
    statuses = Counter(a.status_code for a in answers)
    print(f"\n{PAYERS} concurrent payments of one invoice: {dict(statuses)}")
    assert statuses == {201: 1, 409: PAYERS - 1}, statuses
    (winner,) = [a.json["payment"]["payment_id"] for a in answers if a.status_code == 201]
    invoice_payments = customer.api.get("/payments?kind=invoice").json["items"]
    assert [p["payment_id"] for p in invoice_payments] == [winner]
    assert len(set(concurrent.invoker.pool("PaymentsApiFunction").pids())) > 1  # really in parallel
