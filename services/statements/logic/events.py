"""The ledger consumer's use case: an invoice, payment or credit-note event becomes ledger entries
(idempotent by entry key) and, for invoice snapshots, the invoice's latest amount due."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.statements.logic.ledger import entries_for
from shared.event_models import InvoiceChanged
from shared.events import EventData, EventMetadata
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.statements import store
else:
    store = lazy_module("services.statements.store")


def apply_event(data: EventData, metadata: EventMetadata) -> int:
    """How many new entries the event made (0 for a redelivery or an event that moves no money)."""
    if isinstance(data, InvoiceChanged):
        store.project_invoice(data)
    return sum(store.record_entry(entry) for entry in entries_for(data, metadata.occurred_at))
