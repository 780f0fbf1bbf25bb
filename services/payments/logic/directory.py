"""Payments' projection of the invoices and customers services' facts. Version-guarded writes: a
redelivered or older event changes nothing. An invoice's own InvoicePaymentRecorded for one of our
payments (or credit applications) releases its claim; if the invoice took less than was allocated
(it was paid meanwhile), the difference becomes the customer's credit."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from shared.event_models import (
    BusinessProfileChanged,
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
    from services.payments.logic import progress

    holder = store.claim_holder(data.invoice_id)
    payment = store.get_payment(data.payment_id)
    if payment is not None and data.invoice_id not in payment.released:
        allocated = next((a.amount for a in payment.allocations if a.invoice_id == data.invoice_id), None)
        if allocated is not None:
            for _ in range(progress.TRIES):
                short = allocated.amount - min(data.payment_amount.amount, allocated.amount)
                done = dataclasses.replace(
                    payment, released=(*payment.released, data.invoice_id), updated_at=utc_now_iso()
                )
                balance, events = None, []
                if short > 0:
                    balance, event = progress.credit_from(
                        payment, Money(amount=short, currency=allocated.currency), None
                    )
                    events.append(event)
                release = [data.invoice_id] if holder == payment.payment_id else []
                if store.save_change(done, events, progress.now_epoch(), release=release, balance=balance):
                    return
                fresh = store.get_payment(data.payment_id)
                if fresh is None or data.invoice_id in fresh.released:
                    return
                payment, holder = fresh, store.claim_holder(data.invoice_id)
    if holder == data.payment_id:  # a credit application (or a payment already settled)
        store.release_claim(data.invoice_id, data.payment_id)
