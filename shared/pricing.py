"""Priced document lines, pure: a line's amount and tax, and a document's totals. Invoices and
estimates price their lines by these same rules (an estimate converted to an invoice keeps its sums)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from shared.business import Party
from shared.ids import utc_now_iso
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


def price_lines(requested: Iterable[LineTerms], currency: str) -> tuple[list[Line], Totals]:
    """The priced lines of a new document and its totals."""
    lines = [
        price_line(li.description, li.quantity, li.unit_price, currency, li.tax_name, li.tax_rate_bps)
        for li in requested
    ]
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


def draft_fields(request: DraftTerms, bill_to: Party | None) -> dict[str, Any]:
    """The PricedDocument fields of a new draft but its number: its lines priced (before a number is
    taken, so a line that cannot be priced leaves no gap in numbering), its totals, `bill_to`."""
    lines, sums = price_lines(request.lines, request.currency)
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
