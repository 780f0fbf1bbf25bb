"""How a priced document (invoice, estimate) stores its lines and amounts (pynamodb, stores only):
each line a map in the document item's `lines` list, amounts in integer minor units of the document's
currency (shared.money.Money)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute

from shared.money import Money
from shared.pricing import Line


class LineRecord(MapAttribute[str, Any]):
    description = UnicodeAttribute()
    quantity = UnicodeAttribute()  # a decimal, exactly as entered
    unit_price = NumberAttribute()
    tax_name = UnicodeAttribute(null=True)
    tax_rate_bps = NumberAttribute()
    amount = NumberAttribute()
    tax = NumberAttribute()


def line_records(lines: Iterable[Line]) -> list[LineRecord]:
    return [
        LineRecord(  # type: ignore[no-untyped-call]  # pynamodb's MapAttribute.__init__ is untyped
            description=line.description,
            quantity=str(line.quantity),
            unit_price=line.unit_price.amount,
            tax_name=line.tax_name,
            tax_rate_bps=line.tax_rate_bps,
            amount=line.amount.amount,
            tax=line.tax.amount,
        )
        for line in lines
    ]


def money_in(currency: str) -> Callable[[Any], Money]:
    """Stored minor units (DynamoDB numbers come back as float or Decimal) → Money in `currency`."""

    def money(amount: Any) -> Money:
        return Money(amount=int(amount), currency=currency)

    return money


def lines_of(records: Iterable[LineRecord], currency: str) -> list[Line]:
    money = money_in(currency)
    return [
        Line(
            description=record.description,
            quantity=Decimal(record.quantity),
            unit_price=money(record.unit_price),
            tax_name=record.tax_name,
            tax_rate_bps=int(record.tax_rate_bps),
            amount=money(record.amount),
            tax=money(record.tax),
        )
        for record in records
    ]
