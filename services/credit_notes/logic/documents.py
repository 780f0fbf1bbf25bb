"""A credit note as a PDF: what a contact downloads, and staff's copy. Made on request from the stored
credit note with the business profile and the customer's name from this service's own copies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.credit_notes.logic.domain import CreditNote
from services.credit_notes.logic.use_cases import customer_note, existing
from shared.business import BusinessFacts
from shared.document_pdf import PricedDocument, render
from shared.lazy import lazy_module
from shared.preferences import load_settings
from shared.pricing import totals
from shared.principal import Principal

if TYPE_CHECKING:
    from services.credit_notes import store
else:
    store = lazy_module("services.credit_notes.store")

STATUS_LABELS = {"open": "Open", "closed": "Fully used", "void": "Void"}


@dataclass(frozen=True)
class PdfFile:
    filename: str
    content: bytes


def customer_pdf(caller: Principal, credit_note_id: str) -> PdfFile:
    return _pdf(customer_note(caller, credit_note_id))


def staff_pdf(credit_note_id: str) -> PdfFile:
    return _pdf(existing(credit_note_id))


def _pdf(note: CreditNote) -> PdfFile:
    raw = load_settings(store.tenant_settings).business_json
    business = BusinessFacts.model_validate_json(raw) if raw else None
    return PdfFile(f"{note.number}.pdf", render(credit_note_document(note), business))


def credit_note_document(note: CreditNote) -> PricedDocument:
    facts = [("Date", note.issue_date.isoformat()), ("Status", STATUS_LABELS[note.status])]
    if note.invoice_number:
        facts.append(("Credits invoice", note.invoice_number))
    if note.reference:
        facts.append(("Reference", note.reference))
    applied = "\n".join(
        f"{a.applied_at[:10]}  {a.invoice_number}  {a.amount.display()}" for a in note.applications
    )
    refunded = "\n".join(
        f"{r.refunded_at[:10]}  {r.method}{f' ({r.reference})' if r.reference else ''}  {r.amount.display()}"
        for r in note.refunds
    )
    return PricedDocument(
        kind="Credit note",
        number=note.number,
        facts=facts,
        bill_to=note.bill_to,
        lines=note.lines,
        totals=totals(note.lines, note.currency),
        closing=(("Remaining credit", note.remaining.display() if note.status != "void" else "0"),),
        sections=[
            ("Reason", note.reason),
            ("Applied to invoices", applied),
            ("Refunded", refunded),
            ("Notes", note.notes or ""),
        ],
    )
