"""Request and response contracts of the statements API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from services.statements.logic.ledger import EntryKind
from shared.contract import Schema
from shared.line_schemas import Strict
from shared.money import Money

StatementFormat = Literal["json", "pdf", "csv"]


class StatementQuery(Strict):
    """Default range: the first of this month .. today. At most three years."""

    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None
    format: StatementFormat = "json"


class StatementEntryView(Schema):
    date: dt.date
    kind: EntryKind
    reference: str
    description: str
    document_id: str
    amount: Money  # signed: positive raises what the customer owes
    balance: Money  # running balance after this entry


class StatementTotals(Schema):
    invoiced: Money
    paid: Money
    credited: Money
    refunded: Money


class AgingSummary(Schema):
    """The closing balance on the statement's last day, by days overdue on that day (balance forward:
    the newest invoices hold what is owed). Sums to the closing balance; a credit is a negative
    `current`."""

    current: Money
    days_1_30: Money
    days_31_60: Money
    days_61_90: Money
    days_over_90: Money


class StatementView(Schema):
    customer_id: str
    currency: str
    period_from: dt.date
    period_to: dt.date
    opening_balance: Money
    closing_balance: Money
    totals: StatementTotals
    aging: AgingSummary
    entries: list[StatementEntryView]
