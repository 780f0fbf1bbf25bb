"""Paying invoices through the real HTTP API, the real stripe SDK and the local Stripe: a card payment
confirmed by the contact's browser (the Stripe.js stand-in), its webhook, and what the payments
service then holds and tells (its own state and events; invoices learn from them in C1's consumer)."""

from __future__ import annotations

import io

import pytest

from shared.ids import new_id
from tests.integration.payments_support import (
    DECLINED,
    VISA,
    Pay,
    open_invoices,
    paying,
    payments_spy,
    spied_types,
    start_payment,
)
from tests.support import ApiClient, Customer, PortalHandle, create_invoice

INVOICE_TOTAL = 24000  # create_invoice's default: 2 × 100.00 + 20 % VAT


@pytest.fixture(name="pay")
def pay_fixture(portal: PortalHandle) -> Pay:
    return paying(portal)


def test_a_card_payment_succeeds_once_its_webhook_is_consumed(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    spy = payments_spy(portal)
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    body = started.json
    payment = body["payment"]
    assert payment["status"] == "pending" and payment["amount"] == {
        "amount": INVOICE_TOTAL,
        "currency": "USD",
    }
    assert body["publishable_key"].startswith("pk_") and body["js_url"].endswith("/v3/")
    confirmed = pay.browser.pay_with_card(body["client_secret"], VISA)
    assert confirmed["status"] == "succeeded", confirmed
    pay.settle_webhooks()
    detail = customer.api.get(f"/payments/{payment['payment_id']}").json
    assert detail["status"] == "succeeded"
    assert detail["method"] == {"kind": "card", "brand": "visa", "last4": "4242"}
    assert detail["allocations"] == [
        {
            "invoice_id": invoice["invoice_id"],
            "invoice_number": invoice["number"],
            "amount": {"amount": INVOICE_TOTAL, "currency": "USD"},
        }
    ]
    assert spied_types(spy, payment["payment_id"]) == ["PaymentPending", "PaymentSucceeded"]
    listed = customer.api.get("/payments").json["items"]
    assert [p["payment_id"] for p in listed] == [payment["payment_id"]]


def test_a_pending_payment_blocks_a_second_and_its_decline_unblocks_it(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    body = {"invoices": [{"invoice_id": invoice["invoice_id"]}]}
    first = start_payment(customer, body, new_id())
    assert first.status_code == 201
    second = start_payment(customer, body, new_id())
    assert second.status_code == 409, second.get_data(as_text=True)
    assert invoice["number"] in second.json["error"]["message"]
    declined = pay.browser.pay_with_card(first.json["client_secret"], DECLINED)
    assert "error" in declined
    pay.settle_webhooks()
    failed = customer.api.get(f"/payments/{first.json['payment']['payment_id']}").json
    assert failed["status"] == "failed" and failed["failure_reason"] == "Your card was declined."
    third = start_payment(customer, body, new_id())
    assert third.status_code == 201, third.get_data(as_text=True)


def test_pay_many_is_allocated_oldest_first(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    newer, older = open_invoices(staff, portal, customer, "2026-11-01", "2026-10-01")
    ids = [{"invoice_id": newer["invoice_id"]}, {"invoice_id": older["invoice_id"]}]
    preview = customer.api.post("/payments/preview", {"invoices": ids, "amount": 30000}).json
    assert [(a["invoice_id"], a["amount"]["amount"]) for a in preview["allocations"]] == [
        (older["invoice_id"], INVOICE_TOTAL),
        (newer["invoice_id"], 6000),
    ]
    started = start_payment(customer, {"invoices": ids, "amount": 30000}, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    assert started.json["payment"]["allocations"] == preview["allocations"]
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()
    detail = customer.api.get(f"/payments/{started.json['payment']['payment_id']}").json
    assert detail["status"] == "succeeded" and detail["allocations"] == preview["allocations"]
    # the invoices service recorded the payment (its InvoicePaymentRecorded released the claim)
    assert customer.api.get(f"/invoices/{older['invoice_id']}").json["status"] == "paid"
    assert customer.api.get(f"/invoices/{newer['invoice_id']}").json["amount_due"]["amount"] == 18000
    over = start_payment(customer, {"invoices": [{"invoice_id": older["invoice_id"]}]}, new_id())
    assert over.status_code == 400 and "not open" in over.json["error"]["message"]


def test_an_overpayment_becomes_credit_and_a_refund_takes_the_credit_back_first(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    spy = payments_spy(portal)
    body = {"invoices": [{"invoice_id": invoice["invoice_id"]}], "amount": INVOICE_TOTAL + 6000}
    started = start_payment(customer, body, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    payment_id = started.json["payment"]["payment_id"]
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()
    credits = customer.api.get("/credits").json
    assert credits["balance"] == {"amount": 6000, "currency": "USD"}
    assert [(e["kind"], e["amount"]["amount"], e["payment_id"]) for e in credits["entries"]] == [
        ("created", 6000, payment_id)
    ]
    assert customer.api.get(f"/payments/{payment_id}").json["credit_created"]["amount"] == 6000

    refunded = staff.post(f"/staff/payments/{payment_id}/refund", {"amount": 10000, "reason": "duplicate"})
    assert refunded.status_code == 200, refunded.get_data(as_text=True)
    detail = refunded.json
    assert detail["status"] == "partially_refunded" and detail["refunded"]["amount"] == 10000
    (refund,) = detail["refunds"]
    assert refund["credit_reversed"]["amount"] == 6000  # the credit first …
    assert [(a["invoice_id"], a["amount"]["amount"]) for a in refund["allocations"]] == [
        (invoice["invoice_id"], 4000)  # … then the invoice
    ]
    portal.drain()
    assert customer.api.get("/credits").json["balance"]["amount"] == 0
    assert spied_types(spy, payment_id) == [
        "PaymentPending",
        "PaymentSucceeded",
        "CreditCreated",
        "PaymentRefunded",
        "CreditReversed",
    ]
    rest = staff.post(f"/staff/payments/{payment_id}/refund", {})
    assert rest.status_code == 200 and rest.json["status"] == "refunded"
    too_much = staff.post(f"/staff/payments/{payment_id}/refund", {"amount": 1})
    assert too_much.status_code == 409


def test_an_advance_payment_is_all_credit_and_credit_can_be_applied(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    started = start_payment(customer, {"amount": 5000}, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    assert started.json["payment"]["kind"] == "advance"
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    applied = customer.api.post("/credits/apply", {"invoice_id": invoice["invoice_id"]})
    assert applied.status_code == 201, applied.get_data(as_text=True)
    assert applied.json["allocation"]["amount"]["amount"] == 5000 and applied.json["balance"]["amount"] == 0
    kinds = [e["kind"] for e in customer.api.get("/credits").json["entries"]]
    assert kinds == ["applied", "created"]  # newest first
    advance = customer.api.get("/payments?kind=advance").json["items"]
    assert [p["payment_id"] for p in advance] == [started.json["payment"]["payment_id"]]
    assert customer.api.get("/payments?kind=invoice").json["items"] == []


def test_the_same_key_replays_the_first_answer_and_another_body_is_422(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    first_invoice, second_invoice = open_invoices(staff, portal, customer, "2026-11-01", "2026-11-02")
    key = new_id()
    body = {"invoices": [{"invoice_id": first_invoice["invoice_id"]}]}
    first = start_payment(customer, body, key)
    again = start_payment(customer, body, key)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    other = start_payment(customer, {"invoices": [{"invoice_id": second_invoice["invoice_id"]}]}, key)
    assert other.status_code == 422, other.get_data(as_text=True)
    assert other.json["error"]["code"] == "idempotency_key_reused"
    assert len(customer.api.get("/payments").json["items"]) == 1
    missing_key = customer.api.post("/payments", body)
    assert missing_key.status_code == 400


def test_another_customers_payment_is_404_like_a_missing_one(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    payment_id = started.json["payment"]["payment_id"]
    other = portal.new_customer(staff)
    for path in (f"/payments/{payment_id}", f"/payments/{payment_id}/receipt"):
        foreign, missing = other.api.get(path), other.api.get(f"/payments/{new_id()}")
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json == missing.json
    # nor can another customer pay (or see) this customer's invoice
    theirs = start_payment(other, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    assert theirs.status_code == 404


def test_the_receipt_is_a_pdf_with_the_allocation(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    from pypdf import PdfReader

    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    payment_id = started.json["payment"]["payment_id"]
    assert customer.api.get(f"/payments/{payment_id}/receipt").status_code == 404  # not paid yet
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()
    answer = customer.api.get(f"/payments/{payment_id}/receipt", headers={"Accept": "application/pdf"})
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.get_data())).pages)
    for expected in ("RECEIPT", payment_id, invoice["number"], "240.00 USD", "4242"):
        assert expected in text, expected


def test_payments_answer_403_when_the_module_is_off(
    pay: Pay,
    portal: PortalHandle,
    staff: ApiClient,
    customer: Customer,
) -> None:
    before = staff.get("/staff/portal/preferences").json
    changed = {**before, "modules": {**before["modules"], "payments": False}}
    assert staff.put("/staff/portal/preferences", changed).status_code == 200
    portal.drain()
    try:
        for answer in (
            start_payment(customer, {"amount": 5000}, new_id()),
            customer.api.get("/payments"),
            customer.api.get("/credits"),
            customer.api.get("/payment-methods"),
        ):
            assert answer.status_code == 403, answer.get_data(as_text=True)
            assert answer.json["error"]["code"] == "module_disabled"
    finally:
        restored = staff.get("/staff/portal/preferences").json
        assert (
            staff.put("/staff/portal/preferences", {**restored, "modules": before["modules"]}).status_code
            == 200
        )
        portal.drain()


def test_a_payment_its_contact_abandoned_is_cancelled_when_the_invoice_is_paid_again(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.payments.logic import use_cases

    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    body = {"invoices": [{"invoice_id": invoice["invoice_id"]}]}
    abandoned = start_payment(customer, body, new_id())
    assert abandoned.status_code == 201
    assert start_payment(customer, body, new_id()).status_code == 409  # recent: still the contact's
    monkeypatch.setattr(use_cases, "STALE_AFTER_SECONDS", 0)  # … as if half an hour had passed
    again = start_payment(customer, body, new_id())
    assert again.status_code == 201, again.get_data(as_text=True)
    old = customer.api.get(f"/payments/{abandoned.json['payment']['payment_id']}").json
    assert old["status"] == "cancelled"
    late = pay.browser.pay_with_card(abandoned.json["client_secret"], VISA)  # the old tab, too late
    assert "error" in late or late.get("status") != "succeeded", late
    pay.browser.pay_with_card(again.json["client_secret"], VISA)
    pay.settle_webhooks()
    assert customer.api.get(f"/payments/{again.json['payment']['payment_id']}").json["status"] == "succeeded"
    assert (
        customer.api.get(f"/payments/{abandoned.json['payment']['payment_id']}").json["status"] == "cancelled"
    )


def test_a_bank_debit_stays_pending_then_settles_or_fails(
    pay: Pay, portal: PortalHandle, staff: ApiClient
) -> None:
    customer = portal.new_customer(staff, currency="EUR")  # SEPA Direct Debit takes euros
    first, second = (
        create_invoice(staff, customer.customer_id, day, currency="EUR")
        for day in ("2026-11-01", "2026-11-02")
    )
    portal.drain()
    body = {"invoices": [{"invoice_id": first["invoice_id"]}]}
    started = start_payment(customer, body, new_id())
    assert started.status_code == 201, started.get_data(as_text=True)
    payment_path = f"/payments/{started.json['payment']['payment_id']}"
    assert (
        pay.browser.pay_with_iban(started.json["client_secret"], "AT611904300234573201")["status"]
        == "processing"
    )
    pay.settle_webhooks()
    pending = customer.api.get(payment_path).json
    assert pending["status"] == "pending" and pending["method"]["kind"] == "bank_debit"
    assert start_payment(customer, body, new_id()).status_code == 409  # pending blocks a second one
    pay.stripe.settle(started.json["client_secret"].split("_secret_")[0])
    pay.settle_webhooks()
    assert customer.api.get(payment_path).json["status"] == "succeeded"

    failing = start_payment(customer, {"invoices": [{"invoice_id": second["invoice_id"]}]}, new_id())
    pay.browser.pay_with_iban(failing.json["client_secret"], "AT861904300235473202")
    pay.stripe.settle(failing.json["client_secret"].split("_secret_")[0])
    pay.settle_webhooks()
    failed = customer.api.get(f"/payments/{failing.json['payment']['payment_id']}").json
    assert failed["status"] == "failed" and failed["failure_reason"]
    again = start_payment(customer, {"invoices": [{"invoice_id": second["invoice_id"]}]}, new_id())
    assert again.status_code == 201  # the failure released the invoice


def test_three_d_secure_waits_for_the_contact_then_succeeds(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    secret = started.json["client_secret"]
    assert pay.browser.pay_with_card(secret, "4000002500003155")["status"] == "requires_action"
    pay.settle_webhooks()
    payment_path = f"/payments/{started.json['payment']['payment_id']}"
    assert customer.api.get(payment_path).json["status"] == "pending"
    pay.browser.authenticate(secret, complete=True)
    pay.settle_webhooks()
    assert customer.api.get(payment_path).json["status"] == "succeeded"


def test_the_invoice_recording_the_payment_releases_its_claim_and_a_shortfall_becomes_credit(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    """Staff record 40.00 received offline while the card payment of the whole 240.00 is pending: the
    invoices service applies only the 200.00 still due, and payments turns the other 40.00 into credit."""
    (invoice,) = open_invoices(staff, portal, customer, "2026-11-01")
    started = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    payment_id = started.json["payment"]["payment_id"]
    offline = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 4000, "paid_on": "2026-11-02", "method": "bank_transfer"},
    )
    assert offline.status_code == 200
    pay.browser.pay_with_card(started.json["client_secret"], VISA)
    pay.settle_webhooks()
    portal.drain()  # a redelivery changes nothing either
    applied = customer.api.get(f"/invoices/{invoice['invoice_id']}").json
    assert applied["status"] == "paid"
    assert [(p["kind"], p["amount"]["amount"]) for p in applied["payments"]] == [
        ("offline", 4000),
        ("payment", 20000),
    ]
    credits = customer.api.get("/credits").json
    assert credits["balance"] == {"amount": 4000, "currency": "USD"}
    assert [(e["kind"], e["payment_id"]) for e in credits["entries"]] == [("created", payment_id)]
    # the claim is gone; the invoice, paid now, is not open for payment
    closed = start_payment(customer, {"invoices": [{"invoice_id": invoice["invoice_id"]}]}, new_id())
    assert closed.status_code == 400 and "not open" in closed.json["error"]["message"]


def test_payments_are_listed_by_date_or_amount_a_page_at_a_time(
    pay: Pay, portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    made = [
        start_payment(customer, {"amount": amount}, new_id()).json["payment"] for amount in (7000, 5000, 9000)
    ]
    by_amount = customer.api.get("/payments?sort=amount&order=asc").json["items"]
    assert [p["amount"]["amount"] for p in by_amount] == [5000, 7000, 9000]
    newest = customer.api.get("/payments?limit=2").json
    assert [p["payment_id"] for p in newest["items"]] == [made[2]["payment_id"], made[1]["payment_id"]]
    rest = customer.api.get(f"/payments?limit=2&cursor={newest['next_cursor']}").json
    assert [p["payment_id"] for p in rest["items"]] == [made[0]["payment_id"]] and rest["next_cursor"] is None
    everyone = staff.get("/staff/payments?limit=100").json["items"]
    assert {p["payment_id"] for p in made} <= {p["payment_id"] for p in everyone}
