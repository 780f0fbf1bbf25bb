"""Invoice rules, pure: the status life cycle and overdue. Lines and totals are priced by
shared.pricing (estimates use the same rules)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shared.errors import Conflict, ValidationFailed
from shared.ids import utc_now_iso
from shared.money import Money
from shared.overdue import OPEN_STATUSES, is_overdue
from shared.pricing import Line as Line  # re-exported: the invoice's parts
from shared.pricing import PricedDocument
from shared.pricing import Totals as Totals
from shared.pricing import price_line as price_line
from shared.pricing import totals as totals

StoredStatus = Literal["draft", "sent", "viewed", "partially_paid", "paid", "void"]
EffectiveStatus = Literal["draft", "sent", "viewed", "partially_paid", "paid", "overdue", "void"]


def effective_status(status: StoredStatus, due_date: date, today: date) -> EffectiveStatus:
    return "overdue" if is_overdue(status, due_date, today) else status


def check_issue(status: str, total: Money) -> None:
    if status != "draft":
        raise Conflict(f"Only a draft can be issued; this invoice is {status}.")
    if total.amount <= 0:
        raise ValidationFailed("An invoice must total more than zero to be issued.")


def check_void(status: str, amount_paid: Money) -> None:
    if status in ("void", "paid"):
        raise Conflict(f"A {status} invoice cannot be voided.")
    if amount_paid.amount > 0:
        raise Conflict("An invoice with payments recorded cannot be voided; refund the payments first.")


def apply_payment(status: str, amount_due: Money, payment: Money) -> StoredStatus:
    """The status after `payment` is applied; refuses over-payment and closed invoices."""
    if status not in OPEN_STATUSES:
        raise Conflict(f"Payments can only be recorded against an open invoice; this one is {status}.")
    if payment.currency != amount_due.currency:
        raise ValidationFailed(f"The payment must be in {amount_due.currency}.")
    if payment.amount <= 0:
        raise ValidationFailed("The payment amount must be greater than zero.")
    if amount_due < payment:
        raise ValidationFailed(f"The payment exceeds the amount due ({amount_due.display()}).")
    return "paid" if payment.amount == amount_due.amount else "partially_paid"


def check_dates(issue_date: date, due_date: date) -> None:
    if due_date < issue_date:
        raise ValidationFailed("The due date cannot be before the issue date.")


class StatusChange(BaseModel):
    """One step of the invoice's life, as the customer sees it on the invoice page."""

    model_config = ConfigDict(frozen=True)

    status: StoredStatus
    at: str  # ISO 8601, UTC


class Invoice(PricedDocument):
    invoice_id: str
    status: StoredStatus
    due_date: date
    amount_paid: Money

    history: tuple[StatusChange, ...] = ()  # oldest first; invoices issued before it was kept have none
    subscription_id: str | None = None  # the subscription whose charge it bills

    @property
    def amount_due(self) -> Money:
        if self.status == "void":
            return Money.zero(self.currency)  # a void invoice is not owed
        return self.total - self.amount_paid


def changed(invoice: Invoice, **changes: Any) -> Invoice:
    """The invoice with `changes`, stamped now; a new status is added to its history."""
    now = utc_now_iso()
    status = changes.get("status", invoice.status)
    history = invoice.history
    if status != invoice.status:
        history = (*history, StatusChange(status=status, at=now))
    return invoice.model_copy(update={**changes, "updated_at": now, "history": history})
