"""A payment staff recorded offline (bank transfer, check …) is in the customer's payment history too,
dated by the day it was paid, with a receipt; it is not a provider's payment, so it is not refunded
through the provider."""

from __future__ import annotations

import io
from datetime import timedelta

from shared.ids import utc_today
from tests.support import ApiClient, Customer, PortalHandle, create_invoice


def days_ago(days: int) -> str:
    return (utc_today() - timedelta(days=days)).isoformat()


def test_an_offline_payment_is_in_the_payment_history_with_a_receipt(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from pypdf import PdfReader

    invoice = create_invoice(staff, customer.customer_id, days_ago(10))
    recorded = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 100_00, "paid_on": days_ago(3), "method": "bank_transfer"},
    )
    assert recorded.status_code == 200, recorded.get_data(as_text=True)
    payment_id = recorded.json["payments"][0]["payment_id"]
    portal.drain()
    portal.drain()  # nothing more the second time

    (listed,) = customer.api.get("/payments").json["items"]
    assert listed["payment_id"] == payment_id
    assert listed["status"] == "succeeded" and listed["kind"] == "invoice"
    assert listed["amount"] == {"amount": 100_00, "currency": "USD"}
    assert listed["method"] == {"kind": "offline", "brand": "bank transfer", "last4": None}
    assert listed["allocations"] == [
        {
            "invoice_id": invoice["invoice_id"],
            "invoice_number": invoice["number"],
            "amount": {"amount": 100_00, "currency": "USD"},
        }
    ]
    assert listed["created_at"][:10] == days_ago(3)  # the day it was paid, as on the statement

    answer = customer.api.get(f"/payments/{payment_id}/receipt", headers={"Accept": "application/pdf"})
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.get_data())).pages)
    for expected in ("RECEIPT", payment_id, invoice["number"], "100.00 USD", "bank transfer", days_ago(3)):
        assert expected in text, expected

    refund = staff.post(f"/staff/payments/{payment_id}/refund", {})
    assert refund.status_code == 409, refund.get_data(as_text=True)
    invoice_after = staff.get(f"/staff/invoices/{invoice['invoice_id']}").json
    assert invoice_after["amount_paid"]["amount"] == 100_00
    # the invoice can still be paid by card: the offline payment holds no claim on it
    assert customer.api.post("/payments/preview", {"invoices": [{"invoice_id": invoice["invoice_id"]}]}).json[
        "total"
    ] == {"amount": 140_00, "currency": "USD"}


def test_another_customer_does_not_see_an_offline_payment(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(staff, customer.customer_id, days_ago(2))
    recorded = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 10_00, "paid_on": days_ago(1), "method": "check"},
    )
    payment_id = recorded.json["payments"][0]["payment_id"]
    portal.drain()
    other = portal.new_customer(staff)
    assert other.api.get(f"/payments/{payment_id}").status_code == 404
    assert other.api.get(f"/payments/{payment_id}/receipt").status_code == 404
    assert customer.api.get(f"/payments/{payment_id}").json["method"]["brand"] == "check"
