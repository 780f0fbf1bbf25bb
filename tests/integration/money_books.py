"""The money invariants of issue 21, read through the real APIs (and the local Stripe's ledger, which
is what the provider would show): a snapshot of one customer's books, and the checks every step of
tests/integration/test_money_invariants.py runs on it.

"Available credit" is the one credit the customer has (issue 21, defect 7): `/credits`' `balance`,
which is payments' credit (`payments_credit`: overpayments and advances, what `POST /credits/apply`
spends and what the movements sum to) plus what is left of the open credit notes; the statement and
the dashboard count the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from shared.ids import utc_today
from tests.support import Customer, PortalHandle

SETTLED = {"succeeded", "partially_refunded", "refunded"}
# How often a failed consumer message is retried locally before its queue parks it (maxReceiveCount).
REDELIVERIES = 6


@dataclass
class Books:
    """One customer's money as the portal and the provider show it, read after the events settled."""

    invoices: list[dict[str, Any]]  # InvoiceDetail of every issued invoice
    payments: list[dict[str, Any]]  # PaymentView
    credits: dict[str, Any]  # CreditsView
    credit_notes: list[dict[str, Any]]  # CreditNoteSummary
    statement: dict[str, Any]
    provider_net: int  # charges − refunds at the provider
    currency: str  # the customer's one currency
    provider_intents: dict[str, str] = field(default_factory=dict)  # payment_id → intent status

    def open_invoices(self) -> list[dict[str, Any]]:
        return [i for i in self.invoices if i["status"] not in {"paid", "void"} and i["amount_due"]["amount"]]

    def payable_invoices(self) -> list[dict[str, Any]]:
        """Open and not held by a portal payment in progress (that one answers 409 until it ends)."""
        return [i for i in self.open_invoices() if not i["payment_pending"]]

    def card_payments(self) -> list[dict[str, Any]]:
        """Payments through the provider (the history also lists what staff recorded offline)."""
        return [p for p in self.payments if (p.get("method") or {}).get("kind") != "offline"]

    def refundable_payments(self) -> list[dict[str, Any]]:
        return [p for p in self.card_payments() if p["status"] in {"succeeded", "partially_refunded"}]

    def open_notes(self) -> list[dict[str, Any]]:
        return [n for n in self.credit_notes if n["status"] == "open" and n["remaining"]["amount"] > 0]

    def credit_balance(self) -> int:
        """Payments' credit: what the movements sum to and `POST /credits/apply` spends."""
        balance = self.credits["payments_credit"]
        return int(balance["amount"]) if balance else 0

    def available_credit(self) -> int:
        """The one available credit (`/credits` `balance`: payments' credit + open credit notes)."""
        balance = self.credits["balance"]
        return int(balance["amount"]) if balance else 0


