"""Credit notes' copy of the invoices service's facts (portal.invoices → CreditNotesInvoicesQueue):
each issued invoice's number, customer, currency, total and amount due, version-guarded by
invoice_version so a redelivered or older snapshot changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.event_models import InvoiceChanged
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.credit_notes import store
else:
    store = lazy_module("services.credit_notes.store")


def apply_invoice_event(data: EventData) -> bool:
    """True when the copy changed; False for a stale or repeated snapshot."""
    if not isinstance(data, InvoiceChanged):
        raise TypeError(f"credit notes cannot use {data.detail_type}")
    return store.project_invoice(data)
