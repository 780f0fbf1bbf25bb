"""What money applied to an invoice is, pure: a portal payment, a credit, a payment staff recorded
offline, or a refund of one of them, and how each moves the invoice's amount paid and status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from services.invoices.logic.domain import StoredStatus
from shared.money import Money
from shared.overdue import OPEN_STATUSES

AppliedKind = Literal["payment", "credit", "credit_note", "offline", "refund"]


@dataclass(frozen=True)
class AppliedPayment:
    """One entry of an invoice's payments (`INVOICE#<iid>`/`PAYMENT#<payment_id or refund_id>`).

    A refund's `payment_id` is the payment it gives money back from. `refunded` counts what refunds
    took back of a payment on this invoice; `status_before` is the invoice's status when it was
    applied (so a full refund knows whether the invoice had been viewed)."""

    payment_id: str
    kind: AppliedKind
    amount: Money
    method: str
    applied_at: str
    refund_id: str | None = None
    refunded: Money | None = None
    status_before: str | None = None

    @property
    def key(self) -> str:
        return self.refund_id or self.payment_id

    @property
    def refundable(self) -> Money:
        return self.amount - (self.refunded or Money.zero(self.amount.currency))


@dataclass(frozen=True)
class InvoicePayments:
    """What an invoice's partition says about money: applied entries (oldest first) and whether a
    portal payment is pending for it."""

    applied: tuple[AppliedPayment, ...] = ()
    pending: bool = False

    def entry(self, key: str) -> AppliedPayment | None:
        """The entry of a payment, credit application or offline payment id, or of a refund id."""
        return next((entry for entry in self.applied if entry.key == key), None)


def applicable(status: str, amount_due: Money, allocation: Money) -> Money:
    """How much of an allocation the invoice takes: at most its amount due, nothing once it is closed
    (paid, void). The rest stays with the payments service (it becomes the customer's credit)."""
    if status not in OPEN_STATUSES or allocation.amount <= 0:
        return Money.zero(amount_due.currency)
    return allocation if allocation <= amount_due else amount_due


def status_after_payment(status: StoredStatus, amount_due_after: Money, applied: Money) -> StoredStatus:
    if applied.is_zero():
        return status
    return "paid" if amount_due_after.is_zero() else "partially_paid"


def status_after_refund(status: StoredStatus, amount_paid_after: Money, ever_viewed: bool) -> StoredStatus:
    """A refunded invoice is open again: partly paid while some money stays on it, else back to viewed
    (or sent, if nobody had opened it before it was paid)."""
    if status in ("draft", "void"):
        return status
    if amount_paid_after.amount > 0:
        return "partially_paid"
    return "viewed" if ever_viewed else "sent"


def ever_viewed(status: StoredStatus, applied: tuple[AppliedPayment, ...]) -> bool:
    return status == "viewed" or any(entry.status_before == "viewed" for entry in applied)
