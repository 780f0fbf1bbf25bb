"""What a customer owes, from the projection of invoice events: outstanding and overdue per currency.
Overdue is decided by the same rule the invoices service uses (open and past its due date)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from services.customers.logic.domain import Account, Receivable
from services.customers.schemas import OpenReceivable, Receivables
from shared.event_models import InvoiceChanged
from shared.lazy import lazy_module
from shared.money import Money
from shared.overdue import OPEN_STATUSES, is_overdue

if TYPE_CHECKING:
    from services.customers import projections_store as store
else:  # pynamodb (and with it most of botocore) loads on first use, not at cold start
    store = lazy_module("services.customers.projections_store")


def summarize(open_items: Iterable[Receivable], today: date) -> Receivables:
    outstanding: dict[str, int] = {}
    overdue: dict[str, int] = {}
    open_count = overdue_count = 0
    for item in open_items:
        currency, amount = item.currency, item.amount_due
        open_count += 1
        outstanding[currency] = outstanding.get(currency, 0) + amount
        if is_overdue(item.status, item.due_date, today):
            overdue_count += 1
            overdue[currency] = overdue.get(currency, 0) + amount
    return Receivables(
        outstanding=[Money(amount=a, currency=c) for c, a in sorted(outstanding.items())],
        overdue=[Money(amount=a, currency=c) for c, a in sorted(overdue.items())],
        open_count=open_count,
        overdue_count=overdue_count,
    )


def open_invoices(account: Account, today: date) -> list[OpenReceivable]:
    """Each open invoice, oldest due first, marked when a payment for it is pending."""
    items = sorted(account.open_receivables, key=lambda item: (item.due_date, item.number, item.invoice_id))
    return [
        OpenReceivable(
            invoice_id=item.invoice_id,
            number=item.number,
            status="overdue" if is_overdue(item.status, item.due_date, today) else item.status,
            amount_due=Money(amount=item.amount_due, currency=item.currency),
            due_date=item.due_date,
            payment_pending=item.invoice_id in account.pending_invoices,
        )
        for item in items
    ]


def available_credit(account: Account) -> Money:
    """One available credit: over- and advance payments plus what remains of the credit notes (in the
    customer's one currency; the statement counts the same)."""
    currency = account.credit.currency if account.credit and account.credit.currency else None
    currency = currency or account.customer.currency
    parts = [account.credit, *account.credit_notes] if account.credit else list(account.credit_notes)
    return Money(amount=sum(p.amount for p in parts if p.currency == currency), currency=currency)


def apply_invoice_event(event: InvoiceChanged) -> bool:
    """Keep the customer's receivables in step with an invoice event. Safe for redelivered and
    out-of-order events: only a higher `invoice_version` changes anything. True if it changed."""
    if event.status in OPEN_STATUSES and event.amount_due.amount > 0:
        return store.project_open_invoice(
            event.customer_id,
            event.invoice_id,
            event.number,
            event.status,
            event.amount_due.amount,
            event.amount_due.currency,
            event.due_date,
            event.invoice_version,
        )
    return store.project_closed_invoice(event.customer_id, event.invoice_id, event.invoice_version)
