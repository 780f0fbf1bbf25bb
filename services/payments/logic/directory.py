"""Payments' projection of the invoices, customers and credit notes services' facts. Version-guarded
writes: a redelivered or older event changes nothing. An invoice's own InvoicePaymentRecorded for one of our
payments (or credit applications) releases its claim; if the invoice took less than was allocated
(it was paid meanwhile), the difference becomes the customer's credit."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from services.payments.logic.domain import Payment
from shared.errors import Conflict
from shared.event_models import (
    BusinessProfileChanged,
    CreditNoteChanged,
    CustomerFacts,
    InvoiceChanged,
    InvoicePaymentRecorded,
    PortalPreferencesChanged,
)
from shared.events import EventData
from shared.ids import utc_now_iso
from shared.lazy import lazy_module
from shared.money import Money

if TYPE_CHECKING:
    from services.payments import directory_store as directory
    from services.payments import store
else:
    directory = lazy_module("services.payments.directory_store")
    store = lazy_module("services.payments.store")


def apply_event(data: EventData) -> bool:
    """True when the projection changed; False for a stale or repeated event."""
    if isinstance(data, InvoiceChanged):
        changed = directory.project_invoice(
            {
                "invoice_id": data.invoice_id,
                "customer_id": data.customer_id,
                "number": data.number,
                "status": data.status,
                "issue_date": data.issue_date,
                "due_date": data.due_date,
                "currency": data.total.currency,
                "total": data.total.amount,
                "amount_due": data.amount_due.amount,
                "invoice_version": data.invoice_version,
            }
        )
        if isinstance(data, InvoicePaymentRecorded):
            settle_claim(data)
            if data.kind == "offline":  # the customer's payment history holds every payment
                from services.payments.logic.offline import record_offline_payment

                record_offline_payment(data)
        return changed
    if isinstance(data, CreditNoteChanged):  # open credit notes are part of the customer's credit
        facts = {
            "credit_note_id": data.credit_note_id,
            "number": data.number,
            "status": data.status,
            "currency": data.remaining.currency,
            "remaining": data.remaining.amount,
        }
        return directory.project_credit_note(data.customer_id, facts, data.credit_note_version)
    if isinstance(data, CustomerFacts):
        facts = {
            "customer_id": data.customer_id,
            "display_name": data.display_name,
            "company_name": data.company_name,
            "email": data.email,
            "currency": data.currency,
        }
        return directory.project_customer(facts, data.customer_version)
    if isinstance(data, PortalPreferencesChanged):
        return directory.copy_preferences(data.preferences, data.settings_version)
    if isinstance(data, BusinessProfileChanged):
        return directory.copy_business(data.business.model_dump_json(), data.settings_version)
    raise TypeError(f"the payments directory cannot use {data.detail_type}")


def settle_claim(data: InvoicePaymentRecorded) -> None:
    """The invoice recorded one of our payments or credit applications: release its claim, and
    whatever the invoice did not take (it was paid meanwhile) goes back to the customer's credit, in
    the same transaction. Raises while the write keeps losing races, so the queue retries it."""
    from services.payments.logic import credits, progress

    for _ in range(progress.TRIES):
        holder = store.claim_holder(data.invoice_id)
        payment = store.get_payment(data.payment_id)
        if payment is not None:
            if data.invoice_id in payment.released or not _settle_payment(payment, data, holder):
                return
        elif data.kind == "credit":
            if holder != data.payment_id or credits.settle_application(data):
                return
        else:  # a credit note's application (credit_notes settles it) or a payment's leftover claim
            if holder == data.payment_id:
                store.release_claim(data.invoice_id, data.payment_id)
            return
    raise Conflict(f"settling {data.payment_id} on invoice {data.invoice_id} kept losing races")


def _settle_payment(payment: Payment, data: InvoicePaymentRecorded, holder: str | None) -> bool:
    """True when it must be tried again (someone changed the payment or the balance meanwhile). The
    payment's allocation becomes what the invoice took and the rest its credit, so a refund takes that
    credit back first."""
    from services.payments.logic import progress

    allocated = next((a for a in payment.allocations if a.invoice_id == data.invoice_id), None)
    if allocated is None:
        if holder == payment.payment_id:
            store.release_claim(data.invoice_id, payment.payment_id)
        return False
    taken = min(data.payment_amount.amount, allocated.amount.amount)
    short = Money(amount=allocated.amount.amount - taken, currency=allocated.amount.currency)
    took = allocated.model_copy(update={"amount": Money(amount=taken, currency=short.currency)})
    allocations = tuple(took if a is allocated else a for a in payment.allocations)
    done = dataclasses.replace(
        payment,
        allocations=allocations,
        unallocated=payment.unallocated + short,
        released=(*payment.released, data.invoice_id),
        updated_at=utc_now_iso(),
    )
    balance, events = None, []
    if short.amount > 0:
        balance, event = progress.credit_from(payment, short, None)
        events.append(event)
    release = [data.invoice_id] if holder == payment.payment_id else []
    return not store.save_change(done, events, progress.now_epoch(), release=release, balance=balance)
