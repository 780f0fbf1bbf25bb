"""Request and response contracts of the estimates API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from shared.contract import Schema
from shared.ids import ID_PATTERN
from shared.line_schemas import LineInput, LineView, TaxView
from shared.money import Money, SupportedCurrency

LongText = Annotated[str, Field(max_length=2000)]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class CreateEstimateRequest(Strict):
    customer_id: Annotated[str, Field(pattern=ID_PATTERN)]
    currency: SupportedCurrency
    issue_date: date
    expiry_date: date | None = None  # default: valid for `valid_days` from the issue date
    valid_days: Annotated[int, Field(ge=0, le=365)] = 30
    reference: Annotated[str, Field(max_length=100)] | None = None
    notes: LongText | None = None
    terms: LongText | None = None
    lines: Annotated[list[LineInput], Field(min_length=1, max_length=200)]


class DeclineRequest(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=1000, pattern=r"\S")]


StatusFilter = Literal["sent", "viewed", "accepted", "declined", "expired", "invoiced"]


class ListEstimatesQuery(Strict):
    status: StatusFilter | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    cursor: Annotated[str, Field(max_length=2000)] | None = None


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