def _all_pages(api: Any, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        answer = api.get(
            f"{path}{'&' if '?' in path else '?'}limit=100" + (f"&cursor={cursor}" if cursor else "")
        )
        assert answer.status_code == 200, (path, answer.get_data(as_text=True))
        items.extend(answer.json["items"])
        cursor = answer.json.get("next_cursor")
        if not cursor:
            return items


def read_books(portal: PortalHandle, customer: Customer) -> Books:
    api = customer.api
    summaries = _all_pages(api, "/invoices")
    invoices = []
    for summary in summaries:
        detail = api.get(f"/invoices/{summary['invoice_id']}")
        assert detail.status_code == 200, detail.get_data(as_text=True)
        invoices.append(detail.json)
    credits = api.get("/credits")
    assert credits.status_code == 200, credits.get_data(as_text=True)
    today = utc_today()
    statement = api.get(
        f"/statement?from={today.replace(year=today.year - 1).isoformat()}&to={today.isoformat()}"
    )
    assert statement.status_code == 200, statement.get_data(as_text=True)
    payments = _all_pages(api, "/payments")
    net, intents = provider_books(portal, customer.customer_id)
    return Books(
        invoices=invoices,
        payments=payments,
        credits=credits.json,
        credit_notes=_all_pages(api, "/credit-notes"),
        statement=statement.json,
        provider_net=net,
        currency=customer.currency,
        provider_intents=intents,
    )


def provider_books(portal: PortalHandle, customer_id: str) -> tuple[int, dict[str, str]]:
    """Charges − refunds of the customer at the local Stripe, and each portal payment's intent status."""
    account = portal.local.stripe.account
    with account.lock:
        objects = list(account.ledger.objects.values())
    provider_customers = {
        o["id"]
        for o in objects
        if o.get("object") == "customer" and (o.get("metadata") or {}).get("customer_id") == customer_id
    }
    net = sum(
        o["amount_captured"] - o["amount_refunded"]
        for o in objects
        if o.get("object") == "charge"
        and o.get("customer") in provider_customers
        and o["status"] == "succeeded"
    )
    intents = {
        str(o["metadata"]["payment_id"]): str(o["status"])
        for o in objects
        if o.get("object") == "payment_intent"
        and o.get("customer") in provider_customers
        and (o.get("metadata") or {}).get("payment_id")
    }
    return net, intents


# ---- the invariants -----------------------------------------------------------------------------------


def check_statement_balance(books: Books) -> None:
    """(a) statement closing balance = Σ amounts due − available credit."""
    due = sum(i["amount_due"]["amount"] for i in books.invoices if i["status"] != "void")
    notes = sum(n["remaining"]["amount"] for n in books.open_notes())
    available = books.available_credit()
    assert available == books.credit_balance() + notes, (
        f"(a) available credit {available} != payments' credit {books.credit_balance()} + open notes {notes}"
    )
    closing = books.statement["closing_balance"]["amount"]
    assert closing == due - available, (
        f"(a) statement closing {closing} != amounts due {due} - available credit {available} "
        f"(credit balance {books.credit_balance()}, open credit notes "
        f"{[n['remaining']['amount'] for n in books.open_notes()]})"
    )


def check_credit_movements(books: Books) -> None:
    """(b) the credit balance = Σ of its movements, and never negative."""
    entries = books.credits["entries"]
    assert len(entries) < 100, "the credit view shows only the latest 100 movements: grow the check"
    # movements are signed: created and returned (what an invoice did not take) add, applied and
    # reversed take away
    for entry in entries:
        adds = entry["kind"] in {"created", "returned"}
        assert (entry["amount"]["amount"] > 0) == adds, f"(b) sign of {entry}"
    moved = sum(e["amount"]["amount"] for e in entries)
    assert books.credit_balance() == moved, (
        f"(b) credit balance {books.credit_balance()} != movements {moved}: "
        f"{[(e['kind'], e['amount']['amount'], e['payment_id'], e['invoice_id']) for e in entries]}"
    )
    assert books.credit_balance() >= 0, f"(b) negative credit balance {books.credit_balance()}"


def check_provider_money(books: Books) -> None:
    """(c) money at the provider = the portal's card payments − refunds."""
    portal_net = sum(
        p["amount"]["amount"] - p["refunded"]["amount"]
        for p in books.card_payments()
        if p["status"] in SETTLED
    )
    assert books.provider_net == portal_net, (
        f"(c) provider charges - refunds {books.provider_net} != portal payments - refunds {portal_net}: "
        f"{[(p['payment_id'], p['status'], p['amount'], p['refunded']) for p in books.payments]}"
    )


def check_no_stranded_payment(books: Books) -> None:
    """(d) no payment is pending (or failed) while its intent succeeded at the provider."""
    for payment in books.payments:
        intent = books.provider_intents.get(payment["payment_id"])
        if intent == "succeeded":
            assert payment["status"] in SETTLED, (
                f"(d) payment {payment['payment_id']} is {payment['status']} but its intent succeeded"
            )


def check_invoices(books: Books) -> None:
    """(f) every invoice's amount due = total − payments − credits applied (+ refunds) ≥ 0."""
    for invoice in books.invoices:
        if invoice["status"] == "void":
            continue
        applied = sum(
            (-1 if entry["kind"] == "refund" else 1) * entry["amount"]["amount"]
            for entry in invoice["payments"]
        )
        total, due = invoice["total"]["amount"], invoice["amount_due"]["amount"]
        assert due == total - applied and due >= 0, (
            f"(f) invoice {invoice['number']}: amount due {due}, total {total}, applied {applied}: "
            f"{[(e['kind'], e['amount']['amount']) for e in invoice['payments']]}"
        )
        assert invoice["amount_paid"]["amount"] == applied, (
            f"(f) invoice {invoice['number']}: amount paid {invoice['amount_paid']} != applied {applied}"
        )


def check_one_currency(books: Books) -> None:
    """A customer has one currency: every invoice, payment and credit note is in it."""
    documents = [(i["number"], i["currency"]) for i in books.invoices]
    documents += [(p["payment_id"], p["amount"]["currency"]) for p in books.payments]
    documents += [(n["number"], n["total"]["currency"]) for n in books.credit_notes]
    foreign = [d for d in documents if d[1] != books.currency]
    assert not foreign, f"documents in another currency than the customer's {books.currency}: {foreign}"


def check_books(books: Books) -> None:
    check_one_currency(books)
    check_invoices(books)
    check_credit_movements(books)
    check_provider_money(books)
    check_no_stranded_payment(books)
    check_statement_balance(books)


# ---- (e) dead-letter queues ----------------------------------------------------------------------------


class Queues:
    """The stack's consumer queues and their dead-letter queues (template.yaml's SQS queues)."""

    def __init__(self, portal: PortalHandle) -> None:
        import boto3

        self.portal = portal
        self.sqs = boto3.client("sqs")
        stack = portal.local.stack
        queues = {
            name: stack.ref(name)
            for name, resource in stack.template["Resources"].items()
            if resource["Type"] == "AWS::SQS::Queue"
        }
        self.dead = {name: url for name, url in queues.items() if "DeadLetter" in name}
        self.live = {name: url for name, url in queues.items() if name not in self.dead}
        self.baseline = self.counts(self.dead)

    def _count(self, url: str) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )

    def counts(self, queues: dict[str, str]) -> dict[str, int]:
        return {name: self._count(url) for name, url in queues.items()}

    def settle(self) -> None:
        """Drain until no consumer queue holds a message: a failing one is retried until its DLQ takes it."""
        for _ in range(REDELIVERIES):
            self.portal.drain()
            if not any(self.counts(self.live).values()):
                return
            time.sleep(2.5)  # the worker's retry visibility (infra/local/worker.py)
        raise AssertionError(f"(e) messages still in flight: {self.counts(self.live)}")

    def check_dead_letters(self) -> None:
        """(e) nothing new sits in a dead-letter queue."""
        grown = {
            name: n - self.baseline[name]
            for name, n in self.counts(self.dead).items()
            if n > self.baseline[name]
        }
        assert not grown, f"(e) dead-lettered messages: {grown}"
