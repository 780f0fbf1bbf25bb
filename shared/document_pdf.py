"""The PDF of a priced document (an invoice, an estimate): the business, who it is for, its lines,
taxes and totals, then whatever the document adds (amount due, how to pay, validity). Laid out once so
every priced document reads the same; shared.pdf draws the blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shared.business import BusinessFacts, Party
from shared.pdf import Column, PdfDocument
from shared.pricing import Line, Totals

LINE_COLUMNS = (
    Column("Description", 46),
    Column("Qty", 10, "R"),
    Column("Unit price", 16, "R"),
    Column("Tax", 12, "R"),
    Column("Amount", 16, "R"),
)


@dataclass(frozen=True)
class PricedDocument:
    kind: str  # "Invoice", "Estimate"
    number: str
    facts: Sequence[tuple[str, str]]  # e.g. ("Issue date", "2026-11-01")
    bill_to: Party | None
    lines: Sequence[Line]
    totals: Totals
    closing: Sequence[tuple[str, str]] = ()  # after the total, e.g. ("Amount due", …); the last is bold
    sections: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (title, text): notes, terms …


def _rate(bps: int) -> str:
    whole, rest = divmod(bps, 100)
    return f"{whole}%" if rest == 0 else f"{whole}.{rest:02d}".rstrip("0") + "%"


def render(document: PricedDocument, business: BusinessFacts | None) -> bytes:
    pdf = PdfDocument(f"{document.kind} {document.number}", business)
    pdf.heading(document.kind.upper(), document.number, *(f"{key}: {value}" for key, value in document.facts))
    if document.bill_to is not None:
        party = document.bill_to
        label = "Bill to" if document.kind == "Invoice" else "Prepared for"
        company = party.company if party.company != party.name else None
        pdf.party(label, company, party.name, party.email)
    pdf.table(
        LINE_COLUMNS,
        [
            (
                line.description,
                str(line.quantity),
                line.unit_price.display(),
                f"{line.tax_name or 'Tax'} {_rate(line.tax_rate_bps)}" if line.tax_rate_bps else "—",
                line.amount.display(),
            )
            for line in document.lines
        ],
    )
    sums = document.totals
    rows = [("Subtotal", sums.subtotal.display())]
    rows += [(f"{name} ({_rate(rate)})", amount.display()) for name, rate, amount in sums.taxes]
    rows.append(("Total", sums.total.display()))
    pdf.totals(rows, bold_last=not document.closing)
    if document.closing:
        pdf.totals([(label, value) for label, value in document.closing])
    for title, text in document.sections:
        if text:
            pdf.paragraph(text, title)
    return pdf.output()
