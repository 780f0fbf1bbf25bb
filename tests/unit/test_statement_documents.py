"""A statement's PDF and CSV from a pure Statement: every entry's date, type, reference and amounts
print whole (the widest payment reference included), and the CSV rows sum to the closing balance."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from pypdf import PdfReader

from services.statements.logic.documents import KIND_LABELS, csv_text, render_pdf
from services.statements.logic.ledger import Entry, build
from shared.business import Party
from shared.money import Money

START = date(2026, 1, 1)


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


def statement_of_every_kind() -> object:
    entries = [
        Entry(
            "c",
            START + timedelta(days=n),
            f"{kind}#{n}",
            kind,
            f"doc{n}",
            reference,
            f"{kind} Łódź Zoë",
            usd(amount),
        )  # type: ignore[arg-type]
        for n, (kind, reference, amount) in enumerate(
            [
                ("invoice", "INV-000001", 999_999_99),
                ("payment", "PAY-WWWWWWWW", -500_000_00),
                ("payment_refund", "PAY-MMMMMMMM", 1_00),
                ("credit_note", "CN-000001", -20_00),
                ("credit_note_refund", "CN-000001", 5_00),
                ("credit_note_voided", "CN-000002", 7_00),
                ("invoice_voided", "INV-000002", -3_00),
            ]
        )
    ]
    return build("c", "USD", START, START + timedelta(days=30), usd(12_34), entries, [])


def test_every_entry_prints_whole_in_the_pdf() -> None:
    statement = statement_of_every_kind()
    content = render_pdf(statement, None, Party(name="Zoë Łódź", company="Łódź Ltd", email="z@example.com"))  # type: ignore[arg-type]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Zoë Łódź" in text  # a long description may be shortened; these columns never are
    for line in statement.lines:  # type: ignore[attr-defined]
        entry = line.entry
        for value in (
            entry.entry_date.isoformat(),
            KIND_LABELS[entry.kind],
            entry.reference,
            entry.amount.display(),
            line.balance.display(),
        ):
            assert value in text


def test_the_csv_rows_add_up_to_the_closing_balance() -> None:
    statement = statement_of_every_kind()
    rows = list(csv.DictReader(io.StringIO(csv_text(statement))))  # type: ignore[arg-type]
    opening, *entries, closing = rows
    assert int(opening["balance"]) + sum(int(row["amount"]) for row in entries) == int(closing["balance"])
    assert int(closing["balance"]) == statement.closing.amount  # type: ignore[attr-defined]
