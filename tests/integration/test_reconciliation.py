"""Reconciliation (services/payments/logic/reconciliation.py) against the local Stripe: a customer's
books balance after payments, credit and refunds through the portal, and a refund made at the
provider behind the portal's back is reported, naming the payment."""

from __future__ import annotations

import pytest

from services.payments.logic.reconciliation import reconcile_customer, reconcile_tenant
from services.payments.providers import provider
from shared.ids import new_id
from tests.integration.payments_support import VISA, Pay, open_invoices, paying, start_payment
from tests.support import ApiClient, Customer, PortalHandle, aws_calls


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


def paid(pay: Pay, customer: Customer, body: dict[str, object]) -> str:
    started = start_payment(customer, body, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()
    return str(started.json["payment"]["payment_id"])


def test_the_books_reconcile_and_a_refund_behind_the_portals_back_is_reported(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    assert reconcile_customer(customer.customer_id, provider("stripe")).balanced  # never paid: nothing
    invoice, by_bank = open_invoices(staff, portal, customer, "2026-11-01", "2026-10-01")
    recorded = staff.post(
        f"/staff/invoices/{by_bank['invoice_id']}/payments",
        {"amount": 240_00, "method": "bank_transfer", "paid_on": "2026-11-03"},
    )
    assert recorded.status_code == 200, recorded.get_data(as_text=True)  # in the history, not at Stripe
    over = paid(
        pay, customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}], "amount": 240_00 + 30_00}
    )
    advance = paid(pay, customer, {"amount": 50_00})
    refunded = staff.post(f"/staff/payments/{advance}/refund", {"amount": 20_00})
    assert refunded.status_code == 200, refunded.get_data(as_text=True)
    portal.drain()

    with aws_calls() as calls:
        books = reconcile_customer(customer.customer_id, provider("stripe"))
    assert books.differences == []
    assert books.provider_net == books.portal_net == 240_00 + 30_00 + 50_00 - 20_00
    assert books.credit_balance == books.credit_movements == 30_00 + 50_00 - 20_00
    # the account (GetItem), one page of credit movements and one page of payments (Query each)
    assert books.reads == 3 and calls == {"dynamodb:GetItem": 1, "dynamodb:Query": 2}, calls
    print(f"\nreconciliation of one customer: {books.reads} DynamoDB reads, 1 provider call")

    # someone refunds 10.00 in the provider's dashboard: the portal never heard of it
    intent = next(
        o["id"]
        for o in pay.stripe.ledger.objects.values()
        if o.get("object") == "payment_intent" and o["metadata"].get("payment_id") == over
    )
    with pay.stripe.account.lock:
        pay.stripe.account.refund_create("secret", {"payment_intent": intent, "amount": 10_00})
    books = reconcile_customer(customer.customer_id, provider("stripe"))
    assert books.provider_net == books.portal_net - 10_00
    assert not books.balanced
    assert any(over in difference for difference in books.differences), books.differences
    assert customer.customer_id in {
        r.customer_id for r in reconcile_tenant(provider("stripe")) if not r.balanced
    }


def test_the_daily_function_and_the_ops_command_report_an_unbalanced_customer(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    """PaymentsReconcileFunction as its schedule runs it, and `python -m infra.tenants reconcile`
    reading its answer: a refund made at the provider behind the portal's back is named, exit 1."""
    import io

    from infra.tenants.__main__ import Cli, main
    from shared.ids import utc_now

    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    paid_id = paid(pay, customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]})
    worker = portal.local.worker
    found = worker.run_schedule("PaymentsReconcileFunction", utc_now())
    assert customer.customer_id not in found["unbalanced"] and found["customers"] >= 1

    intent = next(
        o["id"]
        for o in pay.stripe.ledger.objects.values()
        if o.get("object") == "payment_intent" and o["metadata"].get("payment_id") == paid_id
    )
    with pay.stripe.account.lock:
        pay.stripe.account.refund_create("secret", {"payment_intent": intent, "amount": 5_00})
    found = worker.run_schedule("PaymentsReconcileFunction", utc_now())
    assert any(paid_id in d for d in found["unbalanced"][customer.customer_id]), found

    out = io.StringIO()
    cli = Cli(lambda: None, out=out, reconciler=lambda tenant: found)  # type: ignore[arg-type,return-value]
    assert main(["reconcile", "demo"], cli) == 1
    assert f"unbalanced  {customer.customer_id}: payment {paid_id}" in out.getvalue()
    out.truncate(0)
    balanced = {"customers": 1, "reads": 3, "unbalanced": {}}
    cli = Cli(lambda: None, out=out, reconciler=lambda tenant: balanced)  # type: ignore[arg-type,return-value]
    assert main(["reconcile", "demo"], cli) == 0 and "every customer's books balance" in out.getvalue()
