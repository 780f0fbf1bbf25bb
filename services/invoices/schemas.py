"""Request and response contracts of the invoices API."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, PlainValidator, StrictInt, WithJsonSchema

from shared.contract import Schema
from shared.ids import ID_PATTERN
from shared.money import Money, SupportedCurrency

Text = Annotated[str, Field(min_length=1, max_length=500)]
LongText = Annotated[str, Field(max_length=2000)]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# A quantity as JSON can carry it exactly: an integer, or a decimal string with up to 3 places, more
# than 0 and at most 1,000,000 (a JSON float would already have lost precision). The pattern is the
# whole rule, so what the document promises and what the API accepts are the same set.
QUANTITY_PATTERN = (
    r"^(?:[1-9][0-9]{0,5}(?:\.[0-9]{1,3})?|0\.(?:[1-9][0-9]{0,2}|0[1-9][0-9]?|00[1-9])|1000000(?:\.0{1,3})?)$"
)
QUANTITY_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1, "maximum": 1_000_000},
        {"type": "string", "pattern": QUANTITY_PATTERN, "examples": ["2.5"]},
    ],
    "description": 'An integer or a decimal string with up to 3 places, e.g. "2.5" (never a JSON float).',
}


def _quantity(value: object) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1_000_000:
        return Decimal(value)
    if isinstance(value, str) and re.fullmatch(QUANTITY_PATTERN, value):
        return Decimal(value)
    if isinstance(value, Decimal) and re.fullmatch(QUANTITY_PATTERN, str(value)):  # Python callers (seed)
        return value
    raise ValueError(
        'send the quantity as an integer or a decimal string, e.g. "2.5" (0 < quantity <= 1000000)'
    )


Quantity = Annotated[Decimal, PlainValidator(_quantity), WithJsonSchema(QUANTITY_SCHEMA)]


class LineInput(Strict):
    description: Text
    quantity: Quantity
    unit_price: Annotated[StrictInt, Field(ge=0, le=10**12)]  # minor units
    tax_name: Annotated[str, Field(max_length=60)] | None = None
    tax_rate_bps: Annotated[StrictInt, Field(ge=0, le=10_000)] = 0


class CreateInvoiceRequest(Strict):
    customer_id: Annotated[str, Field(pattern=ID_PATTERN)]
    currency: SupportedCurrency
    issue_date: date
    due_date: date | None = None
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] = 30
    reference: Annotated[str, Field(max_length=100)] | None = None
    notes: LongText | None = None
    terms: LongText | None = None
    lines: Annotated[list[LineInput], Field(min_length=1, max_length=200)]


class RecordPaymentRequest(Strict):
    amount: Annotated[StrictInt, Field(gt=0, le=10**12)]
    paid_on: date
    method: Literal["bank_transfer", "card", "cash", "check", "other"] = "bank_transfer"
    reference: Annotated[str, Field(max_length=100)] | None = None


StatusFilter = Literal["unpaid", "partially_paid", "paid", "overdue", "void"]


class ListInvoicesQuery(Strict):
    status: StatusFilter | None = None
    sort: Literal["date", "amount"] = "date"
    order: Literal["asc", "desc"] = "desc"
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    cursor: Annotated[str, Field(max_length=2000)] | None = None


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


class LineView(Schema):
    description: str
    quantity: str
    unit_price: Money
    tax_name: str | None
    tax_rate_bps: int
    amount: Money
    tax: Money


class TaxView(Schema):
    name: str
    rate_bps: int
    amount: Money


class AppliedPaymentView(Schema):
    """Money applied to the invoice: a portal payment, a credit, an offline payment staff recorded, or
    a refund of one of them (`payment_id` = the payment refunded; `amount` = what went back)."""

    payment_id: str
    kind: Literal["payment", "credit", "offline", "refund"]
    amount: Money
    method: str
    applied_at: str
    refund_id: str | None


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
