"""What a subscription bills (`SubscriptionCreated|Changed|Renewed|Reactivated|Paused|Cancelled` with
a `charge_id` and lines, from the subscriptions service) becomes an issued invoice for that customer,
once per charge id: a redelivered event finds the charge's marker and changes nothing. The invoice is
issued in the same transaction (InvoiceIssued through the outbox), so notifications and payments
learn of it as of any other.

A charge that nets to zero or less (a credit for unused time) makes no invoice here: crediting the
customer belongs with credit notes (not done yet)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from services.invoices.logic.domain import Invoice, price_line, totals
from services.invoices.logic.snapshots import invoice_snapshot
from shared.event_models import InvoiceIssued, SubscriptionEvent
from shared.events import EventData, outbox_event
from shared.ids import new_id, utc_now, utc_now_iso, utc_today
from shared.lazy import lazy_module
from shared.money import Money

if TYPE_CHECKING:
    from services.invoices import store
else:
    store = lazy_module("services.invoices.store")

PAYMENT_TERMS_DAYS = 30


def invoice_charge(data: EventData) -> bool:
    """True when an invoice was issued; False when there was nothing to bill or it was billed already."""
    if not isinstance(data, SubscriptionEvent):
        raise TypeError(f"the invoices service cannot bill {data.detail_type}")
    if data.charge_id is None or sum(line.amount.amount for line in data.lines) <= 0:
        return False
    if store.invoice_of_charge(data.charge_id) is not None:
        return False  # checked before a number is taken, so a redelivery leaves no gap in numbering
    lines = [
        price_line(
            f"{line.description} ({line.start[:10]} – {line.end[:10]})"
            if line.start != line.end
            else line.description,
            Decimal(1),
            line.amount.amount,
            data.currency,
            None,
            0,
        )
        for line in data.lines
    ]
    sums = totals(lines, data.currency)
    today, now = utc_today(), utc_now_iso()
    invoice = Invoice(
        invoice_id=new_id(),
        customer_id=data.customer_id,
        number=store.next_invoice_number(),
        status="sent",
        currency=data.currency,
        issue_date=today,
        due_date=today + timedelta(days=PAYMENT_TERMS_DAYS),
        reference=f"Subscription {data.plan_name}",
        notes=None,
        terms=None,
        lines=lines,
        subtotal=sums.subtotal,
        tax_total=sums.tax_total,
        total=sums.total,
        amount_paid=Money.zero(data.currency),
        bill_to=store.customer_party(data.customer_id),
        created_at=now,
        updated_at=now,
        subscription_id=data.subscription_id,
    )
    issued = outbox_event(InvoiceIssued(**invoice_snapshot(invoice)))
    return store.insert_from_charge(invoice, data.charge_id, issued, int(utc_now().timestamp()))
