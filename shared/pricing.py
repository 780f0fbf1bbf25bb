"""Priced document lines, pure: a line's amount and tax, and a document's totals. Invoices and
estimates price their lines by these same rules (an estimate converted to an invoice keeps its sums)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from shared.business import Party
from shared.ids import utc_now_iso
from shared.money import Money

# shared.preferences.TaxRules.rounding: each line's tax rounded, or each tax once on its lines' sum.
TaxRounding = Literal["line", "total"]


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
        tax=Money(amount=_half_up(_exact_tax(amount.amount, tax_rate_bps)), currency=currency),
    )


def _exact_tax(amount: int, tax_rate_bps: int) -> Fraction:
    return Fraction(amount * tax_rate_bps, 10_000)


def _half_up(value: Fraction) -> int:
    """To a whole minor unit, a half away from zero (as Zoho and most tax authorities round)."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def _tax_key(line: Line) -> tuple[str, int]:
    return (line.tax_name or "Tax", line.tax_rate_bps)


def round_tax(lines: list[Line], rounding: TaxRounding) -> list[Line]:
    """The lines with their tax as `rounding` says. `line`: as priced. `total`: each tax rounded once on
    the sum of its lines, that figure shared among them by largest remainder, so the lines still add
    up to the document's tax (its PDF, totals and statement read the same figure)."""
    if rounding == "line":
        return lines
    taxes = [line.tax.amount for line in lines]
    groups: dict[tuple[str, int], list[int]] = {}
    for index, line in enumerate(lines):
        if line.tax_rate_bps:
            groups.setdefault(_tax_key(line), []).append(index)
    for (_, rate), members in groups.items():
        exact = [_exact_tax(lines[i].amount.amount, rate) for i in members]
        shares = [math.floor(x) for x in exact]
        left = _half_up(sum(exact, Fraction(0))) - sum(shares)  # 0 ≤ left ≤ len(members)
        by_remainder = sorted(range(len(members)), key=lambda k: exact[k] - shares[k], reverse=True)
        for k in by_remainder[:left]:
            shares[k] += 1
        for k, index in enumerate(members):
            taxes[index] = shares[k]
    return [
        line.model_copy(update={"tax": Money(amount=tax, currency=line.tax.currency)})
        for line, tax in zip(lines, taxes, strict=True)
    ]


def totals(lines: list[Line], currency: str) -> Totals:
    subtotal = Money.zero(currency)
    tax_total = Money.zero(currency)
    by_tax: dict[tuple[str, int], Money] = {}
    for line in lines:
        subtotal = subtotal + line.amount
        tax_total = tax_total + line.tax
        if line.tax_rate_bps:
            key = _tax_key(line)
            by_tax[key] = by_tax.get(key, Money.zero(currency)) + line.tax
    taxes = [(name, rate, amount) for (name, rate), amount in by_tax.items()]
    return Totals(subtotal=subtotal, tax_total=tax_total, total=subtotal + tax_total, taxes=taxes)


class LineTerms(Protocol):
    """A line as requested (shared.line_schemas.LineInput): what price_lines prices."""

    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> int: ...
    @property
    def tax_name(self) -> str | None: ...
    @property
    def tax_rate_bps(self) -> int: ...


def price_lines(
    requested: Iterable[LineTerms], currency: str, rounding: TaxRounding
) -> tuple[list[Line], Totals]:
    """The priced lines of a new document (tax rounded as the tenant's `rounding` says) and its totals."""
    lines = [
        price_line(li.description, li.quantity, li.unit_price, currency, li.tax_name, li.tax_rate_bps)
        for li in requested
    ]
    lines = round_tax(lines, rounding)
    return lines, totals(lines, currency)


class DraftTerms(Protocol):
    """A request to draft a document (an invoice's or an estimate's CreateRequest)."""

    @property
    def customer_id(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def issue_date(self) -> date: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def notes(self) -> str | None: ...
    @property
    def terms(self) -> str | None: ...
    @property
    def lines(self) -> Iterable[LineTerms]: ...


def draft_fields(request: DraftTerms, bill_to: Party | None, rounding: TaxRounding) -> dict[str, Any]:
    """The PricedDocument fields of a new draft but its number: its lines priced (before a number is
    taken, so a line that cannot be priced leaves no gap in numbering), its totals, `bill_to`."""
    lines, sums = price_lines(request.lines, request.currency, rounding)
    now = utc_now_iso()
    return {
        "customer_id": request.customer_id,
        "status": "draft",
        "currency": request.currency,
        "issue_date": request.issue_date,
        "reference": request.reference,
        "notes": request.notes,
        "terms": request.terms,
        "lines": lines,
        "subtotal": sums.subtotal,
        "tax_total": sums.tax_total,
        "total": sums.total,
        "bill_to": bill_to,
        "created_at": now,
        "updated_at": now,
    }


class PricedDocument(BaseModel):
    """What an invoice and an estimate both are: priced lines for a customer, addressed to it."""

    customer_id: str
    number: str
    currency: str
    issue_date: date
    reference: str | None = None
    notes: str | None = None
    terms: str | None = None
    lines: list[Line]
    subtotal: Money
    tax_total: Money
    total: Money
    bill_to: Party | None = None  # the customer as it was when drafted (its PDF is addressed to it)
    version: int | None = None
    created_at: str
    updated_at: str

    @property
    def taxes(self) -> list[tuple[str, int, Money]]:
        return totals(self.lines, self.currency).taxes
