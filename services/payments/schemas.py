"""Request and response contracts of the payments API (amounts in minor units of the invoices'
currency, always integers)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt

from shared.contract import Schema
from shared.event_models import Allocation, PaymentMethodFacts, PaymentState
from shared.ids import ID_PATTERN
from shared.money import Money

Id = Annotated[str, Field(pattern=ID_PATTERN)]
# At most what one card payment may be (Stripe: 999,999.99 in a two-decimal currency).
MAX_PAYMENT = 99_999_999
Amount = Annotated[StrictInt, Field(gt=0, le=MAX_PAYMENT)]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class InvoiceToPay(Strict):
    invoice_id: Id
    amount: Amount | None = None  # omitted: the invoice's whole amount due


class PaymentRequest(Strict):
    """Invoices to pay (oldest first unless amounts are chosen), and/or an `amount`: without invoices
    an advance payment (all credit); larger than the invoices' sum, the rest becomes credit.
    `all_outstanding`: every open invoice of the customer, oldest first (`invoices` must be empty)."""

    invoices: Annotated[list[InvoiceToPay], Field(max_length=50)] = []
    amount: Amount | None = None
    all_outstanding: StrictBool = False
    method_id: Id | None = None  # a saved method (GET /payment-methods); omitted: a new card or debit


class AllocationPreview(Schema):
    total: Money
    allocations: list[Allocation]
    credit: Money  # what becomes credit
    partial_allowed: bool
    partial_minimum: Money
    # The provider's browser component, so the page can show the card field before a payment exists.
    publishable_key: str
    js_url: str


class PaymentView(Schema):
    payment_id: str
    status: PaymentState
    kind: Literal["invoice", "advance"]
    amount: Money
    method: PaymentMethodFacts
    allocations: list[Allocation]
    credit_created: Money
    refunded: Money
    failure_reason: str | None
    created_at: str
    updated_at: str


class RefundView(Schema):
    refund_id: str
    amount: Money
    credit_reversed: Money
    allocations: list[Allocation]
    reason: str | None
    created_at: str


class PaymentDetail(PaymentView):
    customer_id: str
    contact_id: str | None
    refunds: list[RefundView]


class PaymentStarted(Schema):
    """What the browser needs to confirm the payment with the provider's JS (`client_secret`); with a
    saved method the payment is already confirmed and `client_secret` is only for 3-D Secure."""

    payment: PaymentDetail
    client_secret: str | None
    publishable_key: str
    js_url: str


class ListPaymentsQuery(Strict):
    kind: Literal["invoice", "advance"] | None = None
    sort: Literal["date", "amount"] = "date"
    order: Literal["asc", "desc"] = "desc"
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    cursor: Annotated[str, Field(max_length=2000)] | None = None


class StaffListPaymentsQuery(Strict):
    order: Literal["asc", "desc"] = "desc"
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    cursor: Annotated[str, Field(max_length=2000)] | None = None


class PaymentPage(Schema):
    items: list[PaymentView]
    next_cursor: str | None


class RefundRequest(Strict):
    amount: Amount | None = None  # omitted: everything left to refund
    reason: Annotated[str, Field(max_length=500)] | None = None


class CreditEntry(Schema):
    credit_id: str
    kind: Literal["created", "applied", "reversed", "returned"]
    amount: Money  # positive: added to the balance; negative: taken from it
    payment_id: str | None
    invoice_id: str | None
    invoice_number: str | None
    created_at: str


class CreditNoteCredit(Schema):
    credit_note_id: str
    number: str
    remaining: Money


class CreditsView(Schema):
    # The one available credit: payments' credit + the open credit notes' remaining amounts.
    balance: Money | None  # None: the customer never had credit
    payments_credit: Money | None  # over- and advance payments (what `POST /credits/apply` uses)
    credit_notes: list[CreditNoteCredit]  # open ones, with what remains of each
    entries: list[CreditEntry]  # movements of payments' credit, newest first (the latest 100)


class ApplyCreditRequest(Strict):
    invoice_id: Id
    amount: Amount | None = None  # omitted: as much as the balance and the amount due allow


class CreditApplication(Schema):
    application_id: str
    allocation: Allocation
    balance: Money


class MethodView(Schema):
    method_id: str
    kind: Literal["card", "bank_debit"]
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None
    is_default: bool


class MethodsView(Schema):
    methods: list[MethodView]
    default_method_id: str | None
    auto_charge: bool


class ListMethodsQuery(Strict):
    # The setup the caller's browser just confirmed: re-read at once (the others wait for their webhook).
    setup_id: Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9_]+$")] | None = None


class SetupStarted(Schema):
    setup_id: str
    client_secret: str
    publishable_key: str
    js_url: str


class AutoChargeRequest(Strict):
    enabled: StrictBool


class WebhookAnswer(Schema):
    received: bool
    duplicate: bool
