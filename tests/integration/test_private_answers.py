"""Every answer of a signed-in route is private: `Cache-Control: no-store`, set once in the shared HTTP
layer (shared.api), so no browser, proxy or CDN keeps a dashboard, a payment or its client secret."""

from __future__ import annotations

import pytest
from werkzeug.test import TestResponse

from shared.ids import new_id
from tests.integration.payments_support import open_invoices, start_payment
from tests.support import ApiClient, Customer, PortalHandle


def _is_private(answer: TestResponse) -> None:
    assert "no-store" in answer.headers.get("Cache-Control", ""), (answer.status_code, dict(answer.headers))


@pytest.mark.parametrize(
    "path", ["/dashboard", "/payments", "/invoices", "/me", f"/invoices/{new_id()}", "/payment-methods"]
)
def test_a_contacts_reads_and_errors_are_not_stored(customer: Customer, path: str) -> None:
    _is_private(customer.api.get(path))


def test_starting_a_payment_with_its_client_secret_is_not_stored(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    assert started.status_code == 201 and started.json["client_secret"]
    _is_private(started)
    _is_private(start_payment(customer, {"invoices": []}, new_id()))  # and its 400


@pytest.mark.parametrize("path", ["/staff/portal/preferences", "/staff/customers", "/staff/payments"])
def test_staff_answers_are_not_stored(staff: ApiClient, path: str) -> None:
    _is_private(staff.get(path))


def test_a_customer_refused_a_staff_route_is_not_stored(customer: Customer) -> None:
    answer = customer.api.get("/staff/portal/preferences")
    assert answer.status_code == 403
    _is_private(answer)
