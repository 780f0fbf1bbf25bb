"""Priced document lines, pure: a line's amount and tax, and a document's totals. Invoices and
estimates price their lines by these same rules (an estimate converted to an invoice keeps its sums)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from shared.money import Money


class Line(BaseModel):
    model_config = ConfigDict(frozen=True)

    description: str
    quantity: Decimal
    unit_price: Money
    tax_name: str | None
    tax_rate_bps: int
    amount: Money
    tax: Money


class Totals(BaseModel):
    subtotal: Money
    tax_total: Money
    total: Money
    taxes: list[tuple[str, int, Money]]


def price_line(
    description: str,
    quantity: Decimal,
    unit_price: int,
    currency: str,
    tax_name: str | None,
    tax_rate_bps: int,
) -> Line:
    unit = Money(amount=unit_price, currency=currency)
    amount = unit.multiply(quantity)
    return Line(
        description=description,
        quantity=quantity,
        unit_price=unit,
        tax_name=tax_name,
        tax_rate_bps=tax_rate_bps,
        amount=amount,
        tax=amount.percent_bps(tax_rate_bps),
    )


def totals(lines: list[Line], currency: str) -> Totals:
    subtotal = Money.zero(currency)
    tax_total = Money.zero(currency)
    by_tax: dict[tuple[str, int], Money] = {}
    for line in lines:
        subtotal = subtotal + line.amount
        tax_total = tax_total + line.tax
        if line.tax_rate_bps:
            key = (line.tax_name or "Tax", line.tax_rate_bps)
            by_tax[key] = by_tax.get(key, Money.zero(currency)) + line.tax
    taxes = [(name, rate, amount) for (name, rate), amount in by_tax.items()]
    return Totals(subtotal=subtotal, tax_total=tax_total, total=subtotal + tax_total, taxes=taxes)
