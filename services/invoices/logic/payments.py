"""Invoices learn from the payments service (portal.payments → InvoicesPaymentsQueue): a pending
payment flags its invoices, a succeeded one (or a credit application) is applied to each invoice it
pays exactly once, a refund gives the money back; a credit note applied to an invoice (portal.credit_notes
CreditNoteApplied, same queue) is applied like a credit. Each application is an entry in the invoice's
partition, written in the same transaction as the invoice and its event (InvoicePaymentRecorded,
InvoiceRefundRecorded); staff's offline payments write one too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.invoices.logic.domain import Invoice, changed
from services.invoices.logic.payment_rules import (
    AppliedKind,
    AppliedPayment,
    InvoicePayments,
    applicable,
    ever_viewed,
    status_after_payment,
    status_after_refund,
)
from services.invoices.logic.snapshots import invoice_snapshot
from shared.event_models import (
    Allocation,
    CreditApplied,
    CreditNoteApplied,
    InvoicePaymentRecorded,
    InvoiceRefundRecorded,
    PaymentChanged,
    PaymentFailed,
    PaymentPending,
    PaymentRefunded,
    PaymentSucceeded,
)
from shared.events import EventData, EventMetadata, outbox_event
from shared.ids import utc_now
from shared.lazy import lazy_module
from shared.money import Money

if TYPE_CHECKING:
    from services.invoices import payments_store as store
else:  # pynamodb loads on first use, not at cold start
    store = lazy_module("services.invoices.payments_store")

ATTEMPTS = 5  # reads + transactions per invoice before the message goes back to the queue


class NotYetApplied(RuntimeError):
    """A refund arrived before the payment it refunds was applied (events come in any order): the
    message fails and the queue delivers it again later."""


class StillConflicting(RuntimeError):
    """The invoice kept changing under us: the message fails and the queue retries it."""


def apply_event(data: EventData, metadata: EventMetadata) -> None:
    """One portal.payments event, idempotent and order-safe (a repeat or an older event changes
    nothing)."""
    correlation_id = metadata.correlation_id
    if isinstance(data, PaymentPending):
        _flag(data, pending=True)
    elif isinstance(data, PaymentFailed):
        _flag(data, pending=False)
    elif isinstance(data, PaymentSucceeded):
        for allocation in data.allocations:
            apply_allocation(allocation, data.payment_id, "payment", data.method.kind, correlation_id)
        _flag(data, pending=False)  # after applying: the invoice never looks unpaid and not pending
    elif isinstance(data, PaymentRefunded):
        for allocation in data.refund_allocations:
            refund_allocation(allocation, data.payment_id, data.refund_id, correlation_id)
    elif isinstance(data, CreditApplied):
        apply_allocation(data.allocation, data.application_id, "credit", "credit", correlation_id)
    elif isinstance(data, CreditNoteApplied):  # portal.credit_notes: the same rule, by application id
        apply_allocation(data.allocation, data.application_id, "credit_note", "credit_note", correlation_id)
    else:
        raise TypeError(f"invoices cannot use {data.detail_type}")


def _flag(payment: PaymentChanged, pending: bool) -> None:
    for allocation in payment.allocations:
        store.set_pending(allocation.invoice_id, payment.payment_id, pending, payment.payment_version)


def apply_allocation(
    allocation: Allocation, payment_id: str, kind: AppliedKind, method: str, correlation_id: str | None
) -> bool:
    """Apply one allocation to its invoice: at most the amount due (what is left over stays with the
    payments service as credit). False: it was applied before (a redelivery)."""
    for _ in range(ATTEMPTS):
        invoice, entries = _read(allocation.invoice_id)  # one Query: the invoice and its entries
        if entries.entry(payment_id) is not None:
            return False
        amount = applicable(invoice.status, invoice.amount_due, allocation.amount)
        paid = changed(
            invoice,
            status=status_after_payment(invoice.status, invoice.amount_due - amount, amount),
            amount_paid=invoice.amount_paid + amount,
        )
        entry = AppliedPayment(
            payment_id=payment_id,
            kind=kind,
            amount=amount,
            method=method,
            applied_at=paid.updated_at,
            refunded=Money.zero(amount.currency),
            status_before=invoice.status,
        )
        event = InvoicePaymentRecorded(
            **invoice_snapshot(paid), payment_id=payment_id, payment_amount=amount, method=method, kind=kind
        )
        if store.apply_with_event(paid, entry, outbox_event(event, correlation_id), _epoch()):
            return True
    raise StillConflicting(f"invoice {allocation.invoice_id} kept changing while applying {payment_id}")


def refund_allocation(
    allocation: Allocation, payment_id: str, refund_id: str, correlation_id: str | None
) -> bool:
    """Give back part of a payment on one invoice: its amount due rises by what goes back (at most what
    the payment still has on it). False: this refund was recorded before."""
    for _ in range(ATTEMPTS):
        invoice, entries = _read(allocation.invoice_id)  # one Query: the invoice and its entries
        if entries.entry(refund_id) is not None:
            return False
        refunded = entries.entry(payment_id)
        if refunded is None:
            raise NotYetApplied(f"payment {payment_id} is not applied to {allocation.invoice_id} yet")
        amount = min(allocation.amount, refunded.refundable, key=lambda money: money.amount)
        if amount.amount <= 0:
            return False  # nothing of this payment is left on the invoice
        amount_paid = invoice.amount_paid - amount
        reopened = changed(
            invoice,
            status=status_after_refund(
                invoice.status, amount_paid, ever_viewed(invoice.status, entries.applied)
            ),
            amount_paid=amount_paid,
        )
        entry = AppliedPayment(
            payment_id=payment_id,
            kind="refund",
            amount=amount,
            method=refunded.method,
            applied_at=reopened.updated_at,
            refund_id=refund_id,
        )
        event = InvoiceRefundRecorded(
            **invoice_snapshot(reopened), payment_id=payment_id, refund_id=refund_id, refund_amount=amount
        )
        if store.refund_with_event(reopened, refunded, entry, outbox_event(event, correlation_id), _epoch()):
            return True
    raise StillConflicting(f"invoice {allocation.invoice_id} kept changing while refunding {refund_id}")


def save_offline_payment(
    before: Invoice, paid: Invoice, event: InvoicePaymentRecorded, correlation_id: str | None
) -> bool:
    """Staff's offline payment (already checked by the use case): its applied entry with the invoice
    and its event. False: the invoice changed since it was read."""
    entry = AppliedPayment(
        payment_id=event.payment_id,
        kind="offline",
        amount=event.payment_amount,
        method=event.method,
        applied_at=paid.updated_at,
        refunded=Money.zero(paid.currency),
        status_before=before.status,
    )
    return store.apply_with_event(paid, entry, outbox_event(event, correlation_id), _epoch())


def with_payments(invoice_id: str, consistent: bool = False) -> tuple[Invoice | None, InvoicePayments]:
    """The invoice with what was applied to it and its pending flag (one Query)."""
    return store.invoice_with_payments(invoice_id, consistent)


# ---- helpers -------------------------------------------------------------------------------------


def _read(invoice_id: str) -> tuple[Invoice, InvoicePayments]:
    invoice, payments = store.invoice_with_payments(invoice_id, consistent=True)
    if invoice is None:
        # The payments service knows invoices from this service's events: it cannot name a missing one.
        raise LookupError(f"no invoice {invoice_id}")
    return invoice, payments


def _epoch() -> int:
    return int(utc_now().timestamp())
