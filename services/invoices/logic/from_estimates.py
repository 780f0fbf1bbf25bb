"""An accepted estimate staff converted (`EstimateConverted`, from the estimates service) becomes a
draft invoice for the same customer with the same lines, priced by the same rules (shared.pricing),
so its totals equal the estimate's. Once per estimate: a redelivered event finds the estimate's
marker and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from services.invoices.logic.domain import Invoice, Line, price_line, totals
from shared.errors import NotFound
from shared.event_models import EstimateConverted
from shared.events import EventData
from shared.ids import new_id, utc_now_iso, utc_today
from shared.lazy import lazy_module
from shared.money import Money
from shared.preferences import tax_rounding
from shared.pricing import round_tax

if TYPE_CHECKING:
    from services.invoices import store
else:
    store = lazy_module("services.invoices.store")

PAYMENT_TERMS_DAYS = 30


def invoice_of_estimate(estimate_id: str) -> Invoice:
    """Staff look up the invoice an estimate became (the estimates service does not learn its id)."""
    invoice_id = store.invoice_of_estimate(estimate_id)
    invoice = store.get(invoice_id) if invoice_id else None
    if invoice is None:
        raise NotFound("No invoice was made from this estimate (yet).")
    return invoice


def draft_from_estimate(data: EventData) -> bool:
    """True when a draft invoice was created; False when this estimate already has one."""
    if not isinstance(data, EstimateConverted):
        raise TypeError(f"the invoices service cannot draft from {data.detail_type}")
    if store.invoice_of_estimate(data.estimate_id) is not None:
        return False  # checked before a number is taken, so a redelivery leaves no gap in numbering
    lines = [
        price_line(
            line.description,
            Decimal(line.quantity),
            line.unit_price.amount,
            data.currency,
            line.tax_name,
            line.tax_rate_bps,
        )
        for line in data.lines
    ]
    lines = _as_estimated(lines, data.total)
    sums = totals(lines, data.currency)
    today = utc_today()
    now = utc_now_iso()
    invoice = Invoice(
        invoice_id=new_id(),
        customer_id=data.customer_id,
        number=store.next_invoice_number(),
        status="draft",
        currency=data.currency,
        issue_date=today,
        due_date=today + timedelta(days=PAYMENT_TERMS_DAYS),
        reference=data.reference,
        notes=data.notes,
        terms=data.terms,
        lines=lines,
        subtotal=sums.subtotal,
        tax_total=sums.tax_total,
        total=sums.total,
        amount_paid=Money.zero(data.currency),
        bill_to=store.customer_party(data.customer_id),
        created_at=now,
        updated_at=now,
    )
    return store.insert_from_estimate(invoice, data.estimate_id)


def _as_estimated(lines: list[Line], estimated_total: Money) -> list[Line]:
    """The lines with tax rounded as the estimate's were (its total tells which way, should the
    tenant's setting have changed since), so the invoice's sums are those the customer accepted."""
    preferred = tax_rounding(store.tenant_settings)
    for rounding in (preferred, "total" if preferred == "line" else "line"):
        rounded = round_tax(lines, rounding)
        if totals(rounded, estimated_total.currency).total == estimated_total:
            return rounded
    return round_tax(lines, preferred)
