"""Request and response contracts of the estimates API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from shared.contract import Schema
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


class CreateEstimateRequest(Strict):
    customer_id: CustomerId
    currency: SupportedCurrency
    issue_date: date
    expiry_date: date | None = None  # default: valid for `valid_days` from the issue date
    valid_days: Annotated[int, Field(ge=0, le=365)] = 30
    reference: Reference | None = None
    notes: LongText | None = None
    terms: LongText | None = None
    lines: Lines


class DeclineRequest(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=1000, pattern=r"\S")]


StatusFilter = Literal["sent", "viewed", "accepted", "declined", "expired", "invoiced"]


class ListEstimatesQuery(Strict):
    status: StatusFilter | None = None
    limit: PageLimit = 20
    cursor: PageCursor | None = None


class EstimateSummary(Schema):
    estimate_id: str
    number: str
    issue_date: date
    expiry_date: date
    status: str
    total: Money


class EstimatePage(Schema):
    items: list[EstimateSummary]
    next_cursor: str | None


class EstimateDetail(Schema):
    """An estimate (quote) with its lines, totals and the customer's answer."""

    estimate_id: str
    customer_id: str
    number: str
    status: str
    issue_date: date
    expiry_date: date
    currency: str
    reference: str | None
    notes: str | None
    terms: str | None
    lines: list[LineView]
    taxes: list[TaxView]
    subtotal: Money
    tax_total: Money
    total: Money
    decline_reason: str | None
    answered_at: str | None
    can_answer: bool  # the customer may still accept or decline
