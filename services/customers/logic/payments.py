"""What the dashboard knows of the customer's payments, from the payments service's events: the
available credit (`balance`, ordered by `balance_version`, plus what remains of each credit note,
ordered by `credit_note_version`) and which invoices a payment is pending
for (ordered by `payment_version`). A redelivered or older event changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.event_models import CreditChanged, CreditNoteChanged, PaymentChanged, PaymentPending
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.customers import projections_store as store
else:  # pynamodb (and with it most of botocore) loads on first use, not at cold start
    store = lazy_module("services.customers.projections_store")


def apply_payment_event(event: EventData) -> bool:
    """True if the projection changed."""
    if isinstance(event, CreditChanged):
        return store.project_credit(
            event.customer_id, event.balance.amount, event.balance.currency, event.balance_version
        )
    if isinstance(event, CreditNoteChanged):  # an open credit note is credit too (void: 0 remains)
        return store.project_credit_note(
            event.customer_id,
            event.credit_note_id,
            event.remaining.amount,
            event.remaining.currency,
            event.credit_note_version,
        )
    if isinstance(event, PaymentPending):
        invoice_ids = [allocation.invoice_id for allocation in event.allocations]
        return store.project_pending_payment(
            event.customer_id, event.payment_id, invoice_ids, event.payment_version
        )
    if isinstance(event, PaymentChanged):  # succeeded or failed: no longer pending
        return store.project_settled_payment(event.customer_id, event.payment_id, event.payment_version)
    raise TypeError(f"the dashboard cannot use {event.detail_type}")
