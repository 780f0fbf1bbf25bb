"""Request and response contracts of the credit-notes API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from shared.contract import Schema
from shared.ids import ID_PATTERN
from shared.line_schemas import (
    CustomerId,
    Lines,
    LineView,
    LongText,
    PageCursor,
    PageLimit,
    Reference,
    Strict,
    TaxView,
)
from shared.money import Money, SupportedCurrency

InvoiceId = Annotated[str, Field(pattern=ID_PATTERN)]
Reason = Annotated[str, Field(min_length=1, max_length=1000, pattern=r"\S")]
MinorUnits = Annotated[StrictInt, Field(gt=0, le=10**12)]  # in the document's currency


class IssueCreditNoteRequest(Strict):
    customer_id: CustomerId
    currency: SupportedCurrency
    invoice_id: InvoiceId | None = None  # the invoice it credits (same customer, same currency)
    issue_date: date | None = None  # default: today
    reason: Reason
    reference: Reference | None = None
    notes: LongText | None = None
    lines: Lines


class ApplyCreditNoteRequest(Strict):
    invoice_id: InvoiceId
    amount: MinorUnits


class UseCreditNoteRequest(Strict):
    invoice_id: InvoiceId | None = None  # omitted: the invoice the credit note was raised against
    amount: MinorUnits | None = None  # omitted: as much as remains and the invoice has due


class RefundCreditNoteRequest(Strict):
    amount: MinorUnits
    method: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")] = "bank_transfer"
    reference: Reference | None = None


class NewCreditRequest(Strict):
    """A contact asks for a credit note against one of their invoices (amount in its currency)."""

    invoice_id: InvoiceId
    amount: MinorUnits
    reason: Reason


class ApproveRequest(Strict):
    apply: StrictBool = False  # apply the new credit note to the invoice at once
    note: Annotated[str, Field(max_length=1000)] | None = None


class RejectRequest(Strict):
    reason: Reason


StatusFilter = Literal["open", "closed", "void"]


class ListCreditNotesQuery(Strict):
    status: StatusFilter | None = None
    limit: PageLimit = 20
    cursor: PageCursor | None = None


class ListRequestsQuery(Strict):
    status: Literal["requested", "approved", "rejected"] = "requested"
    limit: PageLimit = 20
    cursor: PageCursor | None = None


class CustomerRequestsQuery(Strict):
    limit: PageLimit = 20
    cursor: PageCursor | None = None


class CreditNoteSummary(Schema):
    credit_note_id: str
    number: str
    issue_date: date
    status: str
    invoice_number: str | None
    total: Money
    remaining: Money


class CreditNotePage(Schema):
    items: list[CreditNoteSummary]
    next_cursor: str | None


class ApplicationView(Schema):
    application_id: str
    invoice_id: str
    invoice_number: str
    amount: Money
    applied_at: str


class RefundView(Schema):
    refund_id: str
    amount: Money
    method: str
    reference: str | None
    refunded_at: str


class CreditNoteDetail(Schema):
    """A credit note with its lines, totals, where it was applied, what was refunded and what remains."""

    credit_note_id: str
    customer_id: str
    number: str
    status: str
    issue_date: date
    currency: str
    invoice_id: str | None
    invoice_number: str | None
    reason: str
    reference: str | None
    notes: str | None
    lines: list[LineView]
    taxes: list[TaxView]
    subtotal: Money
    tax_total: Money
    total: Money
    applications: list[ApplicationView]
    refunds: list[RefundView]
    applied: Money
    refunded: Money
    remaining: Money


class CreditRequestView(Schema):
    request_id: str
    customer_id: str
    invoice_id: str
    invoice_number: str
    amount: Money
    reason: str
    status: str
    answer: str | None
    credit_note_id: str | None
    created_at: str
    answered_at: str | None


class CreditRequestPage(Schema):
    items: list[CreditRequestView]
    next_cursor: str | None


class ApprovedRequest(Schema):
    request: CreditRequestView
    credit_note: CreditNoteDetail
