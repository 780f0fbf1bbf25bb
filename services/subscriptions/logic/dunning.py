"""Auto-charge and dunning. Every invoice that bills a subscription is offered to the payments service
once (SubscriptionChargeRequested, attempt 1): payments charges the customer's default saved method
when the customer turned auto-charge on, and is the only writer of payments. A failed auto-charge
(PaymentFailed without a contact: nobody was at the keyboard) starts the retry policy: tried again
RETRY_DAYS after the first failure (the renewal job asks, attempt 2, 3, …); a failure after the last
retry makes the subscription `unpaid` (it stops renewing). The invoice paid (by any means) or voided
ends the dunning; an unpaid subscription is live again.

Each step is a version-conditional write of the subscription with its event (outbox); a failure is
counted once per payment id, so a redelivered PaymentFailed changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from services.subscriptions.logic.subscription import Dunning, Subscription
from services.subscriptions.logic.use_cases import event_of
from shared.event_models import (
    InvoiceChanged,
    InvoiceIssued,
    PaymentFailed,
    SubscriptionChanged,
    SubscriptionChargeRequested,
    SubscriptionReactivated,
)
from shared.events import outbox_event
from shared.lazy import lazy_module
from shared.money import Money

if TYPE_CHECKING:
    from services.subscriptions import store
else:
    store = lazy_module("services.subscriptions.store")

SETTLED = ("paid", "void")


def charge_request(
    sub: Subscription, invoice_id: str, number: str, amount: Money, attempt: int
) -> SubscriptionChargeRequested:
    return SubscriptionChargeRequested(
        request_id=f"{invoice_id}-{attempt}",
        subscription_id=sub.subscription_id,
        customer_id=sub.customer_id,
        invoice_id=invoice_id,
        invoice_number=number,
        amount=amount,
        attempt=attempt,
    )


def on_invoice(data: InvoiceChanged, at: datetime) -> bool:
    """A subscription's invoice: issued → ask for its auto-charge (once); paid or void → its dunning ends."""
    assert data.subscription_id is not None
    if isinstance(data, InvoiceIssued) and data.amount_due.amount > 0:
        request = SubscriptionChargeRequested(
            request_id=f"{data.invoice_id}-1",
            subscription_id=data.subscription_id,
            customer_id=data.customer_id,
            invoice_id=data.invoice_id,
            invoice_number=data.number,
            amount=data.amount_due,
            attempt=1,
        )
        return store.request_first_charge(
            data.subscription_id, data.invoice_id, outbox_event(request), int(at.timestamp())
        )
    if data.status in SETTLED:
        return _settle(data.subscription_id, data.invoice_id, at)
    return False


def _settle(subscription_id: str, invoice_id: str, at: datetime) -> bool:
    sub = store.get(subscription_id)
    if sub is None or sub.dunning is None or sub.dunning.invoice_id != invoice_id:
        return False
    if sub.status == "unpaid":
        after = sub.model_copy(update={"dunning": None, "status": "live"})
        event = event_of(SubscriptionReactivated, after, "paid", [])
    else:
        after = sub.model_copy(update={"dunning": None})
        event = event_of(SubscriptionChanged, after, "paid", [])
    store.save_with_event(after, outbox_event(event), int(at.timestamp()))  # a Conflict: retried
    return True


def on_payment_failed(data: PaymentFailed, at: datetime) -> bool:
    """An auto-charge failed: count it against each subscription invoice it was for."""
    if data.contact_id is not None:
        return False  # a contact's own try in the portal: they saw it fail; no dunning step
    changed = False
    for allocation in data.allocations:
        subscription_id = store.subscription_of_invoice(allocation.invoice_id)
        sub = store.get(subscription_id) if subscription_id else None
        if sub is None or sub.status == "cancelled":
            continue
        dunning = sub.dunning
        if dunning is None or dunning.invoice_id != allocation.invoice_id:
            dunning = Dunning(
                invoice_id=allocation.invoice_id,
                invoice_number=allocation.invoice_number,
                amount=allocation.amount.amount,
                first_failed_at=at,
                failures=0,
                next_retry_at=None,
            )
        if data.payment_id in dunning.counted:
            continue  # redelivered
        dunning = dunning.after_failure(data.payment_id, at).model_copy(
            update={"amount": allocation.amount.amount}
        )
        gave_up = dunning.next_retry_at is None and sub.status in ("live", "non_renewing")
        after = sub.model_copy(update={"dunning": dunning, "status": "unpaid" if gave_up else sub.status})
        event = event_of(SubscriptionChanged, after, "unpaid" if gave_up else "payment_failed", [])
        store.save_with_event(after, outbox_event(event), int(at.timestamp()))
        changed = True
    return changed
