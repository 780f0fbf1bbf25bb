"""Estimates end to end: staff draft and send, a contact lists and opens them (first view → viewed),
accepts or declines with a reason, cannot answer an expired one; staff convert an accepted one and
the invoices service drafts the invoice (once, however often the event arrives); staff hear of the
answers through notifications; PDFs read back with pypdf."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from shared.ids import utc_today
from tests.support import ApiClient, Customer, PortalHandle, create_estimate

PDF = {"Accept": "application/pdf"}


def days_ago(days: int) -> str:
    return (utc_today() - timedelta(days=days)).isoformat()


def test_contact_accepts_and_staff_convert_it_to_a_draft_invoice(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    estimate = create_estimate(
        staff,
        customer.customer_id,
        lines=[
            {"description": "Brand workshop", "quantity": "1.5", "unit_price": 900_00, "tax_rate_bps": 1000},
            {"description": "Moodboards", "quantity": 3, "unit_price": 120_00},
        ],
        reference="Q-2026-11",
        notes="Valid for 30 days.",
    )
    assert estimate["status"] == "sent"
    assert estimate["total"] == {"amount": 1_845_00, "currency": "USD"}  # 1350 + 135 tax + 360
    estimate_id = estimate["estimate_id"]

    listed = customer.api.get("/estimates").json
    assert [item["estimate_id"] for item in listed["items"]] == [estimate_id]
    opened = customer.api.get(f"/estimates/{estimate_id}")
    assert opened.status_code == 200
    assert opened.json["status"] == "viewed" and opened.json["can_answer"] is True
    assert customer.api.get("/estimates?status=viewed").json["items"][0]["estimate_id"] == estimate_id
    assert customer.api.get("/estimates?status=sent").json["items"] == []

    early = staff.post(f"/staff/estimates/{estimate_id}/convert")
    assert early.status_code == 409  # only an accepted estimate becomes an invoice

    accepted = customer.api.post(f"/estimates/{estimate_id}/accept")
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert accepted.json["status"] == "accepted" and accepted.json["can_answer"] is False
    again = customer.api.post(f"/estimates/{estimate_id}/decline", {"reason": "Changed our mind"})
    assert again.status_code == 409
    assert "already accepted" in again.json["error"]["message"]

    assert staff.get(f"/staff/invoices/by-estimate/{estimate_id}").status_code == 404  # not converted yet
    converted = staff.post(f"/staff/estimates/{estimate_id}/convert")
    assert converted.status_code == 200
    assert converted.json["status"] == "invoiced"
    portal.drain()

    found = staff.get(f"/staff/invoices/by-estimate/{estimate_id}")
    assert found.status_code == 200, found.get_data(as_text=True)
    invoice = found.json
    assert invoice["status"] == "draft"
    assert invoice["customer_id"] == customer.customer_id
    assert invoice["total"] == estimate["total"]
    assert [line["description"] for line in invoice["lines"]] == ["Brand workshop", "Moodboards"]
    assert invoice["reference"] == "Q-2026-11"
    assert customer.api.get("/estimates?status=invoiced").json["items"][0]["estimate_id"] == estimate_id


def test_a_redelivered_conversion_drafts_one_invoice(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from services.invoices import store as invoices
    from services.invoices.logic.from_estimates import draft_from_estimate
    from shared.event_models import EstimateConverted, EstimateLine
    from shared.money import Money

    estimate_id = "01JZZZZZZZZZZZZZZZZZZZZZZA"
    event = EstimateConverted(
        estimate_id=estimate_id,
        customer_id=customer.customer_id,
        number="EST-999999",
        status="invoiced",
        issue_date=days_ago(3),
        expiry_date=days_ago(-27),
        total=Money(amount=100_00, currency="USD"),
        estimate_version=4,
        currency="USD",
        lines=[
            EstimateLine(
                description="Audit",
                quantity="1",
                unit_price=Money(amount=100_00, currency="USD"),
                tax_name=None,
                tax_rate_bps=0,
            )
        ],
        reference=None,
        notes=None,
        terms=None,
    )
    assert draft_from_estimate(event) is True
    first = invoices.invoice_of_estimate(estimate_id)
    assert draft_from_estimate(event) is False
    assert invoices.invoice_of_estimate(estimate_id) == first


def test_contact_declines_with_a_reason_and_staff_are_told(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    estimate = create_estimate(staff, customer.customer_id)
    path = f"/estimates/{estimate['estimate_id']}/decline"
    missing_reason = customer.api.post(path, {})
    assert missing_reason.status_code == 400
    blank = customer.api.post(path, {"reason": "   "})
    assert blank.status_code == 400
    assert staff.get(f"/staff/estimates/{estimate['estimate_id']}").json["status"] == "sent"

    declined = customer.api.post(path, {"reason": "Over our budget this quarter"})
    assert declined.status_code == 200
    assert declined.json["status"] == "declined"
    assert declined.json["decline_reason"] == "Over our budget this quarter"
    portal.drain()

    feed = staff.get(f"/staff/activity?customer_id={customer.customer_id}").json["items"]
    titles = [item["title"] for item in feed]
    assert any(f"declined estimate {estimate['number']}" in title for title in titles), titles
    assert customer.api.get("/estimates?status=declined").json["items"][0]["number"] == estimate["number"]


def test_an_expired_estimate_cannot_be_accepted(staff: ApiClient, customer: Customer) -> None:
    old = create_estimate(staff, customer.customer_id, days_ago(40), send=False, expiry_date=days_ago(1))
    refused_send = staff.post(f"/staff/estimates/{old['estimate_id']}/send")
    assert refused_send.status_code == 400  # staff cannot send one already expired

    estimate = create_estimate(staff, customer.customer_id, days_ago(10), valid_days=10)
    from services.estimates import store

    # Time passes: the same sent estimate as it is once its validity ended yesterday.
    stored = store.get(estimate["estimate_id"])
    assert stored is not None
    store.insert(
        stored.model_copy(
            update={
                "estimate_id": "01JZZZZZZZZZZZZZZZZZZZZZZE",
                "version": None,
                "expiry_date": utc_today() - timedelta(days=1),
            }
        )
    )
    expired_id = "01JZZZZZZZZZZZZZZZZZZZZZZE"
    assert customer.api.get(f"/estimates/{expired_id}").json["status"] == "expired"
    refused = customer.api.post(f"/estimates/{expired_id}/accept")
    assert refused.status_code == 409
    assert "expired" in refused.json["error"]["message"]
    expired = customer.api.get("/estimates?status=expired").json["items"]
    assert [item["estimate_id"] for item in expired] == [expired_id]
    assert expired_id not in [
        item["estimate_id"] for item in customer.api.get("/estimates?status=viewed").json["items"]
    ]
    # valid through its expiry date: the one expiring today can still be accepted
    assert customer.api.post(f"/estimates/{estimate['estimate_id']}/accept").status_code == 200


def test_drafts_and_other_customers_estimates_are_not_found(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    theirs = create_estimate(staff, other.customer_id)
    draft = create_estimate(staff, customer.customer_id, send=False)
    missing = customer.api.get("/estimates/01JZZZZZZZZZZZZZZZZZZZZZZZ")
    for estimate_id in (theirs["estimate_id"], draft["estimate_id"]):
        for method, path in (
            ("get", f"/estimates/{estimate_id}"),
            ("get", f"/estimates/{estimate_id}/pdf"),
            ("post", f"/estimates/{estimate_id}/accept"),
        ):
            answer = getattr(customer.api, method)(path, headers=PDF)
            assert answer.status_code == 404, path
            assert answer.json == missing.json
    assert customer.api.get("/estimates").json["items"] == []


def test_estimate_pdf_names_the_lines_and_total(staff: ApiClient, customer: Customer) -> None:
    estimate = create_estimate(
        staff,
        customer.customer_id,
        lines=[{"description": "Łódź office fit-out", "quantity": 2, "unit_price": 1_000_00}],
    )
    response = customer.api.get(f"/estimates/{estimate['estimate_id']}/pdf", headers=PDF)
    assert response.status_code == 200
    assert f'filename="{estimate["number"]}.pdf"' in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("ESTIMATE", estimate["number"], "Łódź office fit-out", "2,000.00 USD", "Valid until"):
        assert expected in text, f"{expected!r} not in:\n{text}"
