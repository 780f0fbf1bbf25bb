"""The ledger's pure rules on random histories (hypothesis): a model of the documents (what each
invoice still asks, the credit balance, what each credit note has left) is driven alongside the events
those documents publish. Whatever the history, the statement reconciles: closing = opening + invoiced
− paid − credited + refunded, each running balance follows from the one before, a split of the range
continues where the first part closed, a redelivered event adds nothing, and the closing balance is
what the invoices still ask less the unused credit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from services.statements.logic.ledger import (
    Entry,
    IssuedInvoice,
    aging,
    aging_bucket,
    build,
    entries_for,
)
from shared.event_models import (
    Allocation,
    CreditNoteIssued,
    CreditNoteRefunded,
    CreditNoteVoided,
    InvoiceIssued,
    InvoicePaymentRecorded,
    InvoiceVoided,
    PaymentMethodFacts,
    PaymentRefunded,
    PaymentSucceeded,
)
from shared.events import EventData
from shared.money import Money

START = date(2025, 1, 1)
CUSTOMER = "01JCUSTOMER0000000000000000"


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


@dataclass
class Books:
    """The documents' side: what a customer would see on its invoices, credits and credit notes."""

    due: dict[str, int] = field(default_factory=dict)
    paid_on: dict[str, int] = field(default_factory=dict)  # what was paid against each invoice
    credit: int = 0
    payments: dict[str, list[int]] = field(default_factory=dict)  # payment id → [amount, refunded]
    notes: dict[str, list[int]] = field(default_factory=dict)  # credit note id → [total, remaining]
    events: list[tuple[EventData, str]] = field(default_factory=list)  # (event, occurred_at)
    day: date = START

    def emit(self, data: EventData) -> None:
        self.events.append((data, f"{self.day.isoformat()}T12:00:00Z"))

    def invoice(self, n: int, status: str, **extra: Any) -> dict[str, Any]:
        invoice_id = f"inv{n}"
        return {
            "invoice_id": invoice_id,
            "customer_id": CUSTOMER,
            "number": f"INV-{n:06d}",
            "status": status,
            "issue_date": self.day.isoformat(),
            "due_date": (self.day + timedelta(days=30)).isoformat(),
            "total": usd(self.due.get(invoice_id, 0) + self.paid_on.get(invoice_id, 0)),
            "amount_due": usd(self.due.get(invoice_id, 0)),
            "invoice_version": len(self.events) + 1,
            **extra,
        }

    def payment(self, kind: type[Any], payment_id: str, amount: int, **extra: Any) -> Any:
        return kind(
            payment_id=payment_id,
            customer_id=CUSTOMER,
            contact_id=None,
            status="succeeded",
            amount=usd(amount),
            method=PaymentMethodFacts(kind="card"),
            allocations=[],
            unallocated=usd(0),
            payment_version=len(self.events) + 1,
            **extra,
        )

    def note(self, kind: type[Any], note_id: str, status: str, **extra: Any) -> Any:
        total, remaining = self.notes[note_id]
        return kind(
            credit_note_id=note_id,
            customer_id=CUSTOMER,
            number=f"CN-{note_id}",
            status=status,
            issue_date=self.day.isoformat(),
            invoice_id=None,
            total=usd(total),
            remaining=usd(remaining),
            credit_note_version=len(self.events) + 1,
            **extra,
        )

    # ---- what happens to the documents --------------------------------------------------------------

    def step(self, op: str, amount: int, pick: int) -> None:
        self.day += timedelta(days=pick % 9)
        open_ids = sorted(i for i, due in self.due.items() if due > 0)
        chosen = open_ids[pick % len(open_ids)] if open_ids else None
        if op == "invoice" or (chosen is None and op in {"pay", "offline", "void", "apply"}):
            n = len(self.due) + 1
            self.due[f"inv{n}"] = amount
            self.emit(InvoiceIssued(**self.invoice(n, "sent")))
        elif op == "pay" and chosen is not None:
            applied = min(amount, self.due[chosen])
            self.due[chosen] -= applied
            self.paid_on[chosen] = self.paid_on.get(chosen, 0) + applied
            self.credit += amount - applied
            payment_id = f"pay{len(self.payments) + 1}"
            self.payments[payment_id] = [amount, 0]
            allocation = Allocation(invoice_id=chosen, invoice_number=chosen, amount=usd(applied))
            self.emit(
                self.payment(PaymentSucceeded, payment_id, amount).model_copy(
                    update={"allocations": [allocation]}
                )
            )
        elif op == "offline" and chosen is not None:
            paid = min(amount, self.due[chosen])
            self.due[chosen] -= paid
            self.paid_on[chosen] = self.paid_on.get(chosen, 0) + paid
            n = int(chosen[3:])
            self.emit(
                InvoicePaymentRecorded(
                    **self.invoice(
                        n,
                        "partially_paid",
                        payment_id=f"off{len(self.events)}",
                        payment_amount=usd(paid),
                        method="cash",
                        kind="offline",
                    )
                )
            )
        elif op == "apply" and chosen is not None and self.credit > 0:
            moved = min(self.credit, self.due[chosen], amount)
            self.credit -= moved
            self.due[chosen] -= moved
            self.paid_on[chosen] = self.paid_on.get(chosen, 0) + moved
            n = int(chosen[3:])  # a credit application: the invoice's snapshot says so, no money moves
            self.emit(
                InvoicePaymentRecorded(
                    **self.invoice(
                        n,
                        "partially_paid",
                        payment_id=f"app{len(self.events)}",
                        payment_amount=usd(moved),
                        method="credit",
                        kind="credit",
                    )
                )
            )
        elif op == "void" and chosen is not None and not self.paid_on.get(chosen):
            n = int(chosen[3:])
            total = self.due[chosen]
            self.due[chosen] = 0
            self.emit(InvoiceVoided(**{**self.invoice(n, "void"), "total": usd(total)}))
        elif op == "refund" and self.payments:
            payment_id = sorted(self.payments)[pick % len(self.payments)]
            amount_paid, refunded = self.payments[payment_id]
            refund = min(amount, amount_paid - refunded)
            if refund == 0:
                return
            self.payments[payment_id][1] += refund
            from_credit = min(self.credit, refund)  # the credit goes back first, then the invoices reopen
            self.credit -= from_credit
            rest = refund - from_credit
            for invoice_id in sorted(self.paid_on):
                back = min(rest, self.paid_on[invoice_id])
                self.paid_on[invoice_id] -= back
                self.due[invoice_id] += back
                rest -= back
            self.credit -= rest  # more than the invoices hold: the customer owes it back
            self.emit(
                self.payment(
                    PaymentRefunded,
                    payment_id,
                    amount_paid,
                    refund_id=f"r{len(self.events)}",
                    refund_amount=usd(refund),
                    refund_allocations=[],
                    credit_reversed=usd(from_credit),
                )
            )
        elif op == "note":
            note_id = f"n{len(self.notes) + 1}"
            self.notes[note_id] = [amount, amount]
            self.emit(self.note(CreditNoteIssued, note_id, "open", request_id=None))
        elif op == "note_refund" and self.notes:
            note_id = sorted(self.notes)[pick % len(self.notes)]
            refund = min(amount, self.notes[note_id][1])
            if refund:
                self.notes[note_id][1] -= refund
                self.emit(
                    self.note(
                        CreditNoteRefunded,
                        note_id,
                        "open",
                        refund_id=f"r{len(self.events)}",
                        refund_amount=usd(refund),
                        method="cash",
                        reference=None,
                    )
                )
        elif op == "note_void" and self.notes:
            note_id = sorted(self.notes)[pick % len(self.notes)]
            total, remaining = self.notes[note_id]
            if remaining == total and total > 0:  # nothing used from it yet
                self.notes[note_id][1] = 0
                self.emit(self.note(CreditNoteVoided, note_id, "void"))


