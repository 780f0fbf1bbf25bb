"""Invoice events → branded emails (read back from moto's SES) and activity entries: the right
recipients, subjects and content; redelivery sends nothing twice; a poison message ends in the DLQ
while the rest of the batch succeeds; a failing send retries, then dead-letters with a log line."""

from __future__ import annotations

import json
import os
import time
from datetime import date
from email.message import EmailMessage
from typing import Any

import boto3
import pytest

from shared.event_models import InvoiceIssued
from shared.events import outbox_event
from shared.ids import new_id, utc_today
from shared.money import Money
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle, create_invoice, mails_to, sent_messages

SENDER = "RenoTech Solutions <billing@renotech.solutions>"
BUSINESS = {
    "name": "RenoTech Solutions",
    "email": "billing@renotech.solutions",
    "website": "https://renotech.solutions",
}


@pytest.fixture(autouse=True, scope="module")
def tenant_defaults(portal: PortalHandle, staff: ApiClient) -> None:
    """Other suites (the fuzzer) may leave the tenant's name, modules or this staff member's choices
    changed: these tests state what they assume."""
    assert staff.put("/staff/portal/business", BUSINESS).status_code == 200
    assert staff.put("/staff/portal/preferences", {"modules": {"invoices": True}}).status_code == 200
    channels = dict.fromkeys(("invoice_viewed", "payment_received", "contact_joined"), "email")
    assert staff.put("/staff/notifications/preferences", {"channels": channels}).status_code == 200
    portal.drain()  # the notifications service's copy of the business profile follows from the event


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def staff_email(staff: ApiClient) -> str:
    return str(staff.get("/me").json["email"])  # type: ignore[index]


def add_contact(portal: PortalHandle, staff: ApiClient, customer: Customer, first: str, last: str) -> str:
    address = f"{first.lower()}.{new_id()[-6:]}@{customer.email.split('@')[1]}"
    response = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": first, "last_name": last, "email": address},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    portal.drain()  # notifications knows the contact from its ContactAdded event (its own projection)
    return address


def test_an_issued_invoice_emails_every_contact_of_its_customer_only(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    second = add_contact(portal, staff, customer, "Robin", "Second")
    before = len(sent_messages())
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()

    link = f"{os.environ['PORTAL_URL']}/invoices/{invoice['invoice_id']}"
    for address, greeting in ((customer.email, "Hi Casey Contact"), (second, "Hi Robin Second")):
        [message] = mails_to(address, before)
        assert message["From"] == SENDER
        assert message["Subject"] == (
            f"Invoice {invoice['number']} from RenoTech Solutions: $240.00 due {_human(invoice['due_date'])}"
        )
        # the text and HTML alternatives, and the invoice's PDF attached
        assert message.get_content_type() == "multipart/mixed"
        assert [a.get_filename() for a in message.iter_attachments()] == [f"{invoice['number']}.pdf"]
        text, html = parts(message)
        assert greeting in text and greeting in html
        assert link in text and f'href="{link}"' in html
        assert "$240.00" in text and "RenoTech Solutions" in html
    assert mails_to(other.email, before) == []
    about_it = [raw for raw in sent_messages()[before:] if invoice["number"] in raw.raw_data]
    assert len(about_it) == 2  # the two contacts; staff issued it themselves


def _human(iso: str) -> str:
    from shared.mail import format_date

    return format_date(iso)


def test_a_payment_sends_a_receipt_to_contacts_and_tells_staff(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    before = len(sent_messages())
    paid = staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 100_00, "paid_on": utc_today().isoformat(), "method": "card"},
    )
    assert paid.status_code == 200, paid.get_data(as_text=True)
    portal.drain()

    [receipt] = mails_to(customer.email, before)
    assert receipt["Subject"] == f"Payment received: $100.00 for invoice {invoice['number']}"
    text, html = parts(receipt)
    assert "Still due: $140.00" in text and "Card" in html

    [alert] = mails_to(staff_email(staff), before)
    customer_name = staff.get(f"/staff/customers/{customer.customer_id}").json["customer"]["display_name"]  # type: ignore[index]
    assert alert["Subject"] == f"{customer_name} partly paid invoice {invoice['number']} ($100.00)"

    staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 140_00, "paid_on": utc_today().isoformat()},
    )
    portal.drain()
    subjects = [m["Subject"] for m in mails_to(staff_email(staff), before)]
    assert f"{customer_name} paid invoice {invoice['number']} ($140.00)" in subjects
    [_, final_receipt] = mails_to(customer.email, before)
    assert "paid in full" in parts(final_receipt)[0]


