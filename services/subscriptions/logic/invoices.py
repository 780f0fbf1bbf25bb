"""Subscriptions' copy of the invoices that bill its charges (portal.invoices →
SubscriptionsInvoicesQueue): number, dates, total, amount due and status, version-guarded by
`invoice_version`, so a redelivered or older snapshot changes nothing. Invoices of no subscription
are not kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.event_models import InvoiceChanged
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.subscriptions import store
else:
    store = lazy_module("services.subscriptions.store")


def apply_invoice_event(data: EventData) -> bool:
    """True when the copy changed; False for another invoice or a stale or repeated snapshot."""
    if not isinstance(data, InvoiceChanged):
        raise TypeError(f"subscriptions cannot use {data.detail_type}")
    if data.subscription_id is None:
        return False
    return store.project_invoice(data)