OPS = st.sampled_from(
    ["invoice", "pay", "offline", "apply", "void", "refund", "note", "note_refund", "note_void"]
)
HISTORY = st.lists(st.tuples(OPS, st.integers(1, 50_000), st.integers(0, 1000)), min_size=1, max_size=40)


def ledger_of(books: Books, redeliver: int) -> list[Entry]:
    """The entries as the store keeps them: one per entry key, however often an event arrives."""
    kept: dict[str, Entry] = {}
    deliveries = books.events + books.events[: redeliver % (len(books.events) + 1)]
    for data, occurred_at in deliveries:
        for entry in entries_for(data, occurred_at):
            kept.setdefault(entry.entry_key, entry)
    return list(kept.values())


@settings(max_examples=30, deadline=None)
@given(HISTORY, st.integers(0, 100), st.integers(0, 400))
def test_a_statement_reconciles_with_the_documents(
    history: list[tuple[str, int, int]], redeliver: int, split: int
) -> None:
    books = Books()
    for op, amount, pick in history:
        books.step(op, amount, pick)
    entries = ledger_of(books, redeliver)
    last = books.day
    zero = usd(0)
    whole = build(CUSTOMER, "USD", START, last, zero, entries, [])

    totals = {name: money.amount for name, money in whole.totals.items()}
    assert (
        whole.closing.amount == totals["invoiced"] - totals["paid"] - totals["credited"] + totals["refunded"]
    )
    previous = 0
    for line in whole.lines:
        assert line.balance.amount == previous + line.entry.amount.amount
        previous = line.balance.amount
    unused_credit = books.credit + sum(remaining for _, remaining in books.notes.values())
    assert whole.closing.amount == sum(books.due.values()) - unused_credit

    # any split: the second part opens where the first closed (what balance_before computes)
    cut = START + timedelta(days=split % ((last - START).days + 1))
    first = build(CUSTOMER, "USD", START, cut, zero, [e for e in entries if e.entry_date <= cut], [])
    second_entries = [e for e in entries if e.entry_date > cut]
    second = build(CUSTOMER, "USD", cut + timedelta(days=1), last, first.closing, second_entries, [])
    assert second.closing == whole.closing
    assert len(first.lines) + len(second.lines) == len(whole.lines)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-200, 200), st.integers(1, 100_000)), max_size=20),
    st.integers(-50_000, 2_000_000),
    st.integers(0, 400),
)
def test_aging_ages_the_closing_balance_over_the_newest_invoices(
    invoices: list[tuple[int, int]], closing: int, offset: int
) -> None:
    as_of = START + timedelta(days=offset)
    newest_first = [
        IssuedInvoice(f"inv{n}", f"INV-{n}", START, as_of - timedelta(days=overdue), usd(total))
        for n, (overdue, total) in enumerate(invoices)
    ]
    buckets = {name: money.amount for name, money in aging(usd(closing), newest_first, as_of).items()}
    assert sum(buckets.values()) == closing  # always what the statement closes with
    owed, expected = max(closing, 0), dict.fromkeys(buckets, 0)
    for overdue, total in invoices:  # the newest invoices hold what is owed, each at most its total
        part = min(owed, total)
        expected[aging_bucket(as_of - timedelta(days=overdue), as_of)] += part
        owed -= part
    expected["current"] += owed + min(closing, 0)
    assert buckets == expected
    assert all(amount >= 0 for name, amount in buckets.items() if name != "current")
    # an invoice issued after the day owes nothing on it
    later = [IssuedInvoice("x", "INV-X", as_of + timedelta(days=1), as_of + timedelta(days=31), usd(500))]
    assert aging(usd(500), later, as_of)["current"] == usd(500)  # not from an invoice of the future
    assert aging(usd(500), later, as_of)["days_1_30"] == usd(0)
