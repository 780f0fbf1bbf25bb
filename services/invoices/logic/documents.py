"""An invoice as a PDF: what a contact downloads or prints, and staff's copy of any invoice. Made on
request from the stored invoice (one GetItem) with the business profile and the customer's name from
this service's own copies of the customers service's facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from services.invoices.logic.domain import Invoice, effective_status, totals
from shared.business import BusinessFacts
from shared.document_files import DocumentFile, fingerprint, pdf_key
from shared.document_pdf import PricedDocument, render
from shared.errors import NotFound
from shared.forwarding import Forwardable
from shared.ids import utc_today
from shared.lazy import lazy_module
from shared.mail import portal_link
from shared.preferences import load_settings, require_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.invoices import store
else:
    store = lazy_module("services.invoices.store")

STATUS_LABELS = {
    "draft": "Draft",
    "sent": "Sent",
    "viewed": "Sent",
    "partially_paid": "Partially paid",
    "paid": "Paid",
    "overdue": "Overdue",
    "void": "Void",
}


@dataclass(frozen=True)
class PdfFile:
    filename: str
    content: bytes


def customer_invoice(caller: Principal, invoice_id: str) -> Invoice:
    """One of the caller's customer's invoices; another customer's invoice or a draft is a 404."""
    customer_id = caller.require_customer()
    require_module("invoices", store.tenant_settings)
    invoice = store.get(invoice_id)
    if invoice is None or invoice.customer_id != customer_id or invoice.status == "draft":
        raise NotFound("No invoice with this id.")
    return invoice


def customer_pdf(caller: Principal, invoice_id: str) -> PdfFile:
    return _pdf(customer_invoice(caller, invoice_id))


def staff_pdf(invoice_id: str) -> PdfFile:
    invoice = store.get(invoice_id)
    if invoice is None:
        raise NotFound("No invoice with this id.")
    return _pdf(invoice)


def pdf_file(invoice: Invoice, today: date | None = None) -> DocumentFile:
    """The invoice's PDF in the documents bucket, cached by version (and by the status the reader
    sees, when time alone changed it: an overdue invoice says so)."""
    today = today or utc_today()
    shown = effective_status(invoice.status, invoice.due_date, today)
    variant = shown if shown != invoice.status else None
    return DocumentFile(
        filename=f"{invoice.number}.pdf",
        key=pdf_key("invoices", invoice.customer_id, invoice.invoice_id, invoice.version, variant),
        fingerprint=fingerprint(invoice.updated_at, load_settings(store.tenant_settings).business_json),
        render=lambda: render(invoice_document(invoice, today), business_facts()),
    )


def forwardable(caller: Principal, invoice_id: str) -> Forwardable:
    invoice = customer_invoice(caller, invoice_id)
    return Forwardable(invoice.invoice_id, invoice.customer_id, invoice.number, pdf_file(invoice))


def business_facts() -> BusinessFacts | None:
    raw = load_settings(store.tenant_settings).business_json
    return BusinessFacts.model_validate_json(raw) if raw else None


def _pdf(invoice: Invoice) -> PdfFile:
    file = pdf_file(invoice)
    return PdfFile(file.filename, file.content())


def invoice_document(invoice: Invoice, today: date) -> PricedDocument:
    status = effective_status(invoice.status, invoice.due_date, today)
    facts = [
        ("Issue date", invoice.issue_date.isoformat()),
        ("Due date", invoice.due_date.isoformat()),
        ("Status", STATUS_LABELS[status]),
    ]
    if invoice.reference:
        facts.append(("Reference", invoice.reference))
    open_ = invoice.status not in ("paid", "void", "draft")
    pay = f"Pay online in the customer portal: {portal_link(f'/invoices/{invoice.invoice_id}')}"
    return PricedDocument(
        kind="Invoice",
        number=invoice.number,
        facts=facts,
        # drafted before bill-to was kept on the invoice: the customer as this service knows it now
        bill_to=invoice.bill_to or store.customer_party(invoice.customer_id),
        lines=invoice.lines,
        totals=totals(invoice.lines, invoice.currency),
        closing=[
            ("Amount paid", invoice.amount_paid.display()),
            ("Amount due", invoice.amount_due.display()),
        ],
        sections=[
            ("Notes", invoice.notes or ""),
            ("Terms", invoice.terms or ""),
            ("How to pay", pay if open_ else ""),
        ],
    )
