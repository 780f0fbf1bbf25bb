"""The request and response shapes of a priced document's lines (invoices and estimates take and
show lines alike; shared.pricing prices them)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import ConfigDict, Field, PlainValidator, StrictInt, WithJsonSchema

from shared.contract import Schema
from shared.ids import ID_PATTERN
from shared.money import Money
from shared.pricing import Line

Text = Annotated[str, Field(min_length=1, max_length=500)]
LongText = Annotated[str, Field(max_length=2000)]  # a document's notes and terms
Reference = Annotated[str, Field(max_length=100)]  # the customer's PO number or similar
CustomerId = Annotated[str, Field(pattern=ID_PATTERN)]
# a customer's list of documents: one page at a time
PageLimit = Annotated[int, Field(ge=1, le=100)]
PageCursor = Annotated[str, Field(max_length=2000)]


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


Lines = Annotated[list[LineInput], Field(min_length=1, max_length=200)]  # a new document's lines


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


def line_view(line: Line) -> LineView:
    return LineView(
        description=line.description,
        quantity=str(line.quantity),
        unit_price=line.unit_price,
        tax_name=line.tax_name,
        tax_rate_bps=line.tax_rate_bps,
        amount=line.amount,
        tax=line.tax,
    )


def tax_views(taxes: list[tuple[str, int, Money]]) -> list[TaxView]:
    return [TaxView(name=name, rate_bps=rate, amount=amount) for name, rate, amount in taxes]
