"""Credit-note rules, pure: whatever staff try to apply or refund, in any order, what remains never
goes below zero, equals total − applied − refunded, and the note closes exactly when nothing remains;
a request never lets an invoice be credited beyond its total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from services.credit_notes.logic.domain import (
    Application,
    CreditNote,
    InvoiceFacts,
    Refund,
    check_apply,
    check_creditable,
    check_open,
    check_positive,
    check_within_remaining,
    status_after,
)
from shared.errors import DomainError
from shared.money import Money
from shared.pricing import price_line


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


def note_of(total: int) -> CreditNote:
    line = price_line("Credit", Decimal(1), total, "USD", None, 0)
    return CreditNote(
        credit_note_id="n",
        status="open",
        customer_id="c",
        number="CN-1",
        currency="USD",
        issue_date=date(2026, 11, 1),
        lines=[line],
        subtotal=usd(total),
        tax_total=usd(0),
        total=usd(total),
        reason="r",
        created_at="t",
        updated_at="t",
    )


def invoice_of(total: int, due: int, credited: int = 0, requested: int = 0) -> InvoiceFacts:
    return InvoiceFacts(
        invoice_id="i",
        customer_id="c",
        number="INV-1",
        status="sent",
        total=usd(total),
        amount_due=usd(due),
        credited=usd(credited),
        requested=usd(requested),
    )


actions = st.lists(st.tuples(st.sampled_from(["apply", "refund"]), st.integers(-5, 400)), max_size=12)


@settings(max_examples=30, deadline=None)
@given(total=st.integers(1, 300), due=st.integers(0, 500), steps=actions)
def test_what_remains_never_goes_below_zero(total: int, due: int, steps: list[tuple[str, int]]) -> None:
    note, invoice = note_of(total), invoice_of(max(due, 1), due)
    for n, (kind, amount) in enumerate(steps):
        money = usd(amount)
        try:
            if kind == "apply":
                check_apply(note, invoice, money)
                entry = Application(
                    application_id=str(n),
                    invoice_id="i",
                    invoice_number="INV-1",
                    amount=money,
                    applied_at="t",
                )
                note = note.model_copy(update={"applications": [*note.applications, entry]})
                invoice = invoice.model_copy(update={"amount_due": invoice.amount_due - money})
            else:
                check_positive(money)
                check_open(note, "refunded")
                check_within_remaining(note, money)
                refund = Refund(refund_id=str(n), amount=money, method="m", reference=None, refunded_at="t")
                note = note.model_copy(update={"refunds": [*note.refunds, refund]})
        except DomainError:
            continue
        note = note.model_copy(update={"status": status_after(note.total, note.applied, note.refunded)})
        assert note.remaining.amount >= 0 and invoice.amount_due.amount >= 0
        assert note.remaining == note.total - note.applied - note.refunded
        assert (note.status == "closed") == note.remaining.is_zero()


@settings(max_examples=30, deadline=None)
@given(total=st.integers(1, 10_000), asks=st.lists(st.integers(-10, 6_000), max_size=8))
def test_requests_never_credit_more_than_the_invoice_total(total: int, asks: list[int]) -> None:
    invoice = invoice_of(total, total)
    for amount in asks:
        try:
            check_creditable(invoice, usd(amount))
        except DomainError:
            continue
        invoice = invoice.model_copy(update={"requested": invoice.requested + usd(amount)})
        assert invoice.credited.amount + invoice.requested.amount <= total
