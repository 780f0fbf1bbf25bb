"""Invoices learn from portal.payments events (put on the bus here, as the payments service would:
rule → InvoicesPaymentsQueue → InvoicesPaymentsFunction): a pending payment flags its invoices, a
succeeded one is applied exactly once (at most the amount due), a failure clears the flag, an older
event never overwrites a newer state, a refund raises the amount due again, a credit application
pays like a payment. Every application is one entry of the invoice's payments and one event."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from shared.event_models import (
    Allocation,
    CreditApplied,
    PaymentFailed,
    PaymentMethodFacts,
    PaymentPending,
    PaymentRefunded,
    PaymentSucceeded,
)
from shared.events import EventData, OutboxEvent, outbox_event, put_on_bus
from shared.ids import new_id, utc_today
from shared.money import Money
from tests.integration.test_projections import queued
from tests.support import ApiClient, Customer, PortalHandle, bus_spy, create_invoice, spied

TOTAL = 240_00  # create_invoice's default: 2 × $100 + 20 % VAT


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


def publish(portal: PortalHandle, *events: EventData | OutboxEvent) -> None:
    """Put events on the portal's bus as their producer's outbox publisher does, then let every rule
    deliver them. An OutboxEvent goes as it is (the same event id again: a redelivery)."""
    entries = [e if isinstance(e, OutboxEvent) else outbox_event(e) for e in events]
    put_on_bus(entries, boto3.client("events"), portal.local.stack.ref("EventBus"))
    portal.drain()


def payment(
    kind: type[Any],
    customer: Customer,
    payment_id: str,
    version: int,
    allocations: list[tuple[dict[str, Any], int]],
    **extra: Any,
) -> Any:
    allocated = [
        Allocation(invoice_id=i["invoice_id"], invoice_number=i["number"], amount=usd(a))
        for i, a in allocations
    ]
    amount = sum(a for _, a in allocations)
    return kind(
        payment_id=payment_id,
        customer_id=customer.customer_id,
        contact_id=customer.contact_id,
        status={"PaymentPending": "pending", "PaymentSucceeded": "succeeded", "PaymentFailed": "failed"}.get(
            kind.detail_type, "refunded"
        ),
        amount=usd(amount),
        method=PaymentMethodFacts(kind="card", brand="visa", last4="4242"),
        allocations=allocated,
        unallocated=usd(0),
        payment_version=version,
        **extra,
    )


def invoice_page(customer: Customer, invoice: dict[str, Any]) -> dict[str, Any]:
    response = customer.api.get(f"/invoices/{invoice['invoice_id']}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json  # type: ignore[no-any-return]


@pytest.fixture
def invoice(portal: PortalHandle, staff: ApiClient, customer: Customer) -> dict[str, Any]:
    created = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    return created  # type: ignore[no-any-return]


def recorded(portal: PortalHandle) -> str:
    return bus_spy(
        portal,
        {"source": ["portal.invoices"], "detail-type": ["InvoicePaymentRecorded", "InvoiceRefundRecorded"]},
    )


def test_pending_flags_the_invoice_and_a_failure_clears_it_in_any_order(
    portal: PortalHandle, customer: Customer, invoice: dict[str, Any]
) -> None:
    pid = new_id()
    pending = payment(PaymentPending, customer, pid, 1, [(invoice, TOTAL)])
    failed = payment(
        PaymentFailed, customer, pid, 2, [(invoice, TOTAL)], failure_reason="Your card was declined."
    )
    publish(portal, pending)
    page = invoice_page(customer, invoice)
    assert page["payment_pending"] is True and page["amount_due"]["amount"] == TOTAL
    publish(portal, failed)
    assert invoice_page(customer, invoice)["payment_pending"] is False
    publish(portal, pending)  # redelivered late: older than the failure
    page = invoice_page(customer, invoice)
    assert page["payment_pending"] is False and page["payments"] == []
    assert page["amount_paid"]["amount"] == 0

    # A failure that arrives before its pending event: the pending never shows.
    other = new_id()
    publish(portal, payment(PaymentFailed, customer, other, 2, [(invoice, TOTAL)], failure_reason="x"))
    publish(portal, payment(PaymentPending, customer, other, 1, [(invoice, TOTAL)]))
    assert invoice_page(customer, invoice)["payment_pending"] is False


def test_a_succeeded_payment_is_applied_exactly_once_with_one_event(
    portal: PortalHandle, staff: ApiClient, customer: Customer, invoice: dict[str, Any]
) -> None:
    spy = recorded(portal)
    pid = new_id()
    pending = payment(PaymentPending, customer, pid, 1, [(invoice, 100_00)])
    succeeded = payment(PaymentSucceeded, customer, pid, 2, [(invoice, 100_00)])
    publish(portal, pending, succeeded)
    publish(portal, succeeded, pending)  # redelivered, and the older one after it
    portal.local.invoker.invoke("InvoicesPaymentsFunction", queued(succeeded, succeeded))  # same batch twice

    page = invoice_page(customer, invoice)
    assert page["status"] == "partially_paid" and page["payment_pending"] is False
    assert (page["amount_paid"]["amount"], page["amount_due"]["amount"]) == (100_00, 140_00)
    [entry] = page["payments"]
    assert entry["payment_id"] == pid and entry["kind"] == "payment" and entry["method"] == "card"
    assert entry["amount"] == {"amount": 100_00, "currency": "USD"} and entry["refund_id"] is None
    assert staff.get(f"/staff/invoices/{invoice['invoice_id']}").json["payments"] == page["payments"]  # type: ignore[index]

    events = [e for e in spied(spy) if e["detail"]["data"]["invoice_id"] == invoice["invoice_id"]]
    assert len(events) == 1
    data = events[0]["detail"]["data"]
    assert events[0]["detail-type"] == "InvoicePaymentRecorded"
    assert (data["payment_id"], data["kind"], data["method"]) == (pid, "payment", "card")
    assert data["payment_amount"] == {"amount": 100_00, "currency": "USD"}
    assert data["amount_due"] == {"amount": 140_00, "currency": "USD"} and data["status"] == "partially_paid"


def test_a_payment_applies_at_most_the_amount_due_and_pays_many_invoices(
    portal: PortalHandle, staff: ApiClient, customer: Customer, invoice: dict[str, Any]
) -> None:
    second = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    # Staff recorded part of the second invoice offline meanwhile: the allocation finds less due.
    offline = staff.post(
        f"/staff/invoices/{second['invoice_id']}/payments",
        {"amount": 200_00, "paid_on": utc_today().isoformat(), "method": "bank_transfer"},
    )
    assert offline.status_code == 200
    [offline_entry] = offline.json["payments"]  # type: ignore[index]
    assert offline_entry["kind"] == "offline" and offline_entry["method"] == "bank_transfer"
    spy = recorded(portal)
    pid = new_id()
    publish(portal, payment(PaymentSucceeded, customer, pid, 2, [(invoice, TOTAL), (second, TOTAL)]))

    assert invoice_page(customer, invoice)["status"] == "paid"
    page = invoice_page(customer, second)
    assert page["status"] == "paid" and page["amount_due"]["amount"] == 0
    assert [(p["kind"], p["amount"]["amount"]) for p in page["payments"]] == [
        ("offline", 200_00),
        ("payment", 40_00),
    ]
    applied = {
        e["detail"]["data"]["invoice_id"]: e["detail"]["data"]["payment_amount"]["amount"] for e in spied(spy)
    }
    assert applied == {invoice["invoice_id"]: TOTAL, second["invoice_id"]: 40_00}  # the rest becomes credit


def test_a_refund_raises_the_amount_due_again_even_of_a_paid_invoice(
    portal: PortalHandle, customer: Customer, invoice: dict[str, Any]
) -> None:
    assert invoice_page(customer, invoice)["status"] == "viewed"
    pid, refund_id = new_id(), new_id()
    succeeded = payment(PaymentSucceeded, customer, pid, 2, [(invoice, TOTAL)])
    refund = payment(
        PaymentRefunded,
        customer,
        pid,
        3,
        [(invoice, TOTAL)],
        refund_id=refund_id,
        refund_amount=usd(90_00),
        refund_allocations=[
            Allocation(invoice_id=invoice["invoice_id"], invoice_number=invoice["number"], amount=usd(90_00))
        ],
        credit_reversed=usd(0),
    )
    spy = recorded(portal)
    # The refund before the payment it refunds: it waits (the queue retries it) until the payment is applied.
    worker = portal.local.worker
    worker.retry_visibility_seconds = 0
    try:
        publish(portal, refund)
        publish(portal, succeeded)
        portal.drain()
    finally:
        worker.retry_visibility_seconds = 2
    publish(portal, refund)  # and once more: recorded once

    page = invoice_page(customer, invoice)
    assert page["status"] == "partially_paid"
    assert (page["amount_paid"]["amount"], page["amount_due"]["amount"]) == (150_00, 90_00)
    assert [(p["kind"], p["amount"]["amount"], p["refund_id"]) for p in page["payments"]] == [
        ("payment", TOTAL, None),
        ("refund", 90_00, refund_id),
    ]
    kinds = [
        e["detail-type"] for e in spied(spy) if e["detail"]["data"]["invoice_id"] == invoice["invoice_id"]
    ]
    assert sorted(kinds) == ["InvoicePaymentRecorded", "InvoiceRefundRecorded"]

    # The rest of it back: open again, as it was before it was paid (viewed).
    rest = refund.model_copy(
        update={
            "refund_id": new_id(),
            "payment_version": 4,
            "refund_allocations": [
                Allocation(
                    invoice_id=invoice["invoice_id"], invoice_number=invoice["number"], amount=usd(TOTAL)
                )
            ],
        }
    )
    publish(portal, rest)
    page = invoice_page(customer, invoice)
    assert page["status"] == "viewed" and page["amount_due"]["amount"] == TOTAL  # only what was left


def test_a_credit_application_pays_like_a_payment_once(
    portal: PortalHandle, customer: Customer, invoice: dict[str, Any]
) -> None:
    application_id = new_id()
    applied = CreditApplied(
        credit_id=new_id(),
        customer_id=customer.customer_id,
        amount=usd(50_00),
        balance=usd(25_00),
        balance_version=3,
        application_id=application_id,
        allocation=Allocation(
            invoice_id=invoice["invoice_id"], invoice_number=invoice["number"], amount=usd(50_00)
        ),
        contact_id=customer.contact_id,
    )
    publish(portal, applied, applied)
    page = invoice_page(customer, invoice)
    assert page["amount_due"]["amount"] == TOTAL - 50_00
    assert [(p["payment_id"], p["kind"], p["method"]) for p in page["payments"]] == [
        (application_id, "credit", "credit")
    ]


def test_a_transaction_conflict_is_retried_not_dropped(
    portal: PortalHandle, customer: Customer, invoice: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another transaction on the invoice at the same moment (TransactionConflict): the consumer reads
    again and applies the payment; nothing is acked without being applied."""
    from pynamodb.exceptions import TransactWriteError

    from shared.dynamo import ConditionalTransaction

    conflicts = iter([True, False])
    original = ConditionalTransaction.__exit__

    def conflicting_once(self: Any, *args: Any) -> None:
        if next(conflicts, False):
            raise TransactWriteError("conflict", cause=_conflict())
        original(self, *args)

    monkeypatch.setattr(ConditionalTransaction, "__exit__", conflicting_once)
    pid = new_id()
    result = portal.local.invoker.invoke(
        "InvoicesPaymentsFunction", queued(payment(PaymentSucceeded, customer, pid, 2, [(invoice, 10_00)]))
    )
    assert result == {"batchItemFailures": []}
    assert list(conflicts) == []  # the conflict happened, and the next try committed
    monkeypatch.undo()
    page = invoice_page(customer, invoice)
    assert [p["payment_id"] for p in page["payments"]] == [pid] and page["amount_due"][
        "amount"
    ] == TOTAL - 10_00


