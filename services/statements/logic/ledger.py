"""The ledger's pure rules (no boto3): which events move a customer's balance and by how much, and a
statement built from an opening balance and the entries of a period.

A positive amount raises what the customer owes (an invoice, a refund paid out), a negative one lowers
it (a payment, a credit note). Applying a credit or a credit note to an invoice moves money between
documents, so it is no entry. The aging summary ages the closing balance over the newest invoices
(balance forward), so it is what was owed on the statement's last day and sums to its closing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from shared.event_models import (
    CreditNoteIssued,
    CreditNoteRefunded,
    CreditNoteVoided,
    InvoiceIssued,
    InvoicePaymentRecorded,
    InvoiceVoided,
    PaymentRefunded,
    PaymentSucceeded,
)
from shared.events import EventData
from shared.money import Money

EntryKind = Literal[
    "invoice",
    "invoice_voided",
    "payment",
    "payment_refund",
    "credit_note",
    "credit_note_refund",
    "credit_note_voided",
]
Category = Literal["invoiced", "paid", "credited", "refunded"]

CATEGORY: dict[str, Category] = {
    "invoice": "invoiced",
    "invoice_voided": "invoiced",
    "payment": "paid",
    "payment_refund": "refunded",
    "credit_note": "credited",
    "credit_note_refund": "refunded",
    "credit_note_voided": "credited",
}
# The sign a category's total is shown with: paid and credited lower the balance.
CATEGORY_SIGN: dict[Category, int] = {"invoiced": 1, "paid": -1, "credited": -1, "refunded": 1}

LEDGER_EVENTS = (
    InvoiceIssued,
    InvoiceVoided,
    InvoicePaymentRecorded,
    PaymentSucceeded,
    PaymentRefunded,
    CreditNoteIssued,
    CreditNoteRefunded,
    CreditNoteVoided,
)


@dataclass(frozen=True)
class Entry:
    customer_id: str
    entry_date: date
    entry_key: str  # the same for every delivery of the same fact: the idempotency key
    kind: EntryKind
    document_id: str
    reference: str  # what the customer recognises: a document number, a payment's short id
    description: str
    amount: Money  # signed: + raises the balance
    due_date: date | None = None  # an invoice's: the aging buckets it by days overdue

    @property
    def category(self) -> Category:
        return CATEGORY[self.kind]


def _day(iso: str) -> date:
    return date.fromisoformat(iso[:10])


def _numbers(numbers: Iterable[str]) -> str:
    return ", ".join(numbers)


def entries_for(data: EventData, occurred_at: str) -> list[Entry]:
    """The ledger entries one event makes (none for events that only move money between documents).
    Documents are dated by their own date; payments, refunds and voids by when they happened."""
    when = _day(occurred_at)
    if isinstance(data, InvoiceIssued):
        return [
            Entry(
                data.customer_id,
                _day(data.issue_date),
                f"invoice#{data.invoice_id}",
                "invoice",
                data.invoice_id,
                data.number,
                f"Invoice {data.number}",
                data.total,
                _day(data.due_date),
            )
        ]
    if isinstance(data, InvoiceVoided):
        return [
            Entry(
                data.customer_id,
                when,
                f"invoice#{data.invoice_id}#voided",
                "invoice_voided",
                data.invoice_id,
                data.number,
                f"Invoice {data.number} voided",
                _negated(data.total),
            )
        ]
    if isinstance(data, InvoicePaymentRecorded):
        if data.kind != "offline":  # portal payments arrive as PaymentSucceeded; credits move money only
            return []
        return [
            Entry(
                data.customer_id,
                _day(data.paid_on) if data.paid_on else when,
                f"offline#{data.payment_id}",
                "payment",
                data.payment_id,
                data.number,
                f"Payment ({data.method}) for {data.number}",
                _negated(data.payment_amount),
            )
        ]
    if isinstance(data, PaymentSucceeded):
        paid_for = _numbers(a.invoice_number for a in data.allocations)
        description = f"Payment for {paid_for}" if paid_for else "Payment on account"
        return [
            Entry(
                data.customer_id,
                when,
                f"payment#{data.payment_id}",
                "payment",
                data.payment_id,
                _short(data.payment_id),
                description,
                _negated(data.amount),
            )
        ]
    if isinstance(data, PaymentRefunded):
        return [
            Entry(
                data.customer_id,
                when,
                f"payment#{data.payment_id}#refund#{data.refund_id}",
                "payment_refund",
                data.payment_id,
                _short(data.payment_id),
                f"Refund of payment {_short(data.payment_id)}",
                data.refund_amount,
            )
        ]
    if isinstance(data, CreditNoteIssued):
        return [
            Entry(
                data.customer_id,
                _day(data.issue_date),
                f"credit_note#{data.credit_note_id}",
                "credit_note",
                data.credit_note_id,
                data.number,
                f"Credit note {data.number}",
                _negated(data.total),
            )
        ]
    if isinstance(data, CreditNoteRefunded):
        return [
            Entry(
                data.customer_id,
                when,
                f"credit_note#{data.credit_note_id}#refund#{data.refund_id}",
                "credit_note_refund",
                data.credit_note_id,
                data.number,
                f"Refund from credit note {data.number}",
                data.refund_amount,
            )
        ]
    if isinstance(data, CreditNoteVoided):
        return [
            Entry(
                data.customer_id,
                when,
                f"credit_note#{data.credit_note_id}#voided",
                "credit_note_voided",
                data.credit_note_id,
                data.number,
                f"Credit note {data.number} voided",
                data.total,
            )
        ]
    return []


def _negated(money: Money) -> Money:
    return Money(amount=-money.amount, currency=money.currency)


def _short(payment_id: str) -> str:
    return f"PAY-{payment_id[-8:].upper()}"


# ---- statements ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedInvoice:
    """An invoice the ledger holds: issued by a statement's last day and not voided by then."""

    invoice_id: str
    number: str
    issue_date: date
    due_date: date
    total: Money


