"""The dashboard learns from payments events (ReceivablesRule → CustomersReceivablesFunction): the
customer's available credit (order-safe by balance_version), which open invoices have a payment
pending (order-safe by payment_version), and a refund that reopens a paid invoice."""

from __future__ import annotations

from typing import Any

from shared.event_models import (
    Allocation,
    CreditApplied,
    CreditCreated,
    CreditReversed,
    PaymentFailed,
    PaymentPending,
    PaymentRefunded,
    PaymentSucceeded,
)
from shared.ids import new_id, utc_today
from tests.integration.test_invoice_payments import TOTAL, payment, publish, usd
from tests.support import ApiClient, Customer, PortalHandle, create_invoice


def dashboard(customer: Customer) -> dict[str, Any]:
    response = customer.api.get("/dashboard")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json  # type: ignore[no-any-return]


def credit_event(kind: type[Any], customer: Customer, balance: int, version: int, **extra: Any) -> Any:
    return kind(
        credit_id=new_id(),
        customer_id=customer.customer_id,
        amount=usd(10_00),
        balance=usd(balance),
        balance_version=version,
        **extra,
    )


def test_available_credit_follows_the_newest_balance(portal: PortalHandle, customer: Customer) -> None:
    assert dashboard(customer)["available_credit"] == {"amount": 0, "currency": "USD"}
    created = credit_event(CreditCreated, customer, 50_00, 1, payment_id=new_id())
    applied = credit_event(
        CreditApplied,
        customer,
        20_00,
        2,
        application_id=new_id(),
        allocation=Allocation(invoice_id=new_id(), invoice_number="INV-X", amount=usd(30_00)),
        contact_id=None,
    )
    publish(portal, created)
    assert dashboard(customer)["available_credit"] == {"amount": 50_00, "currency": "USD"}
    publish(portal, applied, created)  # the older balance again, late: ignored
    assert dashboard(customer)["available_credit"] == {"amount": 20_00, "currency": "USD"}
    # a refund of the payment that made the credit takes the rest back
    publish(portal, credit_event(CreditReversed, customer, 0, 3, payment_id=new_id(), refund_id=new_id()))
    assert dashboard(customer)["available_credit"] == {"amount": 0, "currency": "USD"}


def test_open_invoices_show_a_pending_payment_until_it_settles(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    first = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    second = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    pid = new_id()
    pending = payment(PaymentPending, customer, pid, 1, [(first, TOTAL)])
    publish(portal, pending)
    shown = {i["invoice_id"]: i for i in dashboard(customer)["open_invoices"]}
    assert shown[first["invoice_id"]]["payment_pending"] is True
    assert shown[second["invoice_id"]]["payment_pending"] is False
    assert shown[first["invoice_id"]]["number"] == first["number"]
    assert shown[first["invoice_id"]]["amount_due"] == {"amount": TOTAL, "currency": "USD"}

    publish(portal, payment(PaymentFailed, customer, pid, 2, [(first, TOTAL)], failure_reason="Declined"))
    publish(portal, pending)  # late: the failure is newer
    assert not [i for i in dashboard(customer)["open_invoices"] if i["payment_pending"]]

    # Paid: pending clears and the invoice leaves the open list (through the invoices service's event).
    other = new_id()
    publish(portal, payment(PaymentPending, customer, other, 1, [(second, TOTAL)]))
    publish(portal, payment(PaymentSucceeded, customer, other, 2, [(second, TOTAL)]))
    portal.drain()
    board = dashboard(customer)
    assert [i["invoice_id"] for i in board["open_invoices"]] == [first["invoice_id"]]
    assert board["receivables"]["open_count"] == 1


def test_a_refund_reopens_a_paid_invoice_on_the_dashboard(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    pid = new_id()
    publish(portal, payment(PaymentSucceeded, customer, pid, 2, [(invoice, TOTAL)]))
    portal.drain()
    assert dashboard(customer)["receivables"]["open_count"] == 0
    back = Allocation(invoice_id=invoice["invoice_id"], invoice_number=invoice["number"], amount=usd(40_00))
    refund = payment(
        PaymentRefunded,
        customer,
        pid,
        3,
        [(invoice, TOTAL)],
        refund_id=new_id(),
        refund_amount=usd(40_00),
        refund_allocations=[back],
        credit_reversed=usd(0),
    )
    publish(portal, refund)
    portal.drain()
    board = dashboard(customer)
    assert board["receivables"]["outstanding"] == [{"amount": 40_00, "currency": "USD"}]
    [reopened] = board["open_invoices"]
    assert (reopened["invoice_id"], reopened["status"]) == (invoice["invoice_id"], "partially_paid")