def _conflict() -> Any:
    import botocore.exceptions

    return botocore.exceptions.ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
            "CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}, {"Code": "None"}],
        },
        "TransactWriteItems",
    )


@pytest.mark.parametrize(
    ("sample", "rule"),
    [
        ("invoices-payments.PaymentSucceeded.json", "InvoicesPaymentsRule"),
        ("customers-receivables.PaymentSucceeded.json", "ReceivablesRule"),
    ],
)
def test_payments_samples_are_valid_and_routed_to_their_consumer(sample: str, rule: str) -> None:
    """events/samples (for `sam local invoke -e`) hold what the rule would deliver to the consumer."""
    import json
    from pathlib import Path

    from infra.local.template import load
    from shared.consumers import event_from_body

    path = Path(__file__).parents[2] / "events" / "samples" / sample
    _, data = event_from_body(json.loads(path.read_text())["Records"][0]["body"])
    pattern = load()["Resources"][rule]["Properties"]["EventPattern"]
    assert data.source in pattern["source"] and data.detail_type in pattern["detail-type"]


def test_applying_a_payment_to_an_invoice_costs_three_dynamodb_calls(
    portal: PortalHandle, customer: Customer, invoice: dict[str, Any]
) -> None:
    """One consistent Query (invoice + entries: the dedupe), one transaction, one pending update."""
    from tests.support import aws_calls

    succeeded = payment(PaymentSucceeded, customer, new_id(), 2, [(invoice, 10_00)])
    with aws_calls() as calls:
        result = portal.local.invoker.invoke("InvoicesPaymentsFunction", queued(succeeded))
    assert result == {"batchItemFailures": []}
    dynamo = {op: n for op, n in calls.items() if op.startswith("dynamodb:")}
    assert dynamo == {"dynamodb:Query": 1, "dynamodb:TransactWriteItems": 1, "dynamodb:UpdateItem": 1}
    with aws_calls() as calls:  # redelivered: read, found, done (and the pending flag's guard refuses)
        portal.local.invoker.invoke("InvoicesPaymentsFunction", queued(succeeded))
    assert {op: n for op, n in calls.items() if op.startswith("dynamodb:")} == {
        "dynamodb:Query": 1,
        "dynamodb:UpdateItem": 1,
    }
