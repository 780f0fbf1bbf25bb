"""The priced-document PDF (shared/document_pdf.py) with the bundled, subset font: names in several
scripts print (pypdf reads them back), and every line and total is on the page."""

from __future__ import annotations

import io
from decimal import Decimal

from pypdf import PdfReader

from shared.business import Address, BusinessFacts, Party
from shared.document_pdf import PricedDocument, render
from shared.pricing import price_line, totals


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_names_in_latin_greek_and_cyrillic_print_with_lines_and_totals() -> None:
    lines = [
        price_line("Zoë's café — design", Decimal("1.5"), 80_00, "EUR", "MwSt", 1900),
        price_line("Αθήνα workshop", Decimal(1), 120_00, "EUR", None, 0),
        price_line("Москва hosting", Decimal(2), 10_00, "EUR", None, 0),
    ]
    document = PricedDocument(
        kind="Invoice",
        number="INV-000007",
        facts=[("Issue date", "2026-11-01")],
        bill_to=Party(name="Łódź Studio", company="Łódź Studio Sp. z o.o.", email="ap@lodz.example"),
        lines=lines,
        totals=totals(lines, "EUR"),
        closing=[("Amount due", "282.80 EUR")],
    )
    text = text_of(render(document, BusinessFacts(name="Renoτech €", address=Address(city="München"))))
    for expected in (
        "Renoτech €",
        "München",
        "Łódź Studio Sp. z o.o.",
        "Zoë's café — design",
        "Αθήνα workshop",
        "Москва hosting",
        "120.00 EUR",  # 1.5 × 80.00
        "22.80 EUR",  # MwSt 19 %
        "MwSt (19%)",
        "260.00 EUR",  # subtotal 120 + 120 + 20
        "Total 282.80 EUR",
        "Amount due 282.80 EUR",
    ):
        assert expected in text, f"{expected!r} not in the PDF:\n{text}"


def test_a_long_document_runs_onto_more_pages_with_numbers() -> None:
    lines = [price_line(f"Line {n}", Decimal(1), 1_00, "USD", None, 0) for n in range(120)]
    document = PricedDocument(
        kind="Estimate", number="EST-000001", facts=[], bill_to=None, lines=lines, totals=totals(lines, "USD")
    )
    reader = PdfReader(io.BytesIO(render(document, None)))
    assert len(reader.pages) >= 3
    assert "page 3/" in reader.pages[2].extract_text()
    assert "Line 119" in text_of(render(document, None))
