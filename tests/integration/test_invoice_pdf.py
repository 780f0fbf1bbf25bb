"""Invoice PDFs end to end: a contact downloads their own issued invoice (its text read back with
pypdf names the business, the customer, every line and the totals); drafts and other customers'
invoices are 404 exactly like a missing one; staff fetch any invoice, drafts included."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from tests.support import ApiClient, Customer, PortalHandle, create_invoice

PDF = {"Accept": "application/pdf"}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def business_restored(portal: PortalHandle) -> Iterator[None]:
    """The business profile is the tenant's: put it back for the other tests."""
    from services.customers import store
    from services.customers.logic import use_cases, views

    before = store.tenant_settings()
    yield
    business = views.business_profile(before) if before is not None else None
    if business is not None:
        use_cases.set_business(business)
    portal.drain()


@pytest.mark.usefixtures("business_restored")
def test_contact_downloads_their_invoice_as_pdf(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    changed = staff.put(
        "/staff/portal/business",
        {"name": "Łódź Design Studio", "email": "billing@lodz.example", "address": {"city": "Łódź"}},
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)
    portal.drain()  # the invoices service's copy of the business profile follows from the event
    from shared.preferences import forget_cached_preferences

    forget_cached_preferences()
    from shared.ids import utc_today

    invoice = create_invoice(
        staff,
        customer.customer_id,
        utc_today().isoformat(),  # due in 30 days: still `sent`, whatever day the suite runs
        lines=[
            {"description": "Zoë's logo", "quantity": "2.5", "unit_price": 80_00, "tax_rate_bps": 2000},
            {"description": "Hosting", "quantity": 1, "unit_price": 15_00},
        ],
        reference="PO-77",
    )

    response = customer.api.get(f"/invoices/{invoice['invoice_id']}/pdf", headers=PDF)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/pdf"
    assert f'filename="{invoice["number"]}.pdf"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF-")
    text = pdf_text(response.data)
    for expected in (
        "Łódź Design Studio",
        invoice["number"],
        "Customer ",  # the bill-to block: the customer's display name
        "Zoë's logo",
        "Hosting",
        "PO-77",
        "200.00 USD",  # 2.5 × 80.00
        "40.00 USD",  # VAT 20 %
        "255.00 USD",  # total = amount due
    ):
        assert expected in text, f"{expected!r} not in the PDF:\n{text}"
    # A download changes nothing: the invoice is still unviewed until opened on screen.
    assert staff.get(f"/staff/invoices/{invoice['invoice_id']}").json["status"] == "sent"


def test_drafts_and_other_customers_invoices_are_not_found(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    theirs = create_invoice(staff, other.customer_id, "2026-11-01")
    draft = create_invoice(staff, customer.customer_id, "2026-11-01", issue=False)
    missing = customer.api.get("/invoices/01JZZZZZZZZZZZZZZZZZZZZZZZ/pdf", headers=PDF)
    assert missing.status_code == 404
    for invoice_id in (theirs["invoice_id"], draft["invoice_id"]):
        refused = customer.api.get(f"/invoices/{invoice_id}/pdf", headers=PDF)
        assert refused.status_code == 404
        assert refused.json == missing.json

    staff_copy = staff.get(f"/staff/invoices/{draft['invoice_id']}/pdf", headers=PDF)
    assert staff_copy.status_code == 200
    assert draft["number"] in pdf_text(staff_copy.data)
    assert customer.api.get(f"/staff/invoices/{draft['invoice_id']}/pdf", headers=PDF).status_code == 403


def test_a_client_not_asking_for_a_pdf_is_told_how(staff: ApiClient, customer: Customer) -> None:
    invoice = create_invoice(staff, customer.customer_id, "2026-11-03")
    path = f"/invoices/{invoice['invoice_id']}/pdf"
    refused = customer.api.get(path, headers={"Accept": "application/json"})
    assert refused.status_code == 406
    assert refused.json["error"]["code"] == "not_acceptable"
    assert "application/pdf" in refused.json["error"]["message"]
    anything = customer.api.get(path, headers={"Accept": "*/*"})
    assert anything.status_code == 200 and anything.data.startswith(b"%PDF-")
