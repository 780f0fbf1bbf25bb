"""A customer has one currency (as Zoho): no invoice, estimate, credit note, subscription or payment
in another. A EUR invoice for a USD customer used to be accepted; a card payment of more than its
amount due then failed in the payments consumer after the provider had taken the money (EUR credit
against a USD balance), so the payment stayed pending and the invoice's claim blocked every payment."""

from __future__ import annotations

from typing import Any

from shared.ids import new_id
from tests.integration.payments_support import start_payment
from tests.support import ApiClient, Customer, PortalHandle, invoice_body


def assert_currency_refused(response: Any, currency: str = "USD") -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.json["error"]
    assert error["code"] == "validation_failed"
    assert currency in error["message"]
    assert [d["field"] for d in error["details"]] == ["currency"]


def test_an_invoice_in_another_currency_than_the_customers_is_refused_and_nothing_is_written(
    staff: ApiClient, customer: Customer
) -> None:
    refused = staff.post("/staff/invoices", invoice_body(customer.customer_id, "2026-11-01", currency="EUR"))
    assert_currency_refused(refused)
    listed = staff.get(f"/staff/customers/{customer.customer_id}/invoices").json["items"]
    assert listed == []
    accepted = staff.post("/staff/invoices", invoice_body(customer.customer_id, "2026-11-01"))
    assert accepted.status_code == 201, accepted.get_data(as_text=True)


def test_an_estimate_in_another_currency_than_the_customers_is_refused(
    staff: ApiClient, customer: Customer
) -> None:
    body = invoice_body(customer.customer_id, "2026-11-01", currency="GBP")
    assert_currency_refused(staff.post("/staff/estimates", body))
    same = invoice_body(customer.customer_id, "2026-11-01")
    assert staff.post("/staff/estimates", same).status_code == 201


def test_a_credit_note_in_another_currency_than_the_customers_is_refused_and_nothing_is_written(
    staff: ApiClient, customer: Customer
) -> None:
    body = {
        "customer_id": customer.customer_id,
        "currency": "EUR",
        "reason": "Goodwill",
        "lines": [{"description": "Goodwill credit", "quantity": 1, "unit_price": 50_00}],
    }
    assert_currency_refused(staff.post("/staff/credit-notes", body))
    assert customer.api.get("/credit-notes").json["items"] == []


def test_a_subscription_to_a_plan_in_another_currency_is_refused(
    staff: ApiClient, customer: Customer
) -> None:
    euro_plan = {"name": f"Euro {new_id()}", "currency": "EUR", "unit_amount": 900}
    plan = staff.post("/staff/catalog/plans", euro_plan)
    assert plan.status_code == 201, plan.get_data(as_text=True)
    body = {"customer_id": customer.customer_id, "plan_id": plan.json["plan_id"]}
    assert_currency_refused(staff.post("/staff/subscriptions", body))


def test_an_invoice_of_another_currency_issued_before_the_rule_cannot_be_paid_by_card(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    """A EUR invoice a USD customer still holds from before the rule: paying it would create credit
    in EUR. It is refused before the provider is asked for anything."""
    invoice_id = _legacy_invoice_in(customer, "EUR")
    body = {"invoices": [{"invoice_id": invoice_id}], "amount": 30000}
    refused = start_payment(customer, body, new_id())
    assert_currency_refused(refused)
    assert customer.api.get("/payments").json["items"] == []
    # and the invoice is not claimed: the same refusal, not a 409
    assert start_payment(customer, {"invoices": [{"invoice_id": invoice_id}]}, new_id()).status_code == 400


def _legacy_invoice_in(customer: Customer, currency: str) -> str:
    """An issued invoice in `currency`, as the payments service learnt it from an InvoiceIssued
    published before invoices refused another currency (the invoices API now refuses to make one)."""
    from services.payments.logic.directory import apply_event
    from shared.event_models import InvoiceIssued
    from shared.money import Money

    invoice_id, total = new_id(), Money(amount=24000, currency=currency)
    apply_event(
        InvoiceIssued(
            invoice_id=invoice_id,
            customer_id=customer.customer_id,
            number=f"INV-L{invoice_id[-6:]}",
            status="sent",
            issue_date="2026-11-01",
            due_date="2026-12-01",
            total=total,
            amount_due=total,
            invoice_version=2,
        )
    )
    return invoice_id
