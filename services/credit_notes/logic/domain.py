"""Credit-note rules, pure: what is left of a credit note, what may be applied or refunded from it,
how much a customer may still ask to be credited on an invoice.

open → closed (nothing remaining: all applied to invoices or refunded)
open → void   (only while nothing was applied or refunded)"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from shared.errors import Conflict, ValidationFailed
from shared.money import Money, sum_money
from shared.pricing import PricedDocument

StoredStatus = Literal["open", "closed", "void"]
RequestStatus = Literal["requested", "approved", "rejected"]


class Application(BaseModel):
    """Part of a credit note that paid an invoice."""

    model_config = ConfigDict(frozen=True)

    application_id: str
    invoice_id: str
    invoice_number: str
    amount: Money
    applied_at: str


class Refund(BaseModel):
    """Part of a credit note paid back to the customer."""

    model_config = ConfigDict(frozen=True)

    refund_id: str
    amount: Money
    method: str
    reference: str | None
    refunded_at: str


class CreditNote(PricedDocument):
    credit_note_id: str
    status: StoredStatus
    invoice_id: str | None = None
    invoice_number: str | None = None
    reason: str
    request_id: str | None = None
    applications: list[Application] = []
    refunds: list[Refund] = []

    @property
    def applied(self) -> Money:
        return sum_money([application.amount for application in self.applications], self.currency)

    @property
    def refunded(self) -> Money:
        return sum_money([refund.amount for refund in self.refunds], self.currency)

    @property
    def remaining(self) -> Money:
        return self.total - self.applied - self.refunded


class InvoiceFacts(BaseModel):
    """This service's copy of an issued invoice (from portal.invoices events) and what credit notes
    and pending requests already claim of it (written by this service's own use cases)."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    customer_id: str
    number: str
    status: str
    total: Money
    amount_due: Money
    credited: Money  # credit notes issued against it (void ones given back)
    requested: Money  # contacts' requests still waiting for an answer
    credit_version: int | None = None  # optimistic lock of credited/requested

    @property
    def creditable(self) -> Money:
        """What may still be credited on it: its total less what is credited or asked for."""
        return self.total - self.credited - self.requested


def status_after(total: Money, applied: Money, refunded: Money) -> StoredStatus:
    return "closed" if (total - applied - refunded).amount <= 0 else "open"


def check_positive(amount: Money, field: str = "amount") -> None:
    if amount.amount <= 0:
        raise ValidationFailed("The amount must be more than zero.", [{"field": field, "message": "> 0"}])


def check_same_currency(expected: str, amount: Money, field: str = "amount") -> None:
    if amount.currency != expected:
        raise ValidationFailed(
            f"The amount must be in {expected}.", [{"field": field, "message": f"currency {expected}"}]
        )


def check_open(note: CreditNote, action: str) -> None:
    if note.status != "open":
        raise Conflict(f"This credit note is {note.status}; nothing can be {action} from it.")


def check_within_remaining(note: CreditNote, amount: Money) -> None:
    if note.remaining < amount:
        raise Conflict(f"Only {note.remaining.display()} of this credit note remains.")


def check_apply(note: CreditNote, invoice: InvoiceFacts, amount: Money) -> None:
    check_positive(amount)
    check_open(note, "applied")
    check_same_currency(note.currency, amount)
    if invoice.customer_id != note.customer_id:
        raise ValidationFailed(
            "The invoice belongs to another customer.", [{"field": "invoice_id", "message": "other customer"}]
        )
    if invoice.total.currency != note.currency:
        raise ValidationFailed(
            "The invoice is in another currency.", [{"field": "invoice_id", "message": "currency"}]
        )
    check_within_remaining(note, amount)
    if invoice.status in ("void", "paid", "draft") or invoice.amount_due < amount:
        raise Conflict(f"Invoice {invoice.number} has only {invoice.amount_due.display()} due.")


def check_void(note: CreditNote) -> None:
    if note.status == "void":
        raise Conflict("This credit note is already void.")
    if note.applications or note.refunds:
        raise Conflict("A credit note that was applied or refunded cannot be voided.")


def check_creditable(invoice: InvoiceFacts, amount: Money) -> None:
    """A new credit (a request, or a credit note raised against the invoice) fits what is left."""
    check_positive(amount)
    check_same_currency(invoice.total.currency, amount)
    if invoice.status in ("void", "draft"):
        raise Conflict(f"Invoice {invoice.number} is {invoice.status}; it cannot be credited.")
    if invoice.creditable < amount:
        raise Conflict(
            f"At most {invoice.creditable.display()} of invoice {invoice.number} can still be credited "
            "(its total less what is already credited or requested)."
        )


class CreditRequest(BaseModel):
    """A contact's request for a credit note against one of their invoices, and staff's answer."""

    model_config = ConfigDict(frozen=True)

    request_id: str
    customer_id: str
    contact_id: str | None
    invoice_id: str
    invoice_number: str
    amount: Money
    reason: str
    status: RequestStatus
    answer: str | None = None
    credit_note_id: str | None = None
    created_at: str
    answered_at: str | None = None
    version: int | None = None


def check_pending(request: CreditRequest) -> None:
    if request.status != "requested":
        raise Conflict(f"This request was already {request.status}.")