def test_the_first_view_of_an_invoice_tells_staff_who_viewed_it(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    before = len(sent_messages())
    assert customer.api.get(f"/invoices/{invoice['invoice_id']}").status_code == 200
    assert customer.api.get(f"/invoices/{invoice['invoice_id']}").status_code == 200  # not "first" again
    portal.drain()
    [alert] = mails_to(staff_email(staff), before)
    assert alert["Subject"].endswith(f"viewed invoice {invoice['number']}")
    text, _ = parts(alert)
    assert "Casey Contact" in text and "for the first time" in text
    assert mails_to(customer.email, before) == []  # contacts are not emailed about their own view


def _queued(event: Any) -> str:
    """The body EventBridge puts on the queue for an event (as a rule target)."""
    return json.dumps(
        {
            "version": "0",
            "id": new_id(),
            "detail-type": event.detail_type,
            "source": event.source,
            "time": "2026-11-20T09:30:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": json.loads(event.detail),
        }
    )


def _issued_event(customer: Customer) -> Any:
    return outbox_event(
        InvoiceIssued(
            invoice_id=new_id(),
            customer_id=customer.customer_id,
            number="INV-REDELIVER",
            status="sent",
            issue_date=utc_today().isoformat(),
            due_date=utc_today().isoformat(),
            total=Money(amount=12_345, currency="USD"),
            amount_due=Money(amount=12_345, currency="USD"),
            invoice_version=2,
        )
    )


def test_a_redelivered_event_sends_one_email_and_one_activity_entry(
    portal: PortalHandle, customer: Customer
) -> None:
    sqs = boto3.client("sqs")
    queue = portal.local.stack.ref("NotificationsQueue")
    body = _queued(_issued_event(customer))
    before = len(sent_messages())
    sqs.send_message(QueueUrl=queue, MessageBody=body)
    sqs.send_message(QueueUrl=queue, MessageBody=body)  # at-least-once: the same event twice
    portal.drain()
    sqs.send_message(QueueUrl=queue, MessageBody=body)  # and once more, later
    portal.drain()
    assert len(mails_to(customer.email, before)) == 1
    feed = customer.api.get("/activity").json["items"]  # type: ignore[index]
    assert [item["title"] for item in feed].count("Invoice INV-REDELIVER issued: $123.45 due") == 1


def _drain_with_retries(portal: PortalHandle, rounds: int = 8) -> None:
    worker = portal.local.worker
    worker.retry_visibility_seconds = 0  # retry at once instead of after a pause
    try:
        for _ in range(rounds):  # each round is one more receive (maxReceiveCount 5)
            portal.drain()
            time.sleep(0.05)
    finally:
        worker.retry_visibility_seconds = 2


def _dead_letters(portal: PortalHandle) -> list[str]:
    sqs = boto3.client("sqs")
    url = portal.local.stack.ref("NotificationsDeadLetterQueue")
    bodies = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_a_poison_message_ends_in_the_dead_letter_queue_and_the_rest_succeed(
    portal: PortalHandle, staff: ApiClient, customer: Customer, capfd: pytest.CaptureFixture[str]
) -> None:
    sqs = boto3.client("sqs")
    poison = '{"detail-type": "InvoiceIssued", "source": "portal.invoices", "detail": "not json"}'
    sqs.send_message(QueueUrl=portal.local.stack.ref("NotificationsQueue"), MessageBody=poison)
    before = len(sent_messages())
    create_invoice(staff, customer.customer_id, utc_today().isoformat())  # a good event alongside
    _drain_with_retries(portal)
    assert len(mails_to(customer.email, before)) == 1
    assert _dead_letters(portal) == [poison]
    logged = capfd.readouterr()
    assert "notification given up: the message goes to the dead-letter queue" in logged.out + logged.err


def test_a_failing_send_is_retried_and_sends_only_what_is_missing(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    sesv2 = boto3.client("sesv2")
    sender = "billing@renotech.solutions"
    second = add_contact(portal, staff, customer, "Sam", "Retry")
    before = len(sent_messages())
    sesv2.delete_email_identity(EmailIdentity=sender)  # SES now refuses every send
    try:
        create_invoice(staff, customer.customer_id, utc_today().isoformat())
        portal.drain()  # fails once: back to the queue, visible again in 2 s
        assert mails_to(customer.email, before) == []
    finally:
        sesv2.create_email_identity(EmailIdentity=sender)
    time.sleep(portal.local.worker.retry_visibility_seconds + 0.2)
    portal.drain()
    assert len(mails_to(customer.email, before)) == 1
    assert len(mails_to(second, before)) == 1


def test_a_send_that_keeps_failing_is_dead_lettered_with_a_log_line(
    portal: PortalHandle, staff: ApiClient, customer: Customer, capfd: pytest.CaptureFixture[str]
) -> None:
    sesv2 = boto3.client("sesv2")
    sender = "billing@renotech.solutions"
    sesv2.delete_email_identity(EmailIdentity=sender)
    try:
        invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
        _drain_with_retries(portal)
    finally:
        sesv2.create_email_identity(EmailIdentity=sender)
    [dead] = _dead_letters(portal)
    assert json.loads(dead)["detail"]["data"]["invoice_id"] == invoice["invoice_id"]
    logged = capfd.readouterr()
    assert "notification given up" in logged.out + logged.err
    stack = portal.local.stack
    [alarm] = boto3.client("cloudwatch").describe_alarms(
        AlarmNames=[stack.ref("NotificationsDeadLetterAlarm")]
    )["MetricAlarms"]
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": stack.att("NotificationsDeadLetterQueue", "QueueName")}
    ]
    assert "Email address not verified" in logged.out + logged.err or "authority" in logged.out + logged.err


def test_staff_choose_email_in_app_or_nothing_per_type(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    me = staff_email(staff)
    defaults = staff.get("/staff/notifications/preferences")
    assert defaults.status_code == 200
    assert defaults.json["channels"] == {  # type: ignore[index]
        "invoice_viewed": "email",
        "payment_received": "email",
        "contact_joined": "email",
        "estimate_answered": "email",
        "comment_added": "email",
        "credit_note_requested": "email",
        "customer_details_changed": "email",
        "contact_added_by_customer": "email",
    }
    changed = staff.put("/staff/notifications/preferences", {"channels": {"invoice_viewed": "none"}})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.json["channels"]["invoice_viewed"] == "none"  # type: ignore[index]
    assert changed.json["channels"]["payment_received"] == "email"  # type: ignore[index]
    try:
        invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
        portal.drain()
        before = len(sent_messages())
        customer.api.get(f"/invoices/{invoice['invoice_id']}")
        staff.post(
            f"/staff/invoices/{invoice['invoice_id']}/payments",
            {"amount": 10_00, "paid_on": utc_today().isoformat()},
        )
        portal.drain()
        subjects = [m["Subject"] for m in mails_to(me, before)]
        assert len(subjects) == 1 and "partly paid" in subjects[0]  # the view was not emailed
    finally:
        staff.put("/staff/notifications/preferences", {"channels": {"invoice_viewed": "email"}})


@pytest.mark.parametrize(
    "body",
    [
        {"channels": {"invoice_viewed": "sms"}},
        {"channels": {"coffee_brewed": "email"}},
        {"channels": "email"},
        {"channels": {}, "extra": 1},
    ],
)
def test_bad_preferences_answer_400_and_change_nothing(staff: ApiClient, body: dict[str, Any]) -> None:
    before = staff.get("/staff/notifications/preferences").json
    response = staff.put("/staff/notifications/preferences", body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_failed"  # type: ignore[index]
    assert staff.get("/staff/notifications/preferences").json == before


def test_customers_cannot_use_staff_notification_routes(customer: Customer) -> None:
    assert customer.api.get("/staff/notifications/preferences").status_code == 403
    assert customer.api.put("/staff/notifications/preferences", {"channels": {}}).status_code == 403
    assert customer.api.get("/staff/activity").status_code == 403
    assert customer.api.post("/staff/activity/read").status_code == 403


def test_new_staff_member_is_emailed_with_their_own_preferences(
    portal: PortalHandle, customer: Customer
) -> None:
    from infra.local.seed import provision_staff

    address = f"newstaff-{new_id()[-6:]}@renotech.solutions"
    provision_staff(address, PASSWORD)
    member = portal.login(address)
    member.put("/staff/notifications/preferences", {"channels": {"payment_received": "in_app"}})
    staff = portal.staff()
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    before = len(sent_messages())
    customer.api.get(f"/invoices/{invoice['invoice_id']}")
    staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 5_00, "paid_on": utc_today().isoformat()},
    )
    portal.drain()
    assert [m["Subject"].split(" ", 2)[-1] for m in mails_to(address, before)] == [
        f"viewed invoice {invoice['number']}"
    ]


def test_a_contact_with_a_language_gets_emails_in_it(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    # The customers service owns the contact's language; notifications learns it from ContactChanged.
    changed = staff.put(
        f"/staff/customers/{customer.customer_id}/contacts/{customer.contact_id}",
        {"first_name": "Casey", "last_name": "Contact", "is_primary": True, "language": "de"},
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)
    portal.drain()
    before = len(sent_messages())
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat())
    staff.post(
        f"/staff/invoices/{invoice['invoice_id']}/payments",
        {"amount": 40_00, "paid_on": utc_today().isoformat()},
    )
    portal.drain()
    subjects = [m["Subject"] for m in mails_to(customer.email, before)]
    assert subjects == [
        f"Rechnung {invoice['number']} von RenoTech Solutions: 240,00 $ fällig am "
        + date.fromisoformat(invoice["due_date"]).strftime("%d.%m.%Y"),
        f"Zahlung erhalten: 40,00 $ für Rechnung {invoice['number']}",
    ]
    assert customer.api.get("/dashboard").status_code == 200  # the customers service still reads the contact


def test_a_retry_after_a_partial_failure_sends_only_the_missing_emails(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from services.notifications.logic.use_cases import ReceivedEvent, deliver
    from shared.ids import utc_now_iso

    second = add_contact(portal, staff, customer, "Pat", "Partial")
    sent: list[str] = []
    failures: list[str] = []

    def flaky_ses(to: str, template: str, context: Any, **options: Any) -> str:
        if to == second and not failures:
            failures.append(to)
            raise RuntimeError("SES throttled")
        sent.append(to)
        return f"message-{len(sent)}"

    data = json.loads(_issued_event(customer).detail)["data"]
    event = ReceivedEvent(
        event_id=new_id(), occurred_at=utc_now_iso(), data=InvoiceIssued.model_validate(data)
    )
    with pytest.raises(RuntimeError, match="throttled"):
        deliver(event, mailer=flaky_ses)
    retried = deliver(event, mailer=flaky_ses)
    assert (retried.emails_sent, retried.emails_skipped) == (1, 1)
    assert sent == [customer.email, second]
    assert deliver(event, mailer=flaky_ses).duplicate and sent == [customer.email, second]
