"""Request and response contracts of the invoices API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StrictInt

from shared.contract import Schema
from shared.line_schemas import CustomerId, Lines, LongText, PageCursor, PageLimit, Reference, Strict
from shared.line_schemas import LineInput as LineInput  # re-exported: the invoice API's lines
from shared.line_schemas import LineView as LineView
from shared.line_schemas import TaxView as TaxView
from shared.money import Money, SupportedCurrency


class CreateInvoiceRequest(Strict):
    customer_id: CustomerId
    currency: SupportedCurrency
    issue_date: date
    due_date: date | None = None
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] = 30
    reference: Reference | None = None
    notes: LongText | None = None
    terms: LongText | None = None
    lines: Lines


class RecordPaymentRequest(Strict):
    amount: Annotated[StrictInt, Field(gt=0, le=10**12)]
    paid_on: date
    method: Literal["bank_transfer", "card", "cash", "check", "other"] = "bank_transfer"
    reference: Reference | None = None


StatusFilter = Literal["unpaid", "partially_paid", "paid", "overdue", "void"]


class ListInvoicesQuery(Strict):
    status: StatusFilter | None = None
    sort: Literal["date", "amount"] = "date"
    order: Literal["asc", "desc"] = "desc"
    limit: PageLimit = 20
    cursor: PageCursor | None = None


class StaffListInvoicesQuery(Strict):
    limit: PageLimit = 20
    cursor: PageCursor | None = None


class InvoiceSummary(Schema):
    invoice_id: str
    number: str
    issue_date: date
    due_date: date
    status: str
    total: Money
    amount_due: Money


class InvoicePage(Schema):
    items: list[InvoiceSummary]
    next_cursor: str | None


class AppliedPaymentView(Schema):
    """Money applied to the invoice: a portal payment, a credit, a credit note, an offline payment staff
    recorded, or a refund of one of them (`payment_id` = the payment refunded; `amount` = what went
    back)."""

    payment_id: str
    kind: Literal["payment", "credit", "credit_note", "offline", "refund"]
    amount: Money
    method: str
    applied_at: str
    refund_id: str | None


class StatusChangeView(Schema):
    status: str
    at: str


class InvoiceDetail(Schema):
    invoice_id: str
    customer_id: str
    number: str
    status: str
    issue_date: date
    due_date: date
    currency: str
    reference: str | None
    notes: str | None
    terms: str | None
    lines: list[LineView]
    taxes: list[TaxView]
    subtotal: Money
    tax_total: Money
    total: Money
    amount_paid: Money
    amount_due: Money
    payment_pending: bool  # a portal payment for it is waiting (3-D Secure, a bank debit clearing)
    payments: list[AppliedPaymentView]  # oldest first
    history: list[StatusChangeView]  # each status it reached, oldest first
