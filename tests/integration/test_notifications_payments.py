"""Payments events → emails (read back from moto's SES) and activity entries: the contact who paid
(else the primary contact) hears of a received, failed or refunded payment and of new credit; staff
hear of payments received; a portal payment's per-invoice InvoicePaymentRecorded adds no second
receipt."""

from __future__ import annotations

import os
from typing import Any

from shared.event_models import Allocation, CreditCreated, PaymentFailed, PaymentRefunded, PaymentSucceeded
from shared.events import outbox_event
from shared.ids import new_id, utc_today
from tests.integration.test_invoice_payments import TOTAL, payment, publish, usd
from tests.integration.test_notifications import add_contact, parts, staff_email
from tests.integration.test_notifications import tenant_defaults as tenant_defaults  # autouse: branding
from tests.support import ApiClient, Customer, PortalHandle, create_invoice, mails_to, sent_messages


def feed_titles(customer: Customer) -> list[str]:
    return [item["title"] for item in customer.api.get("/activity").json["items"]]  # type: ignore[index]


def issued(portal: PortalHandle, staff: ApiClient, customer: Customer) -> dict[str, Any]:
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    return invoice  # type: ignore[no-any-return]


def test_a_received_payment_emails_the_payer_a_receipt_and_tells_staff_once(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    first, second = issued(portal, staff, customer), issued(portal, staff, customer)
    other = add_contact(portal, staff, customer, "Robin", "Other")
    before = len(sent_messages())
    pid = new_id()
    succeeded = outbox_event(payment(PaymentSucceeded, customer, pid, 2, [(first, TOTAL), (second, 60_00)]))
    publish(portal, succeeded, succeeded)  # and its redelivery (the same event id)
    portal.drain()  # the invoices' InvoicePaymentRecorded (kind "payment") reach notifications too

    [receipt] = mails_to(customer.email, before)  # one email: not one per invoice, not per delivery
    assert receipt["Subject"] == "Payment received: $300.00"
    text, html = parts(receipt)
    link = f"{os.environ['PORTAL_URL']}/payments/{pid}"
    assert link in text and f'href="{link}"' in html
    assert f"- {first['number']}: $240.00" in text and f"- {second['number']}: $60.00" in text
    assert "Visa •••• 4242" in text and "Hi Casey Contact" in text
    assert mails_to(other, before) == []  # only the contact who paid

    [alert] = mails_to(staff_email(staff), before)
    name = staff.get(f"/staff/customers/{customer.customer_id}").json["customer"]["display_name"]  # type: ignore[index]
    assert alert["Subject"] == f"{name} paid $300.00 online"
    assert f"{first['number']}: $240.00" in parts(alert)[0]

    titles = feed_titles(customer)
    assert titles.count(f"Payment of $300.00 received for {first['number']}, {second['number']}") == 1
    assert not [t for t in titles if t.startswith("Payment of $240.00")]  # no per-invoice duplicate
    staff_feed = staff.get(f"/staff/activity?customer_id={customer.customer_id}&type=payment_received")
    assert staff_feed.json["items"][0]["link"] == f"/payments/{pid}"  # type: ignore[index]


def test_the_email_goes_to_the_contact_who_paid_else_to_the_primary_contact(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = issued(portal, staff, customer)
    payer = add_contact(portal, staff, customer, "Pat", "Payer")
    contacts = staff.get(f"/staff/customers/{customer.customer_id}").json["contacts"]  # type: ignore[index]
    payer_id = next(c["contact_id"] for c in contacts if c["email"] == payer)
    before = len(sent_messages())
    paid_by_pat = payment(PaymentSucceeded, customer, new_id(), 2, [(invoice, 10_00)])
    publish(portal, paid_by_pat.model_copy(update={"contact_id": payer_id}))
    assert len(mails_to(payer, before)) == 1 and mails_to(customer.email, before) == []

    before = len(sent_messages())
    auto_charged = payment(PaymentSucceeded, customer, new_id(), 2, [(invoice, 10_00)])
    publish(portal, auto_charged.model_copy(update={"contact_id": None}))  # nobody clicked "pay"
    assert len(mails_to(customer.email, before)) == 1 and mails_to(payer, before) == []


def test_a_failed_payment_tells_the_contact_why_and_that_they_can_pay_again(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = issued(portal, staff, customer)
    before = len(sent_messages())
    pid = new_id()
    publish(
        portal,
        payment(
            PaymentFailed,
            customer,
            pid,
            2,
            [(invoice, TOTAL)],
            failure_reason="Your card has insufficient funds.",
        ),
    )
    [message] = mails_to(customer.email, before)
    assert message["Subject"] == "Your payment of $240.00 did not go through"
    text, html = parts(message)
    assert "Reason:    Your card has insufficient funds." in text
    pay_again = f"{os.environ['PORTAL_URL']}/pay?invoices={invoice['invoice_id']}"
    assert pay_again in text and f'href="{pay_again}"' in html and "You can pay again" in text
    assert mails_to(staff_email(staff), before) == []
    assert "Payment of $240.00 failed: Your card has insufficient funds." in feed_titles(customer)


def test_a_refund_and_new_credit_are_told_to_the_contact(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = issued(portal, staff, customer)
    pid = new_id()
    publish(portal, payment(PaymentSucceeded, customer, pid, 2, [(invoice, TOTAL)]))
    before = len(sent_messages())
    back = Allocation(invoice_id=invoice["invoice_id"], invoice_number=invoice["number"], amount=usd(40_00))
    refund = payment(
        PaymentRefunded,
        customer,
        pid,
        3,
        [(invoice, TOTAL)],
        refund_id=new_id(),
        refund_amount=usd(40_00),
        refund_allocations=[back],
        credit_reversed=usd(0),
        reason="Hours billed twice",
    )
    credit = CreditCreated(
        credit_id=new_id(),
        customer_id=customer.customer_id,
        amount=usd(15_00),
        balance=usd(65_00),
        balance_version=4,
        payment_id=pid,
    )
    publish(portal, refund, credit)

    [refunded] = [m for m in mails_to(customer.email, before) if m["Subject"].startswith("Refund")]
    assert refunded["Subject"] == "Refund of $40.00 on your payment"
    text, _ = parts(refunded)
    assert "Reason: Hours billed twice" in text and f"- {invoice['number']}: $40.00" in text
    [credited] = [m for m in mails_to(customer.email, before) if "credit" in m["Subject"]]
    assert credited["Subject"] == "$15.00 added to your credit with RenoTech Solutions"
    assert "Available credit: $65.00" in parts(credited)[0]
    titles = feed_titles(customer)
    assert "Refund of $40.00 of a $240.00 payment" in titles
    assert "Credit of $15.00 added: $65.00 available" in titles
