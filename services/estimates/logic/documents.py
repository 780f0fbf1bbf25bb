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
from shared.document_pdf import PricedDocument, render
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
    raw = load_settings(store.tenant_settings).business_json
    business = BusinessFacts.model_validate_json(raw) if raw else None
    return PdfFile(f"{estimate.number}.pdf", render(estimate_document(estimate, utc_today()), business))


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
