"""A statement as PDF (shared/pdf.py: letterhead, customer, ledger table, aging, page numbers) and as
CSV (the csv module; one row per entry between an opening and a closing row)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from services.statements.logic.ledger import AGING_BUCKETS, Statement
from shared.business import BusinessFacts, Party
from shared.lazy import lazy_module
from shared.preferences import load_settings

if TYPE_CHECKING:
    from services.statements import store
else:
    store = lazy_module("services.statements.store")

AGING_LABELS = {
    "current": "Current",
    "days_1_30": "1–30 days",
    "days_31_60": "31–60 days",
    "days_61_90": "61–90 days",
    "days_over_90": "90+ days",
}
KIND_LABELS = {
    "invoice": "Invoice",
    "invoice_voided": "Invoice voided",
    "payment": "Payment",
    "payment_refund": "Refund",
    "credit_note": "Credit note",
    "credit_note_refund": "Credit note refund",
    "credit_note_voided": "Credit note voided",
}


def filename(statement: Statement, extension: str) -> str:
    return f"statement-{statement.period_from.isoformat()}-{statement.period_to.isoformat()}.{extension}"


def pdf(statement: Statement) -> bytes:
    raw = load_settings(store.tenant_settings).business_json
    business = BusinessFacts.model_validate_json(raw) if raw else None
    return render_pdf(statement, business, store.customer_party(statement.customer_id))


def render_pdf(statement: Statement, business: BusinessFacts | None, customer: Party | None) -> bytes:
    from shared.pdf import Column, PdfDocument

    period = f"{statement.period_from.isoformat()} to {statement.period_to.isoformat()}"
    document = PdfDocument(f"Statement {period}", business)
    document.heading("STATEMENT OF ACCOUNT", period, f"Currency: {statement.currency}")
    if customer is not None:
        company = customer.company if customer.company != customer.name else None
        document.party("Customer", company, customer.name, customer.email)
    document.totals([("Opening balance", statement.opening.display())], bold_last=False)
    columns = (
        Column("Date", 14),
        Column("Type", 16),
        Column("Reference", 16),
        Column("Description", 30),
        Column("Amount", 16, "R"),
        Column("Balance", 16, "R"),
    )
    document.table(
        columns,
        [
            (
                line.entry.entry_date.isoformat(),
                KIND_LABELS[line.entry.kind],
                line.entry.reference,
                line.entry.description,
                line.entry.amount.display(),
                line.balance.display(),
            )
            for line in statement.lines
        ],
    )
    totals = statement.totals
    document.totals(
        [
            ("Invoiced", totals["invoiced"].display()),
            ("Paid", totals["paid"].display()),
            ("Credited", totals["credited"].display()),
            ("Refunded", totals["refunded"].display()),
            ("Closing balance", statement.closing.display()),
        ]
    )
    document.table(
        [Column(AGING_LABELS[name], 1, "R") for name in AGING_BUCKETS],
        [[statement.aging[name].display() for name in AGING_BUCKETS]],
    )
    return document.output()


CSV_HEADER = ("date", "type", "reference", "description", "document_id", "amount", "balance", "currency")


def csv_text(statement: Statement) -> str:
    """Amounts in minor units (integers, as everywhere in the API), so a spreadsheet sums exactly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    currency = statement.currency
    first, last = statement.period_from.isoformat(), statement.period_to.isoformat()
    writer.writerow(
        (first, "opening_balance", "", "Opening balance", "", "", statement.opening.amount, currency)
    )
    for line in statement.lines:
        entry = line.entry
        writer.writerow(
            (
                entry.entry_date.isoformat(),
                entry.kind,
                entry.reference,
                entry.description,
                entry.document_id,
                entry.amount.amount,
                line.balance.amount,
                currency,
            )
        )
    writer.writerow(
        (last, "closing_balance", "", "Closing balance", "", "", statement.closing.amount, currency)
    )
    return out.getvalue()
