"""A statement as PDF (shared/pdf.py: letterhead, customer, ledger table, aging, page numbers) and as
CSV (the csv module; one row per entry between an opening and a closing row)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from services.statements.logic.ledger import AGING_BUCKETS, Statement
from shared.business import BusinessFacts, Party
from shared.errors import ValidationFailed
from shared.lazy import lazy_module
from shared.pdf import FAMILY, Column, PdfDocument
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
    "credit_note_refund": "Credit refund",
    "credit_note_voided": "Credit voided",
}


# About 25 pages: rendering grows with the entries, and a request has a 10 s budget.
PDF_MAX_ENTRIES = 1000


def filename(statement: Statement, extension: str) -> str:
    return f"statement-{statement.period_from.isoformat()}-{statement.period_to.isoformat()}.{extension}"


def pdf(statement: Statement) -> bytes:
    """The statement laid out; 400 (nothing rendered) when it has more entries than a PDF holds."""
    if len(statement.lines) > PDF_MAX_ENTRIES:
        raise ValidationFailed(
            f"This statement has {len(statement.lines)} entries; a PDF holds at most {PDF_MAX_ENTRIES}. "
            "Choose a shorter range, or download it as CSV.",
            [{"field": "from", "message": "too many entries for a PDF"}],
        )
    raw = load_settings(store.tenant_settings).business_json
    business = BusinessFacts.model_validate_json(raw) if raw else None
    return render_pdf(statement, business, store.customer_party(statement.customer_id))


def render_pdf(statement: Statement, business: BusinessFacts | None, customer: Party | None) -> bytes:
    period = f"{statement.period_from.isoformat()} to {statement.period_to.isoformat()}"
    document = PdfDocument(f"Statement {period}", business)
    document.heading("STATEMENT OF ACCOUNT", period, f"Currency: {statement.currency}")
    if customer is not None:
        company = customer.company if customer.company != customer.name else None
        document.party("Customer", company, customer.name, customer.email)
    document.totals([("Opening balance", statement.opening.display())], bold_last=False)
    columns = (
        # sized so a date, the type labels below and a payment's reference (PAY-XXXXXXXX) always fit
        Column("Date", 13),
        Column("Type", 16),
        Column("Reference", 21),
        Column("Description", 22),
        Column("Amount", 19, "R"),
        Column("Balance", 19, "R"),
    )
    ledger_table(
        document,
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


class _TextWidths:
    """Text widths from a per-character cache (the rows share one font and size, and fpdf2 adds no
    kerning to unshaped text, so a string's width is the sum of its characters')."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.cache: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        total = 0.0
        for char in text:
            width = self.cache.get(char)
            if width is None:
                width = self.cache[char] = self.pdf.get_string_width(char)
            total += width
        return total

    def fit(self, text: str, width: float) -> str:
        if self(text) <= width - 2:
            return text
        while text and self(text + "…") > width - 2:
            text = text[:-1]
        return text + "…"


def ledger_table(document: PdfDocument, columns: Sequence[Column], rows: Iterable[Sequence[str]]) -> None:
    """shared/pdf.py's ruled table, drawn with text() and a line per row instead of a cell() per
    value: a statement runs to 10,000 rows, and fpdf2's cell() is ~4× slower (bench/statement_bench)."""
    pdf = document.pdf
    scale = pdf.epw / sum(column.width for column in columns)
    widths = [column.width * scale for column in columns]
    starts = [pdf.l_margin + sum(widths[:index]) for index in range(len(widths))]
    measure = _TextWidths(pdf)

    def header() -> None:
        pdf.set_font(FAMILY, "B", 9)
        pdf.set_fill_color(238)
        for column, width in zip(columns, widths, strict=True):
            pdf.cell(width, 7, column.label, border="B", align=column.align, fill=True)
        pdf.ln()
        pdf.set_font(FAMILY, size=9)

    header()
    for row in rows:
        if pdf.will_page_break(6):
            pdf.add_page()
            header()
        top = pdf.get_y()
        for column, start, width, value in zip(columns, starts, widths, row, strict=True):
            text = measure.fit(value, width)
            x = start + 1 if column.align == "L" else start + width - 1 - measure(text)
            pdf.text(x, top + 4.2, text)
        pdf.line(pdf.l_margin, top + 6, pdf.l_margin + pdf.epw, top + 6)
        pdf.set_y(top + 6)
    pdf.ln(3)


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
