"""Business documents as PDF (receipts, invoices, estimates, credit notes, statements) with fpdf2 and
a bundled Unicode font (DejaVu Sans, shared/fonts/, its licence beside it), so any customer's name or
currency symbol prints. Each service lays out its own document with these few blocks; none of them
knows a domain object.

fpdf2 is imported when the first document is made, not at cold start: only the download routes need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from shared.business import BusinessFacts

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
Align = Literal["L", "R", "C"]


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # a share of the printable width; a table's shares are scaled to fill it
    align: Align = "L"


class PdfDocument:
    """A4 portrait, 15 mm margins, page numbers in the footer."""

    def __init__(self, title: str, business: BusinessFacts | None = None) -> None:
        from fpdf import FPDF

        class _Pdf(FPDF):
            def footer(self) -> None:
                self.set_y(-12)
                self.set_font(FAMILY, size=8)
                self.set_text_color(110)
                self.cell(0, 5, f"{title} · page {self.page_no()}/{{nb}}", align="C")

        pdf = _Pdf(format="A4")
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_title(title)
        pdf.set_creator("Billing portal")
        pdf.add_page()
        self.pdf: FPDF = pdf
        self.title = title
        if business is not None:
            self._business(business)

    # ---- blocks ------------------------------------------------------------------------------------

    def heading(self, text: str, *lines: str) -> None:
        """The document's name (RECEIPT, INVOICE …) and lines under it (number, dates)."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", 18)
        pdf.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, size=10)
        for line in lines:
            pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)

    def party(self, label: str, *lines: str | None) -> None:
        """A labelled address block (Bill to, Paid by)."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", 9)
        pdf.set_text_color(90)
        pdf.cell(0, 5, label.upper(), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
        pdf.set_font(FAMILY, size=10)
        for line in lines:
            if line:
                pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    def key_values(self, pairs: Sequence[tuple[str, str]]) -> None:
        pdf = self.pdf
        for key, value in pairs:
            pdf.set_font(FAMILY, "B", 10)
            pdf.cell(45, 6, key)
            pdf.set_font(FAMILY, size=10)
            pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """A ruled table; the header repeats on every page the table runs onto."""
        pdf = self.pdf
        scale = pdf.epw / sum(column.width for column in columns)
        widths = [column.width * scale for column in columns]

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
            for column, width, value in zip(columns, widths, row, strict=True):
                pdf.cell(width, 6, _fit(pdf, value, width), border="B", align=column.align)
            pdf.ln()
        pdf.ln(3)

    def totals(self, lines: Sequence[tuple[str, str]], bold_last: bool = True) -> None:
        """Right-aligned label/amount pairs under a table (Subtotal, Tax, Total)."""
        pdf = self.pdf
        for index, (label, amount) in enumerate(lines):
            bold = bold_last and index == len(lines) - 1
            pdf.set_font(FAMILY, "B" if bold else "", 10)
            pdf.cell(pdf.epw - 45, 6, label, align="R")
            pdf.cell(45, 6, amount, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    def paragraph(self, text: str, title: str | None = None) -> None:
        pdf = self.pdf
        if title:
            pdf.set_font(FAMILY, "B", 10)
            pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, size=9)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def output(self) -> bytes:
        return bytes(self.pdf.output())

    # ---- parts ---------------------------------------------------------------------------------------

    def _business(self, business: BusinessFacts) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", 12)
        pdf.cell(0, 6, business.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, size=9)
        address = business.address
        lines = [
            address.line1 if address else None,
            address.line2 if address else None,
            " ".join(p for p in (address.postal_code, address.city) if p) if address else None,
            address.country if address else None,
            business.email,
            business.phone,
        ]
        for line in lines:
            if line:
                pdf.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Shorten a cell's text with an ellipsis rather than let it run into the next column."""
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"