AGING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")


def aging_bucket(due_date: date, as_of: date) -> str:
    overdue = (as_of - due_date).days
    if overdue <= 0:
        return "current"
    if overdue <= 30:
        return "days_1_30"
    if overdue <= 60:
        return "days_31_60"
    if overdue <= 90:
        return "days_61_90"
    return "days_over_90"


def aging(closing: Money, newest_first: Iterable[IssuedInvoice], as_of: date) -> dict[str, Money]:
    """The closing balance on `as_of`, aged (balance forward): payments, credits and credit notes
    settle the oldest invoices first, so what is owed is the newest invoices issued by `as_of`, each
    at most its total, bucketed by days overdue on `as_of`. The buckets sum to the closing balance;
    one in the customer's favour is a negative `current`. Reads `newest_first` only as far as needed."""
    buckets = dict.fromkeys(AGING_BUCKETS, 0)
    left = closing.amount
    if left > 0:
        for invoice in newest_first:
            if invoice.issue_date > as_of:
                continue
            part = min(left, invoice.total.amount)
            buckets[aging_bucket(invoice.due_date, as_of)] += part
            left -= part
            if left == 0:
                break
    buckets["current"] += left  # a credit balance (or, never expected, more than the invoices)
    return {name: Money(amount=value, currency=closing.currency) for name, value in buckets.items()}


@dataclass(frozen=True)
class Line:
    entry: Entry
    balance: Money  # the running balance after this entry


@dataclass(frozen=True)
class Statement:
    customer_id: str
    currency: str
    period_from: date
    period_to: date
    opening: Money
    lines: list[Line]
    closing: Money
    totals: dict[Category, Money]  # each shown positive when it moved the balance its usual way
    aging: dict[str, Money]


def entry_order(entry: Entry) -> tuple[date, str]:
    return entry.entry_date, entry.entry_key


def build(
    customer_id: str,
    currency: str,
    period_from: date,
    period_to: date,
    opening: Money,
    entries: Iterable[Entry],
    issued_newest_first: Iterable[IssuedInvoice],
) -> Statement:
    balance = opening.amount
    sums: dict[Category, int] = dict.fromkeys(CATEGORY_SIGN, 0)
    lines = []
    for entry in sorted(entries, key=entry_order):
        balance += entry.amount.amount
        sums[entry.category] += entry.amount.amount
        lines.append(Line(entry, Money(amount=balance, currency=currency)))
    return Statement(
        customer_id=customer_id,
        currency=currency,
        period_from=period_from,
        period_to=period_to,
        opening=opening,
        lines=lines,
        closing=Money(amount=balance, currency=currency),
        totals={
            name: Money(amount=CATEGORY_SIGN[name] * value, currency=currency) for name, value in sums.items()
        },
        aging=aging(Money(amount=balance, currency=currency), issued_newest_first, period_to),
    )
