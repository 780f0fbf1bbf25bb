"""Subscriptions' copy of the invoices that bill its charges (portal.invoices →
SubscriptionsInvoicesQueue): number, dates, total, amount due and status, version-guarded by
`invoice_version`, so a redelivered or older snapshot changes nothing. Invoices of no subscription
are not kept."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from services.subscriptions.logic import dunning
from shared.event_models import InvoiceChanged, PaymentFailed
from shared.events import EventData, EventMetadata
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


def apply_billing_event(data: EventData, metadata: EventMetadata) -> bool:
    """An invoice of a subscription (copy it; ask for its auto-charge; end a dunning when it is paid) or
    a failed auto-charge (a dunning step), at the instant the event happened."""
    at = datetime.fromisoformat(metadata.occurred_at)
    if isinstance(data, PaymentFailed):
        return dunning.on_payment_failed(data, at)
    copied = apply_invoice_event(data)
    assert isinstance(data, InvoiceChanged)
    if data.subscription_id is None:
        return False
    return dunning.on_invoice(data, at) or copied
