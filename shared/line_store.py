"""How a priced document (invoice, estimate) is stored (pynamodb, stores only): the attributes both
documents' items have, each line a map in the item's `lines` list, amounts in integer minor units of
the document's currency (shared.money.Money). Each service's record class adds its own attributes,
indexes and table (PricedRecord has none: import the module, not the class, into a store)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    VersionAttribute,
)

from shared.business import Party
from shared.dynamo import KeyedRecord
from shared.money import Money
from shared.pricing import Line, PricedDocument


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


class PricedRecord(KeyedRecord):
    """The attributes an invoice's and an estimate's items share (the names are the table layout)."""

    customer_id = UnicodeAttribute()
    number = UnicodeAttribute()
    status = UnicodeAttribute()
    currency = UnicodeAttribute()
    issue_date = UnicodeAttribute()
    reference = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    terms = UnicodeAttribute(null=True)
    lines = ListAttribute(of=LineRecord)
    subtotal = NumberAttribute()
    tax_total = NumberAttribute()
    total = NumberAttribute()
    bill_to = UnicodeAttribute(null=True)  # shared.business.Party as JSON
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()
    # sparse index attributes (absent on drafts, so customers never see them)
    customer_key = UnicodeAttribute(null=True)
    status_key = UnicodeAttribute(null=True)
    open_key = UnicodeAttribute(null=True)
    date_key = UnicodeAttribute(null=True)


def record_fields(document: PricedDocument) -> dict[str, Any]:
    """The PricedRecord attributes of a document (but its status, keys and version)."""
    return {
        "customer_id": document.customer_id,
        "number": document.number,
        "currency": document.currency,
        "issue_date": document.issue_date.isoformat(),
        "reference": document.reference,
        "notes": document.notes,
        "terms": document.terms,
        "lines": line_records(document.lines),
        "subtotal": document.subtotal.amount,
        "tax_total": document.tax_total.amount,
        "total": document.total.amount,
        "bill_to": document.bill_to.model_dump_json() if document.bill_to else None,
        "created_at": document.created_at,
        "updated_at": document.updated_at,
    }


def document_fields(record: PricedRecord) -> dict[str, Any]:
    """The PricedDocument fields of a stored item (its status stays with the service: its own type)."""
    currency = record.currency
    money = money_in(currency)
    return {
        "customer_id": record.customer_id,
        "number": record.number,
        "currency": currency,
        "issue_date": date.fromisoformat(record.issue_date),
        "reference": record.reference,
        "notes": record.notes,
        "terms": record.terms,
        "lines": lines_of(record.lines, currency),
        "subtotal": money(record.subtotal),
        "tax_total": money(record.tax_total),
        "total": money(record.total),
        "bill_to": Party.model_validate_json(record.bill_to) if record.bill_to else None,
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }
