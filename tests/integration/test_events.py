"""The outbox → bus → queue → consumer flow: every state change publishes its event, and the
receivables projection is safe against redelivered and out-of-order events."""

import time
from datetime import timedelta

import boto3
import pytest

from services.customers.logic.receivables import apply_invoice_event
from shared.event_models import InvoiceIssued, InvoicePaymentRecorded, InvoiceViewed
from shared.events import outbox_events
from shared.ids import new_id, utc_today
from shared.money import Money
from tests.support import ApiClient, Customer, PortalHandle, bus_spy, create_invoice, spied


def snapshot(customer_id: str, invoice_id: str, version: int, status: str, due: int) -> dict:
    return {
        "invoice_id": invoice_id,
        "customer_id": customer_id,
        "number": "INV-T",
        "status": status,
        "issue_date": "2026-11-01",
        "due_date": (utc_today() + timedelta(days=10)).isoformat(),
        "total": Money(amount=10_000, currency="USD"),
        "amount_due": Money(amount=due, currency="USD"),
        "invoice_version": version,
    }


def test_issued_invoice_event_reaches_the_bus_with_its_envelope(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    spy = bus_spy(
        portal, {"source": ["portal.invoices"], "detail": {"data": {"customer_id": [customer.customer_id]}}}
    )
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    [envelope] = spied(spy)
    assert envelope["detail-type"] == "InvoiceIssued"
    assert envelope["source"] == "portal.invoices"
    detail = envelope["detail"]
    assert set(detail["metadata"]) == {"event_id", "version", "occurred_at", "correlation_id"}
    assert detail["metadata"]["correlation_id"]  # the API request that caused it
    data = InvoiceIssued.model_validate(detail["data"])
    assert data.invoice_id == invoice["invoice_id"]
    assert data.amount_due.amount == invoice["total"]["amount"]


def test_receivables_ignore_redelivered_and_older_events(portal: PortalHandle, customer: Customer) -> None:
    invoice_id = new_id()
    issued = InvoiceIssued(**snapshot(customer.customer_id, invoice_id, 1, "sent", 10_000))
    viewed = InvoiceViewed(
        **snapshot(customer.customer_id, invoice_id, 2, "viewed", 10_000),
        viewed_by_contact_id=customer.contact_id,
    )
    partly = InvoicePaymentRecorded(
        **snapshot(customer.customer_id, invoice_id, 3, "partially_paid", 4_000),
        payment_id="p1",
        payment_amount=Money(amount=6_000, currency="USD"),
        method="card",
    )
    paid = InvoicePaymentRecorded(
        **snapshot(customer.customer_id, invoice_id, 4, "paid", 0),
        payment_id="p2",
        payment_amount=Money(amount=4_000, currency="USD"),
        method="card",
    )

    def outstanding() -> list:
        return customer.api.get("/dashboard").json["receivables"]["outstanding"]

    assert apply_invoice_event(partly)
    assert not apply_invoice_event(issued)  # older: ignored
    assert not apply_invoice_event(viewed)
    assert not apply_invoice_event(partly)  # redelivered: ignored
    assert outstanding() == [{"amount": 4_000, "currency": "USD"}]
    assert apply_invoice_event(paid)
    assert not apply_invoice_event(partly)  # a late event cannot reopen a settled invoice
    assert outstanding() == []


def test_a_publisher_refuses_events_of_another_source() -> None:
    record = {
        "eventName": "INSERT",
        "dynamodb": {
            "NewImage": {
                "pk": {"S": "OUTBOX#1"},
                "event_id": {"S": "1"},
                "source": {"S": "portal.payments"},
                "detail_type": {"S": "PaymentSucceeded"},
                "detail": {"S": "{}"},
            }
        },
    }
    with pytest.raises(ValueError, match=r"portal\.payments"):
        outbox_events([record], "portal.invoices")


def test_a_poison_message_ends_in_the_dead_letter_queue_and_the_rest_succeed(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    sqs = boto3.client("sqs")
    stack = portal.local.stack
    sqs.send_message(QueueUrl=stack.ref("ReceivablesQueue"), MessageBody='{"detail-type": "Nonsense"}')
    create_invoice(staff, customer.customer_id, utc_today().isoformat())  # a good event in the same flow
    worker = portal.local.worker
    worker.retry_visibility_seconds = 0  # retry at once instead of after a pause
    try:
        for _ in range(10):  # each round is one more receive of the poison message (maxReceiveCount 5)
            portal.drain()
            time.sleep(0.05)
    finally:
        worker.retry_visibility_seconds = 2
    assert customer.api.get("/dashboard").json["receivables"]["open_count"] == 1
    dead = sqs.receive_message(QueueUrl=stack.ref("ReceivablesDeadLetterQueue"), MaxNumberOfMessages=10)
    assert [m["Body"] for m in dead.get("Messages", [])] == ['{"detail-type": "Nonsense"}']
