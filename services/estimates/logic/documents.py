"""An estimate as a PDF: what a contact downloads, and staff's copy of any estimate. Made on request
from the stored estimate with the business profile and the customer's name from this service's own
copies of the customers service's facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from services.estimates.logic.domain import Estimate, effective_status, totals
from services.estimates.logic.use_cases import customer_estimate, existing
from shared.business import BusinessFacts
from shared.document_files import DocumentFile, fingerprint, pdf_key
from shared.document_pdf import PricedDocument, render
from shared.forwarding import Forwardable
from shared.ids import utc_today
from shared.lazy import lazy_module
from shared.preferences import load_settings
from shared.principal import Principal

if TYPE_CHECKING:
    from services.estimates import store
else:
    store = lazy_module("services.estimates.store")

STATUS_LABELS = {
    "draft": "Draft",
    "sent": "Awaiting your answer",
    "viewed": "Awaiting your answer",
    "accepted": "Accepted",
    "declined": "Declined",
    "expired": "Expired",
    "invoiced": "Invoiced",
}


@dataclass(frozen=True)
class PdfFile:
    filename: str
    content: bytes


def customer_pdf(caller: Principal, estimate_id: str) -> PdfFile:
    return _pdf(customer_estimate(caller, estimate_id))


def staff_pdf(estimate_id: str) -> PdfFile:
    return _pdf(existing(estimate_id))


def _pdf(estimate: Estimate) -> PdfFile:
    file = pdf_file(estimate)
    return PdfFile(file.filename, file.content())


def _business() -> BusinessFacts | None:
    raw = load_settings(store.tenant_settings).business_json
    return BusinessFacts.model_validate_json(raw) if raw else None


def pdf_file(estimate: Estimate, today: date | None = None) -> DocumentFile:
    """The estimate's PDF in the documents bucket, cached by version (and by "expired" once time alone
    made it so: the PDF says so)."""
    today = today or utc_today()
    shown = effective_status(estimate.status, estimate.expiry_date, today)
    variant = shown if shown != estimate.status else None
    return DocumentFile(
        filename=f"{estimate.number}.pdf",
        key=pdf_key("estimates", estimate.customer_id, estimate.estimate_id, estimate.version, variant),
        fingerprint=fingerprint(estimate.updated_at, load_settings(store.tenant_settings).business_json),
        render=lambda: render(estimate_document(estimate, today), _business()),
    )


def forwardable(caller: Principal, estimate_id: str) -> Forwardable:
    estimate = customer_estimate(caller, estimate_id)
    return Forwardable(estimate.estimate_id, estimate.customer_id, estimate.number, pdf_file(estimate))


def estimate_document(estimate: Estimate, today: date) -> PricedDocument:
    status = effective_status(estimate.status, estimate.expiry_date, today)
    facts = [
        ("Date", estimate.issue_date.isoformat()),
        ("Valid until", estimate.expiry_date.isoformat()),
        ("Status", STATUS_LABELS[status]),
    ]
    if estimate.reference:
        facts.append(("Reference", estimate.reference))
    return PricedDocument(
        kind="Estimate",
        number=estimate.number,
        facts=facts,
        bill_to=estimate.bill_to,
        lines=estimate.lines,
        totals=totals(estimate.lines, estimate.currency),
        sections=[
            ("Notes", estimate.notes or ""),
            ("Terms", estimate.terms or ""),
            ("Declined", estimate.decline_reason or ""),
        ],
    )
