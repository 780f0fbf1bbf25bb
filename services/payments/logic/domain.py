"""The payments service's domain objects (what stores return and use cases work with)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.event_models import Allocation, PaymentMethodFacts
from shared.money import Money


@dataclass(frozen=True)
class RefundRecord:
    refund_id: str
    amount: Money
    credit_reversed: Money
    allocations: tuple[Allocation, ...]
    reason: str | None
    created_at: str


@dataclass(frozen=True)
class Payment:
    payment_id: str
    customer_id: str
    contact_id: str | None
    status: str
    kind: str  # invoice | advance
    amount: Money
    method: PaymentMethodFacts
    allocations: tuple[Allocation, ...]
    unallocated: Money  # becomes credit when the payment succeeds
    provider: str
    intent_id: str | None
    failure_reason: str | None
    refunds: tuple[RefundRecord, ...]
    created_at: str
    updated_at: str
    version: int | None = None
    released: tuple[str, ...] = field(default=())  # invoices whose claim this payment released
    payer: str | None = None  # the customer's name when it paid (the receipt's "Paid by")

    @property
    def refunded(self) -> Money:
        total = Money.zero(self.amount.currency)
        for refund in self.refunds:
            total = total + refund.amount
        return total

    @property
    def payment_version(self) -> int:
        """The version the next write creates (consumers keep the highest)."""
        return (self.version or 0) + 1


@dataclass(frozen=True)
class InvoiceFacts:
    invoice_id: str
    customer_id: str
    number: str
    status: str
    issue_date: str
    currency: str
    amount_due: Money


@dataclass(frozen=True)
class CustomerAccount:
    customer_id: str
    display_name: str | None
    email: str | None
    currency: str | None
    provider_customer_id: str | None
    default_method_id: str | None
    auto_charge: bool
    balance: Money | None
    balance_version: int


@dataclass(frozen=True)
class SavedMethod:
    method_id: str
    provider_method_id: str
    kind: str
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None
    created_at: str


@dataclass(frozen=True)
class CreditMovement:
    credit_id: str
    kind: str  # created | applied | reversed
    amount: Money  # signed: + added to the balance, − taken from it
    payment_id: str | None
    invoice_id: str | None
    invoice_number: str | None
    created_at: str


@dataclass(frozen=True)
class BalanceChange:
    """A change of a customer's credit balance, written with the event that tells of it."""

    movement: CreditMovement
    balance_after: Money
    version_before: int  # the balance version read (optimistic lock)


@dataclass(frozen=True)
class CreditNoteCredit:
    """An open credit note of the customer as payments' copy has it (part of the available credit)."""

    credit_note_id: str
    number: str
    remaining: Money
