"""Credit notes' copy of the invoices service's facts (portal.invoices → CreditNotesInvoicesQueue):
each issued invoice's number, customer, currency, total and amount due, version-guarded by
invoice_version so a redelivered or older snapshot changes nothing. When the invoice records one of
our applications and took less than was applied (it was paid meanwhile), the rest returns to the
credit note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.credit_notes.logic.domain import status_after
from shared.errors import Conflict
from shared.event_models import (
    Allocation,
    CreditNoteApplicationReturned,
    InvoiceChanged,
    InvoicePaymentRecorded,
)
from shared.events import EventData, outbox_event
from shared.ids import utc_now, utc_now_iso
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.credit_notes import store
else:
    store = lazy_module("services.credit_notes.store")

TRIES = 5


def apply_invoice_event(data: EventData) -> bool:
    """True when the copy changed; False for a stale or repeated snapshot."""
    if not isinstance(data, InvoiceChanged):
        raise TypeError(f"credit notes cannot use {data.detail_type}")
    changed = store.project_invoice(data)
    if isinstance(data, InvoicePaymentRecorded) and data.kind == "credit_note":
        settle_application(data)
    return changed


def settle_application(data: InvoicePaymentRecorded) -> None:
    """The application becomes what the invoice took (gone if it took nothing); the rest is on the
    credit note again, with its event. A redelivery finds nothing left to return. Raises while it
    keeps losing races, so the queue retries it."""
    from services.credit_notes.logic.use_cases import snapshot

    for _ in range(TRIES):
        note_id = store.credit_note_of_application(data.payment_id)
        note = store.get(note_id) if note_id else None
        if note is None:
            return
        application = next((a for a in note.applications if a.application_id == data.payment_id), None)
        if application is None or application.amount <= data.payment_amount:
            return
        returned = application.amount - data.payment_amount
        taken = application.model_copy(update={"amount": data.payment_amount})
        applications = [
            taken if a is application else a
            for a in note.applications
            if a is not application or data.payment_amount.amount > 0
        ]
        changed = note.model_copy(update={"applications": applications, "updated_at": utc_now_iso()})
        changed = changed.model_copy(
            update={"status": status_after(changed.total, changed.applied, changed.refunded)}
        )
        event = CreditNoteApplicationReturned(
            **snapshot(changed),
            application_id=application.application_id,
            returned=Allocation(invoice_id=data.invoice_id, invoice_number=data.number, amount=returned),
        )
        try:
            store.commit([outbox_event(event)], int(utc_now().timestamp()), note=changed)
            return
        except Conflict:
            continue
    raise Conflict(f"returning application {data.payment_id} kept losing races")
